// IAM answers: OIDC providers and roles with inline policies. Documents come back URL-encoded as IAM sends
// them (the SDK does not decode them), with the text as it was put.
import { createHash } from "node:crypto";
import { ACCOUNT_ID } from "./world.mjs";

/** @typedef {import("./compute.mjs").Handler} Handler @typedef {import("./double.mjs").CallContext} CallContext */

/** @param {Record<string, string> | null | undefined} tags */
const tagList = (tags) => Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
/** @param {{ Key?: string, Value?: string }[] | undefined} list */
const tagMap = (list) => Object.fromEntries((list ?? []).map((t) => [t.Key, t.Value ?? ""]));

/** IAM refuses a document that is not JSON or has no statement. @param {CallContext} cx @param {unknown} text */
function checkDocument(cx, text) {
  let doc;
  try {
    doc = JSON.parse(String(text));
  } catch {
    throw cx.error("MalformedPolicyDocument", "This policy contains invalid Json");
  }
  if (!doc || typeof doc !== "object" || !doc.Statement) throw cx.error("MalformedPolicyDocument", "Syntax errors in policy.");
  return String(text);
}

/** @param {CallContext} cx @param {string} name */
function role(cx, name) {
  const r = cx.world.roles[name];
  if (!r) throw cx.error("NoSuchEntity", `The role with name ${name} cannot be found.`);
  return r;
}

/** @param {CallContext} cx @param {string} arn */
function provider(cx, arn) {
  const p = cx.world.oidcProviders[arn];
  if (!p) throw cx.error("NoSuchEntity", `OpenIDConnect Provider not found for arn ${arn}`);
  return p;
}

/** @param {import("./world.mjs").Role} r */
function roleView(r) {
  return {
    Path: "/",
    RoleName: r.name,
    RoleId: r.id,
    Arn: r.arn,
    CreateDate: new Date(r.createdAt),
    AssumeRolePolicyDocument: encodeURIComponent(r.trust),
    ...(r.description ? { Description: r.description } : {}),
    MaxSessionDuration: 3600,
    // GetRole leaves Tags out when there are none.
    ...(Object.keys(r.tags).length ? { Tags: tagList(r.tags) } : {}),
    RoleLastUsed: {},
  };
}

/** @returns {Record<string, Handler>} */
export function iamHandlers() {
  return {
    ListOpenIDConnectProviders: (_input, cx) => ({
      OpenIDConnectProviderList: Object.keys(cx.world.oidcProviders).map((Arn) => ({ Arn })),
    }),
    GetOpenIDConnectProvider: ({ OpenIDConnectProviderArn: arn }, cx) => {
      const p = provider(cx, arn);
      // IAM gives the URL back without its scheme.
      return { Url: p.url, ClientIDList: [...p.clientIds], ThumbprintList: [...p.thumbprints], CreateDate: new Date(p.createdAt), Tags: tagList(p.tags) };
    },
    CreateOpenIDConnectProvider: (input, cx) => {
      if (!/^https:\/\/[^/]/.test(input.Url ?? "")) throw cx.error("InvalidInput", `Invalid URL: ${input.Url} (must start with https://)`);
      const url = input.Url.replace(/^https:\/\//, "").replace(/\/$/, "");
      const arn = `arn:${cx.partition}:iam::${ACCOUNT_ID}:oidc-provider/${url}`;
      if (cx.world.oidcProviders[arn]) throw cx.error("EntityAlreadyExists", `Provider with url ${input.Url} already exists.`);
      cx.world.oidcProviders[arn] = {
        arn,
        url,
        clientIds: [...(input.ClientIDList ?? [])],
        // With no thumbprint given, IAM fetches the issuer's certificate itself.
        thumbprints: input.ThumbprintList?.length ? [...input.ThumbprintList] : ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"],
        tags: tagMap(input.Tags),
        createdAt: new Date().toISOString(),
      };
      return { OpenIDConnectProviderArn: arn, Tags: input.Tags ?? [] };
    },
    AddClientIDToOpenIDConnectProvider: ({ OpenIDConnectProviderArn: arn, ClientID }, cx) => {
      const p = provider(cx, arn);
      if (!p.clientIds.includes(ClientID)) p.clientIds.push(ClientID);
      return {};
    },
    GetRole: ({ RoleName }, cx) => ({ Role: roleView(role(cx, RoleName)) }),
    ListRolePolicies: ({ RoleName }, cx) => ({ PolicyNames: Object.keys(role(cx, RoleName).policies).sort(), IsTruncated: false }),
    GetRolePolicy: ({ RoleName, PolicyName }, cx) => {
      const doc = role(cx, RoleName).policies[PolicyName];
      if (doc === undefined) throw cx.error("NoSuchEntity", `The role policy with name ${PolicyName} cannot be found.`);
      return { RoleName, PolicyName, PolicyDocument: encodeURIComponent(doc) };
    },
    CreateRole: (input, cx) => {
      const name = input.RoleName;
      if (cx.world.roles[name]) throw cx.error("EntityAlreadyExists", `Role with name ${name} already exists.`);
      const trust = checkDocument(cx, input.AssumeRolePolicyDocument);
      cx.world.roles[name] = {
        name,
        id: `AROA${createHash("sha256").update(name).digest("hex").slice(0, 17).toUpperCase()}`,
        arn: `arn:${cx.partition}:iam::${ACCOUNT_ID}:role${input.Path ?? "/"}${name}`,
        trust,
        description: input.Description,
        policies: {},
        tags: tagMap(input.Tags),
        createdAt: new Date().toISOString(),
      };
      return { Role: roleView(cx.world.roles[name]) };
    },
    UpdateAssumeRolePolicy: ({ RoleName, PolicyDocument }, cx) => {
      const r = role(cx, RoleName);
      r.trust = checkDocument(cx, PolicyDocument);
      return {};
    },
    PutRolePolicy: ({ RoleName, PolicyName, PolicyDocument }, cx) => {
      const r = role(cx, RoleName);
      r.policies[PolicyName] = checkDocument(cx, PolicyDocument);
      return {};
    },
    TagRole: ({ RoleName, Tags }, cx) => {
      const r = role(cx, RoleName);
      Object.assign(r.tags, tagMap(Tags));
      return {};
    },
  };
}
