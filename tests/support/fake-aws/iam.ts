// IAM answers: OIDC providers, roles (path, permissions boundary, inline and attached managed policies, tags)
// and managed policies (AWS managed ones built in, customer managed ones created). Documents come back
// URL-encoded, as IAM sends them and the SDK leaves them, with the text as it was put.
import type {
  AttachedPolicy,
  CreateOpenIDConnectProviderCommandInput,
  CreateOpenIDConnectProviderCommandOutput,
  CreatePolicyCommandInput,
  CreatePolicyCommandOutput,
  CreateRoleCommandInput,
  CreateRoleCommandOutput,
  GetOpenIDConnectProviderCommandOutput,
  GetPolicyCommandOutput,
  GetPolicyVersionCommandInput,
  GetPolicyVersionCommandOutput,
  GetRoleCommandOutput,
  GetRolePolicyCommandInput,
  GetRolePolicyCommandOutput,
  ListAttachedRolePoliciesCommandOutput,
  ListOpenIDConnectProviderTagsCommandOutput,
  ListOpenIDConnectProvidersCommandOutput,
  ListRolePoliciesCommandOutput,
  ListRoleTagsCommandOutput,
  ListRolesCommandInput,
  ListRolesCommandOutput,
  Policy,
  Role,
} from "@aws-sdk/client-iam";
import { idFrom, parseDocument, tagList, tagMap, type Answer, type CallContext, type Handlers } from "./context";
import { awsManagedPolicy } from "./managed-policies";
import type { FakeProvider, RoleRecord } from "./state";

type RoleNameInput = { RoleName?: string };
type ProviderInput = { OpenIDConnectProviderArn?: string };
type Tagged = { Tags?: { Key?: string; Value?: string }[] };

/** IAM refuses a document that is not JSON or has no statement. */
function checkDocument(cx: CallContext, text: unknown): string {
  const doc = parseDocument(cx, text, "MalformedPolicyDocument", "This policy contains invalid Json");
  if (!doc.Statement) throw cx.error("MalformedPolicyDocument", "Syntax errors in policy.");
  return String(text);
}

function role(cx: CallContext, name: string | undefined): RoleRecord {
  const r = name ? cx.state.roles[name] : undefined;
  if (!r) throw cx.error("NoSuchEntity", `The role with name ${name} cannot be found.`);
  return r;
}

function provider(cx: CallContext, arn: string | undefined): FakeProvider {
  const p = arn ? cx.state.oidcProviders[arn] : undefined;
  if (!p) throw cx.error("NoSuchEntity", `OpenIDConnect Provider not found for arn ${arn}`);
  return p;
}

function roleView(name: string, r: RoleRecord, cx: CallContext): Role {
  return {
    Path: r.path ?? "/",
    RoleName: name,
    RoleId: r.id ?? `AROA${idFrom(name, 17, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`,
    Arn: r.arn,
    CreateDate: new Date(r.createdAt ?? cx.now()),
    AssumeRolePolicyDocument: r.trust,
    ...(r.description ? { Description: r.description } : {}),
    MaxSessionDuration: 3600,
    ...(r.boundary ? { PermissionsBoundary: { PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryArn: r.boundary } } : {}),
    // GetRole leaves Tags out when there are none.
    ...(Object.keys(r.tags).length ? { Tags: tagList(r.tags) } : {}),
    RoleLastUsed: r.lastUsed ? { LastUsedDate: new Date(r.lastUsed.date), Region: r.lastUsed.region } : {},
  };
}

/** A managed policy, AWS's or the account's, as one shape. */
interface ManagedPolicyView {
  arn: string;
  name: string;
  id: string;
  path: string;
  description?: string;
  createdAt: string;
  updatedAt: string;
  defaultVersion: string;
  versions: Record<string, { document: string; createdAt: string }>;
  tags: Record<string, string>;
}

function findPolicy(cx: CallContext, arn: string | undefined): ManagedPolicyView | undefined {
  if (!arn) return undefined;
  const aws = awsManagedPolicy(arn);
  if (aws)
    return {
      arn,
      ...aws,
      versions: { [aws.defaultVersion]: { document: JSON.stringify(aws.document, null, 4), createdAt: aws.updatedAt } },
      tags: {},
    };
  const own = cx.state.managedPolicies[arn];
  if (!own) return undefined;
  const updatedAt = own.versions[own.defaultVersion]?.createdAt ?? own.createdAt;
  return { arn, ...own, updatedAt };
}

function policyOrThrow(cx: CallContext, arn: string | undefined): ManagedPolicyView {
  const p = findPolicy(cx, arn);
  if (!p) throw cx.error("NoSuchEntity", `Policy ${arn} was not found.`);
  return p;
}

/** The policy a role may be given as attachment or boundary, or IAM's refusal. */
function attachable(cx: CallContext, arn: string | undefined): ManagedPolicyView {
  const p = findPolicy(cx, arn);
  if (!p) throw cx.error("NoSuchEntity", `Policy ${arn} does not exist or is not attachable.`);
  return p;
}

function boundaryPolicy(cx: CallContext, arn: string | undefined): string {
  if (!findPolicy(cx, arn)) throw cx.error("NoSuchEntity", `Scope ARN: ${arn} does not exist or is not attachable.`);
  return arn!;
}

function policyView(cx: CallContext, p: ManagedPolicyView): Policy {
  const roles = Object.values(cx.state.roles);
  return {
    PolicyName: p.name,
    PolicyId: p.id,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersion,
    AttachmentCount: roles.filter((r) => r.attached?.includes(p.arn)).length,
    PermissionsBoundaryUsageCount: roles.filter((r) => r.boundary === p.arn).length,
    IsAttachable: true,
    ...(p.description ? { Description: p.description } : {}),
    CreateDate: new Date(p.createdAt),
    UpdateDate: new Date(p.updatedAt),
    ...(Object.keys(p.tags).length ? { Tags: tagList(p.tags) } : {}),
  };
}

function validPath(cx: CallContext, path: string | undefined): string {
  const p = path ?? "/";
  if (!/^\/([\x21-\x7e]*\/)?$/.test(p)) throw cx.error("ValidationError", `The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.`);
  return p;
}

export const iamHandlers: Handlers = {
  // ---- OIDC providers ------------------------------------------------------------------------------------
  ListOpenIDConnectProviders: (_input: object, cx: CallContext): Answer<ListOpenIDConnectProvidersCommandOutput> => ({
    OpenIDConnectProviderList: Object.keys(cx.state.oidcProviders).map((Arn) => ({ Arn })),
  }),
  GetOpenIDConnectProvider: ({ OpenIDConnectProviderArn: arn }: ProviderInput, cx: CallContext): Answer<GetOpenIDConnectProviderCommandOutput> => {
    const p = provider(cx, arn);
    // IAM gives the URL back without its scheme.
    return {
      Url: p.url.replace(/^https:\/\//, ""),
      ClientIDList: [...p.clientIds],
      ThumbprintList: [...(p.thumbprints ?? [])],
      CreateDate: new Date(p.createdAt ?? cx.now()),
      Tags: tagList(p.tags),
    };
  },
  CreateOpenIDConnectProvider: (input: CreateOpenIDConnectProviderCommandInput, cx: CallContext): Answer<CreateOpenIDConnectProviderCommandOutput> => {
    if (!/^https:\/\/[^/]/.test(input.Url ?? "")) throw cx.error("InvalidInput", `Invalid URL: ${input.Url} (must start with https://)`);
    const arn = `arn:${cx.partition}:iam::${cx.accountId}:oidc-provider/${input.Url!.replace(/^https:\/\//, "").replace(/\/$/, "")}`;
    if (cx.state.oidcProviders[arn]) throw cx.error("EntityAlreadyExists", `Provider with url ${input.Url} already exists.`);
    cx.state.oidcProviders[arn] = {
      url: input.Url!,
      clientIds: [...(input.ClientIDList ?? [])],
      // With no thumbprint given, IAM fetches the issuer's certificate itself.
      thumbprints: input.ThumbprintList?.length ? [...input.ThumbprintList] : ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"],
      tags: tagMap(input.Tags),
      createdAt: cx.now(),
    };
    return { OpenIDConnectProviderArn: arn, Tags: tagList(tagMap(input.Tags)) };
  },
  AddClientIDToOpenIDConnectProvider: ({ OpenIDConnectProviderArn: arn, ClientID }: ProviderInput & { ClientID?: string }, cx: CallContext) => {
    const p = provider(cx, arn);
    if (ClientID && !p.clientIds.includes(ClientID)) p.clientIds.push(ClientID);
    return {};
  },
  DeleteOpenIDConnectProvider: ({ OpenIDConnectProviderArn: arn }: ProviderInput, cx: CallContext) => {
    provider(cx, arn);
    delete cx.state.oidcProviders[arn!];
    return {};
  },
  TagOpenIDConnectProvider: ({ OpenIDConnectProviderArn: arn, Tags }: ProviderInput & Tagged, cx: CallContext) => {
    Object.assign(provider(cx, arn).tags, tagMap(Tags));
    return {};
  },
  UntagOpenIDConnectProvider: ({ OpenIDConnectProviderArn: arn, TagKeys }: ProviderInput & { TagKeys?: string[] }, cx: CallContext) => {
    const p = provider(cx, arn);
    for (const k of TagKeys ?? []) delete p.tags[k];
    return {};
  },
  ListOpenIDConnectProviderTags: ({ OpenIDConnectProviderArn: arn }: ProviderInput, cx: CallContext): Answer<ListOpenIDConnectProviderTagsCommandOutput> => ({
    Tags: tagList(provider(cx, arn).tags),
    IsTruncated: false,
  }),

  // ---- roles ---------------------------------------------------------------------------------------------
  GetRole: ({ RoleName }: RoleNameInput, cx: CallContext): Answer<GetRoleCommandOutput> => ({ Role: roleView(RoleName!, role(cx, RoleName), cx) }),
  // Pages of MaxItems (default 100) in name order; like IAM, the list leaves out tags, boundary and last use.
  ListRoles: ({ Marker, MaxItems, PathPrefix }: ListRolesCommandInput, cx: CallContext): Answer<ListRolesCommandOutput> => {
    const names = Object.keys(cx.state.roles)
      .filter((n) => !PathPrefix || (cx.state.roles[n].path ?? "/").startsWith(PathPrefix))
      .sort();
    const start = Marker ? Number(Marker) : 0;
    const max = MaxItems ?? 100;
    const page = names.slice(start, start + max);
    const more = start + max < names.length;
    return {
      Roles: page.map((n) => {
        const { Tags: _tags, PermissionsBoundary: _boundary, RoleLastUsed: _used, ...r } = roleView(n, cx.state.roles[n], cx);
        return r;
      }),
      IsTruncated: more,
      ...(more ? { Marker: String(start + max) } : {}),
    };
  },
  CreateRole: (input: CreateRoleCommandInput, cx: CallContext): Answer<CreateRoleCommandOutput> => {
    const name = input.RoleName ?? "";
    // Role names are unique without regard to case.
    if (Object.keys(cx.state.roles).some((n) => n.toLowerCase() === name.toLowerCase()))
      throw cx.error("EntityAlreadyExists", `Role with name ${name} already exists.`);
    const path = validPath(cx, input.Path);
    const trust = checkDocument(cx, input.AssumeRolePolicyDocument);
    const boundary = input.PermissionsBoundary ? boundaryPolicy(cx, input.PermissionsBoundary) : undefined;
    cx.state.roles[name] = {
      arn: `arn:${cx.partition}:iam::${cx.accountId}:role${path}${name}`,
      trust: encodeURIComponent(trust),
      policies: {},
      tags: tagMap(input.Tags),
      path,
      id: `AROA${idFrom(`${name}/${cx.state.seq}`, 17, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`,
      ...(input.Description ? { description: input.Description } : {}),
      createdAt: cx.now(),
      attached: [],
      ...(boundary ? { boundary } : {}),
    };
    return { Role: roleView(name, cx.state.roles[name], cx) };
  },
  DeleteRole: ({ RoleName }: RoleNameInput, cx: CallContext) => {
    const r = role(cx, RoleName);
    if (Object.keys(r.policies).length) throw cx.error("DeleteConflict", "Cannot delete entity, must delete policies first.");
    if (r.attached?.length) throw cx.error("DeleteConflict", "Cannot delete entity, must detach all policies first.");
    delete cx.state.roles[RoleName!];
    return {};
  },
  UpdateAssumeRolePolicy: ({ RoleName, PolicyDocument }: RoleNameInput & { PolicyDocument?: string }, cx: CallContext) => {
    const r = role(cx, RoleName);
    r.trust = encodeURIComponent(checkDocument(cx, PolicyDocument));
    return {};
  },
  TagRole: ({ RoleName, Tags }: RoleNameInput & Tagged, cx: CallContext) => {
    Object.assign(role(cx, RoleName).tags, tagMap(Tags));
    return {};
  },
  UntagRole: ({ RoleName, TagKeys }: RoleNameInput & { TagKeys?: string[] }, cx: CallContext) => {
    const r = role(cx, RoleName);
    for (const k of TagKeys ?? []) delete r.tags[k];
    return {};
  },
  ListRoleTags: ({ RoleName }: RoleNameInput, cx: CallContext): Answer<ListRoleTagsCommandOutput> => ({
    Tags: tagList(role(cx, RoleName).tags),
    IsTruncated: false,
  }),
  PutRolePermissionsBoundary: ({ RoleName, PermissionsBoundary }: RoleNameInput & { PermissionsBoundary?: string }, cx: CallContext) => {
    const r = role(cx, RoleName);
    r.boundary = boundaryPolicy(cx, PermissionsBoundary);
    return {};
  },
  DeleteRolePermissionsBoundary: ({ RoleName }: RoleNameInput, cx: CallContext) => {
    delete role(cx, RoleName).boundary;
    return {};
  },

  // ---- inline policies -----------------------------------------------------------------------------------
  ListRolePolicies: ({ RoleName }: RoleNameInput, cx: CallContext): Answer<ListRolePoliciesCommandOutput> => ({
    PolicyNames: Object.keys(role(cx, RoleName).policies).sort(),
    IsTruncated: false,
  }),
  GetRolePolicy: ({ RoleName, PolicyName }: GetRolePolicyCommandInput, cx: CallContext): Answer<GetRolePolicyCommandOutput> => {
    const doc = role(cx, RoleName).policies[PolicyName ?? ""];
    if (doc === undefined) throw cx.error("NoSuchEntity", `The role policy with name ${PolicyName} cannot be found.`);
    return { RoleName, PolicyName, PolicyDocument: doc };
  },
  PutRolePolicy: ({ RoleName, PolicyName, PolicyDocument }: RoleNameInput & { PolicyName?: string; PolicyDocument?: string }, cx: CallContext) => {
    const r = role(cx, RoleName);
    r.policies[PolicyName ?? ""] = encodeURIComponent(checkDocument(cx, PolicyDocument));
    return {};
  },
  DeleteRolePolicy: ({ RoleName, PolicyName }: RoleNameInput & { PolicyName?: string }, cx: CallContext) => {
    const r = role(cx, RoleName);
    if (r.policies[PolicyName ?? ""] === undefined) throw cx.error("NoSuchEntity", `The role policy with name ${PolicyName} cannot be found.`);
    delete r.policies[PolicyName!];
    return {};
  },

  // ---- managed policies ----------------------------------------------------------------------------------
  ListAttachedRolePolicies: ({ RoleName }: RoleNameInput, cx: CallContext): Answer<ListAttachedRolePoliciesCommandOutput> => ({
    AttachedPolicies: (role(cx, RoleName).attached ?? []).map((arn): AttachedPolicy => ({ PolicyArn: arn, PolicyName: arn.split("/").at(-1) })),
    IsTruncated: false,
  }),
  AttachRolePolicy: ({ RoleName, PolicyArn }: RoleNameInput & { PolicyArn?: string }, cx: CallContext) => {
    const r = role(cx, RoleName);
    const p = attachable(cx, PolicyArn);
    r.attached ??= [];
    if (!r.attached.includes(p.arn)) r.attached.push(p.arn);
    return {};
  },
  DetachRolePolicy: ({ RoleName, PolicyArn }: RoleNameInput & { PolicyArn?: string }, cx: CallContext) => {
    const r = role(cx, RoleName);
    if (!PolicyArn || !r.attached?.includes(PolicyArn)) throw cx.error("NoSuchEntity", `Policy ${PolicyArn} was not found.`);
    r.attached = r.attached.filter((a) => a !== PolicyArn);
    return {};
  },
  GetPolicy: ({ PolicyArn }: { PolicyArn?: string }, cx: CallContext): Answer<GetPolicyCommandOutput> => ({
    Policy: policyView(cx, policyOrThrow(cx, PolicyArn)),
  }),
  GetPolicyVersion: ({ PolicyArn, VersionId }: GetPolicyVersionCommandInput, cx: CallContext): Answer<GetPolicyVersionCommandOutput> => {
    const p = policyOrThrow(cx, PolicyArn);
    const v = VersionId ? p.versions[VersionId] : undefined;
    if (!v) throw cx.error("NoSuchEntity", `Policy ${PolicyArn} version ${VersionId} does not exist or is not attachable.`);
    return {
      PolicyVersion: { Document: encodeURIComponent(v.document), VersionId, IsDefaultVersion: VersionId === p.defaultVersion, CreateDate: new Date(v.createdAt) },
    };
  },
  CreatePolicy: (input: CreatePolicyCommandInput, cx: CallContext): Answer<CreatePolicyCommandOutput> => {
    const path = validPath(cx, input.Path);
    const arn = `arn:${cx.partition}:iam::${cx.accountId}:policy${path}${input.PolicyName}`;
    if (cx.state.managedPolicies[arn] || Object.values(cx.state.managedPolicies).some((p) => p.name === input.PolicyName))
      throw cx.error("EntityAlreadyExists", `A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`);
    const document = checkDocument(cx, input.PolicyDocument);
    const now = cx.now();
    cx.state.managedPolicies[arn] = {
      name: input.PolicyName ?? "",
      path,
      id: `ANPA${idFrom(`${arn}/${cx.state.seq}`, 17, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}`,
      ...(input.Description ? { description: input.Description } : {}),
      createdAt: now,
      defaultVersion: "v1",
      versions: { v1: { document, createdAt: now } },
      tags: tagMap(input.Tags),
    };
    return { Policy: policyView(cx, policyOrThrow(cx, arn)) };
  },
};
