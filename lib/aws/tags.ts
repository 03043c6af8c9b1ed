// The tags on everything the console creates, so an operator can tell its resources apart in the AWS console.

export const MANAGED_BY_KEY = "managed-by";
export const MANAGED_BY_VALUE = "studio-iam-console";
export const ENVIRONMENT_KEY = "studio-environment";

/** Put by an adoption beside the two above: the resource existed before the console, so a teardown keeps it. */
export const ADOPTED_KEY = "studio-adopted";

export function managedTags(environmentName: string): Record<string, string> {
  return { [MANAGED_BY_KEY]: MANAGED_BY_VALUE, [ENVIRONMENT_KEY]: environmentName };
}

/** The tags an adoption puts: the console's, and the mark that it did not create the resource. */
export function adoptionTags(environmentName: string): Record<string, string> {
  return { ...managedTags(environmentName), [ADOPTED_KEY]: "true" };
}

export function toTagList(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function fromTagList(list: { Key?: string; Value?: string }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of list ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? "";
  return out;
}

/** The wanted tags that `have` lacks or holds with another value. */
export function missingTags(have: Record<string, string>, want: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v));
}
