import "server-only";
// IAM reads and writes of the guide: the cluster's OIDC provider and the two roles with their inline policy.
import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  DeleteOpenIDConnectProviderCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetOpenIDConnectProviderCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListOpenIDConnectProvidersCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { oidcIssuerHost } from "../policies/arn";
import { parsePolicyDocument, policiesEqual, toPolicyJson } from "../policies/policy-json";
import { awsCall, awsFind, type AwsCallContext } from "./call";
import { AwsCallError } from "./errors";
import type { AwsClients } from "./clients";
import { fromTagList, toTagList } from "./tags";

export interface ObservedOidcProvider {
  arn: string;
  url: string;
  clientIds: string[];
  tags: Record<string, string>;
}

/** A managed policy with its default version's document (parsed). */
export interface ObservedManagedPolicy {
  name: string;
  arn: string;
  document: unknown;
}

export interface ObservedRole {
  name: string;
  arn: string;
  /** `/` unless the role was made with a path. */
  path: string;
  /** Trust policy as a parsed JSON document. */
  trustPolicy: unknown;
  /** Inline permission policies by name, parsed. */
  inlinePolicies: Record<string, unknown>;
  /** Managed policies attached to the role (AWS's or the account's), with their documents. */
  attachedPolicies: ObservedManagedPolicy[];
  /** The permissions boundary, when the role has one. */
  permissionsBoundary: ObservedManagedPolicy | null;
  tags: Record<string, string>;
}

/** ARNs of the account's OIDC providers (one call; the list is not paginated). */
export async function listOidcProviderArns(c: AwsClients, cx: AwsCallContext): Promise<string[]> {
  const res = await awsCall(cx, "iam:ListOpenIDConnectProviders", (o) =>
    c.iam.send(new ListOpenIDConnectProvidersCommand({}), o),
  );
  return (res.OpenIDConnectProviderList ?? []).flatMap((p) => (p.Arn ? [p.Arn] : []));
}

/** One provider by ARN, or null when it does not exist. */
export async function readOidcProvider(c: AwsClients, cx: AwsCallContext, arn: string): Promise<ObservedOidcProvider | null> {
  const res = await awsFind(cx, "iam:GetOpenIDConnectProvider", (o) => c.iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }), o));
  return res ? { arn, url: res.Url ?? "", clientIds: res.ClientIDList ?? [], tags: fromTagList(res.Tags) } : null;
}

/** The provider whose URL is the issuer's (IAM allows one per URL per account), or null. */
export async function findOidcProvider(
  c: AwsClients,
  cx: AwsCallContext,
  issuer: string,
  knownArns?: string[],
): Promise<ObservedOidcProvider | null> {
  const host = oidcIssuerHost(issuer).toLowerCase();
  const arns = knownArns ?? (await listOidcProviderArns(c, cx));
  const arn = arns.find((a) => a.toLowerCase().endsWith(`:oidc-provider/${host}`));
  if (!arn) return null;
  const found = await readOidcProvider(c, cx, arn);
  return found && { ...found, url: found.url || host };
}

/** Creates the provider with the STS audience and no thumbprint: IAM fetches and checks it itself. */
export async function createOidcProvider(
  c: AwsClients,
  cx: AwsCallContext,
  issuer: string,
  clientId: string,
  tags: Record<string, string>,
): Promise<{ arn: string; requestId?: string }> {
  const res = await awsCall(cx, "iam:CreateOpenIDConnectProvider", (o) =>
    c.iam.send(new CreateOpenIDConnectProviderCommand({ Url: issuer, ClientIDList: [clientId], Tags: toTagList(tags) }), o),
  );
  if (!res.OpenIDConnectProviderArn) throw new Error("iam:CreateOpenIDConnectProvider returned no ARN");
  return { arn: res.OpenIDConnectProviderArn, requestId: res.$metadata.requestId };
}

export async function addOidcClientId(c: AwsClients, cx: AwsCallContext, arn: string, clientId: string) {
  const res = await awsCall(cx, "iam:AddClientIDToOpenIDConnectProvider", (o) =>
    c.iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: clientId }), o),
  );
  return { requestId: res.$metadata.requestId };
}

/** Every inline policy name of a role (null when the role does not exist). */
async function listRolePolicyNames(c: AwsClients, cx: AwsCallContext, name: string): Promise<string[] | null> {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await awsFind(cx, "iam:ListRolePolicies", (o) => c.iam.send(new ListRolePoliciesCommand({ RoleName: name, Marker: marker }), o));
    if (!page) return null;
    names.push(...(page.PolicyNames ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return names;
}

/** Every managed policy attached to a role (null when the role does not exist). */
async function listAttachedPolicies(c: AwsClients, cx: AwsCallContext, name: string): Promise<{ name: string; arn: string }[] | null> {
  const out: { name: string; arn: string }[] = [];
  let marker: string | undefined;
  do {
    const page = await awsFind(cx, "iam:ListAttachedRolePolicies", (o) =>
      c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name, Marker: marker }), o),
    );
    if (!page) return null;
    for (const p of page.AttachedPolicies ?? []) if (p.PolicyArn) out.push({ name: p.PolicyName ?? p.PolicyArn, arn: p.PolicyArn });
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return out;
}

/** A managed policy's default version, parsed (AWS's own policies too: their ARNs are in account `aws`). */
export async function readManagedPolicy(c: AwsClients, cx: AwsCallContext, arn: string, name?: string): Promise<ObservedManagedPolicy | null> {
  const policy = await awsFind(cx, "iam:GetPolicy", (o) => c.iam.send(new GetPolicyCommand({ PolicyArn: arn }), o));
  const versionId = policy?.Policy?.DefaultVersionId;
  if (!versionId) return null;
  const version = await awsFind(cx, "iam:GetPolicyVersion", (o) =>
    c.iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }), o),
  );
  if (!version?.PolicyVersion) return null;
  return { name: name ?? policy.Policy?.PolicyName ?? arn, arn, document: parsePolicyDocument(version.PolicyVersion.Document) };
}

/**
 * The role with everything that decides what it may do: trust policy, inline and attached managed policies (with
 * their documents), permissions boundary, path and tags; or null when it does not exist. The role, its inline
 * policy names and its attached policies are read side by side: each is only a request away from "no such role".
 */
export async function readRole(c: AwsClients, cx: AwsCallContext, name: string): Promise<ObservedRole | null> {
  const [res, names, attached] = await Promise.all([
    awsFind(cx, "iam:GetRole", (o) => c.iam.send(new GetRoleCommand({ RoleName: name }), o)),
    listRolePolicyNames(c, cx, name),
    listAttachedPolicies(c, cx, name),
  ]);
  if (!res?.Role) return null;
  const boundaryArn = res.Role.PermissionsBoundary?.PermissionsBoundaryArn;
  const [inline, managed, boundary] = await Promise.all([
    Promise.all(
      (names ?? []).map(async (policyName) => {
        const p = await awsFind(cx, "iam:GetRolePolicy", (o) =>
          c.iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName }), o),
        );
        return [policyName, p ? parsePolicyDocument(p.PolicyDocument) : null] as const;
      }),
    ),
    Promise.all((attached ?? []).map((p) => readManagedPolicy(c, cx, p.arn, p.name))),
    boundaryArn ? readManagedPolicy(c, cx, boundaryArn) : Promise.resolve(null),
  ]);
  return {
    name,
    arn: res.Role.Arn ?? "",
    path: res.Role.Path ?? "/",
    trustPolicy: parsePolicyDocument(res.Role.AssumeRolePolicyDocument),
    inlinePolicies: Object.fromEntries(inline.filter(([, doc]) => doc !== null)),
    attachedPolicies: managed.filter((p): p is ObservedManagedPolicy => p !== null),
    permissionsBoundary: boundary,
    tags: fromTagList(res.Role.Tags),
  };
}

export async function createRole(
  c: AwsClients,
  cx: AwsCallContext,
  input: {
    name: string;
    trustPolicy: unknown;
    description: string;
    tags: Record<string, string>;
    /** `/` unless the organisation files its roles under a path. */
    path?: string;
    /** The managed policy every new role must carry as its boundary, when the organisation requires one. */
    permissionsBoundary?: string;
  },
): Promise<{ arn: string; requestId?: string }> {
  const res = await awsCall(cx, "iam:CreateRole", (o) =>
    c.iam.send(
      new CreateRoleCommand({
        RoleName: input.name,
        AssumeRolePolicyDocument: toPolicyJson(input.trustPolicy),
        Description: input.description,
        Tags: toTagList(input.tags),
        ...(input.path && input.path !== "/" ? { Path: input.path } : {}),
        ...(input.permissionsBoundary ? { PermissionsBoundary: input.permissionsBoundary } : {}),
      }),
      o,
    ),
  );
  if (!res.Role?.Arn) throw new Error("iam:CreateRole returned no role ARN");
  return { arn: res.Role.Arn, requestId: res.$metadata.requestId };
}

/**
 * `createRole`, where "already exists" with exactly the tags and trust policy this request carries counts as
 * created (`existed: true`): the role is the one an earlier request made, whose answer was lost after IAM acted
 * (the SDK retries a dropped connection, and the retry finds the role). Any other existing role is not ours to
 * take over: the error stands, and a new plan shows the role for adoption.
 */
export async function createOrFindOwnRole(
  c: AwsClients,
  cx: AwsCallContext,
  input: Parameters<typeof createRole>[2],
): Promise<{ arn: string; requestId?: string; existed?: true }> {
  try {
    return await createRole(c, cx, input);
  } catch (err) {
    if (!(err instanceof AwsCallError && err.code === "EntityAlreadyExistsException")) throw err;
    const found = await awsFind(cx, "iam:GetRole", (o) => c.iam.send(new GetRoleCommand({ RoleName: input.name }), o));
    const role = found?.Role;
    const tags = fromTagList(role?.Tags);
    const sameTags = Object.entries(input.tags).every(([k, v]) => tags[k] === v);
    const sameTrust = !!role && policiesEqual(parsePolicyDocument(role.AssumeRolePolicyDocument), input.trustPolicy);
    if (!role?.Arn || !sameTags || !sameTrust) throw err;
    return { arn: role.Arn, requestId: err.requestId, existed: true };
  }
}

/** Sets (or replaces) the role's permissions boundary. */
export async function putRoleBoundary(c: AwsClients, cx: AwsCallContext, role: string, boundaryArn: string) {
  const res = await awsCall(cx, "iam:PutRolePermissionsBoundary", (o) =>
    c.iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: role, PermissionsBoundary: boundaryArn }), o),
  );
  return { requestId: res.$metadata.requestId };
}

export async function updateTrustPolicy(c: AwsClients, cx: AwsCallContext, name: string, doc: unknown) {
  const res = await awsCall(cx, "iam:UpdateAssumeRolePolicy", (o) =>
    c.iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: toPolicyJson(doc) }), o),
  );
  return { requestId: res.$metadata.requestId };
}

export async function putRolePolicy(c: AwsClients, cx: AwsCallContext, role: string, policyName: string, doc: unknown) {
  const res = await awsCall(cx, "iam:PutRolePolicy", (o) =>
    c.iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: policyName, PolicyDocument: toPolicyJson(doc) }), o),
  );
  return { requestId: res.$metadata.requestId };
}

export async function tagRole(c: AwsClients, cx: AwsCallContext, role: string, tags: Record<string, string>) {
  const res = await awsCall(cx, "iam:TagRole", (o) =>
    c.iam.send(new TagRoleCommand({ RoleName: role, Tags: toTagList(tags) }), o),
  );
  return { requestId: res.$metadata.requestId };
}

// ---- teardown: the deletes, each treating "already gone" as done ----------------------------------------------

/** Every role of the account with its trust policy (parsed): who else trusts an OIDC provider. */
export async function listRolesWithTrust(c: AwsClients, cx: AwsCallContext): Promise<{ name: string; arn: string; trustPolicy: unknown }[]> {
  const out: { name: string; arn: string; trustPolicy: unknown }[] = [];
  let marker: string | undefined;
  do {
    const page = await awsCall(cx, "iam:ListRoles", (o) => c.iam.send(new ListRolesCommand({ Marker: marker }), o));
    for (const r of page.Roles ?? [])
      if (r.RoleName) out.push({ name: r.RoleName, arn: r.Arn ?? "", trustPolicy: parsePolicyDocument(r.AssumeRolePolicyDocument) });
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return out;
}

/** The request id of a delete, or `gone` when there was nothing left to delete. */
export type DeleteResult = { requestId?: string; gone: boolean };

async function deleting(cx: AwsCallContext, action: string, run: Parameters<typeof awsFind>[2]): Promise<DeleteResult> {
  const res = (await awsFind(cx, action, run)) as { $metadata?: { requestId?: string } } | null;
  return res ? { requestId: res.$metadata?.requestId, gone: false } : { gone: true };
}

export const deleteRolePolicy = (c: AwsClients, cx: AwsCallContext, role: string, policyName: string) =>
  deleting(cx, "iam:DeleteRolePolicy", (o) => c.iam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: policyName }), o));

export const detachRolePolicy = (c: AwsClients, cx: AwsCallContext, role: string, policyArn: string) =>
  deleting(cx, "iam:DetachRolePolicy", (o) => c.iam.send(new DetachRolePolicyCommand({ RoleName: role, PolicyArn: policyArn }), o));

export const deleteRole = (c: AwsClients, cx: AwsCallContext, role: string) =>
  deleting(cx, "iam:DeleteRole", (o) => c.iam.send(new DeleteRoleCommand({ RoleName: role }), o));

export const deleteOidcProvider = (c: AwsClients, cx: AwsCallContext, arn: string) =>
  deleting(cx, "iam:DeleteOpenIDConnectProvider", (o) => c.iam.send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }), o));
