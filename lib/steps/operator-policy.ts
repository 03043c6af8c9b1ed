import "server-only";
// The least-privilege IAM policy the console's own identity needs, derived from the step catalogue: every step
// declares each IAM action it calls with the resources it acts on (`permissions`), and every change names the
// actions it needs (tests hold each change to its step's declaration). Scoped to one environment's resources
// when one is given; for any environment, to every resource of each type (never `*`, but for the calls AWS
// defines without a resource).
import type { EnvironmentSettings } from "../config/environment";
import { partitionOf } from "../config/aws-names";
import { noResource, scopes, type ScopeTarget } from "../policies/scopes";
import { POLICY_VERSION, type PolicyDocument, type PolicyStatement } from "../policies/types";
import { modelRunPermissions } from "../models/run-permissions";
import { accessCheckStep } from "./access-check";
import { STEPS, stepApplies } from "./index";
import type { Permission, Step } from "./types";

/** What the wizard's pickers list (lib/aws/inventory.ts): whole accounts, so never one environment's resources. */
export const PICKER_PERMISSIONS: Permission[] = [
  { actions: ["sts:GetCallerIdentity", "eks:ListClusters", "s3:ListAllMyBuckets"], resources: noResource },
  { actions: ["rds:DescribeDBInstances", "rds:DescribeDBClusters"], resources: scopes.databases },
];

export interface OperatorPolicyTarget {
  settings: EnvironmentSettings;
  /** When unknown (before the first plan), ARNs use `*` for the account. */
  accountId?: string;
}

export interface OperatorPolicyOptions {
  /** Include the wizard pickers' list calls. Default true. */
  includePickers?: boolean;
  /** Include the model runs' bucket calls (lib/models/run-permissions.ts). Default true. */
  includeModelRuns?: boolean;
  /** The catalogue to derive from (tests pass their own). */
  steps?: readonly Step[];
  /** Include the access run's own read (the bucket key's policy). Default true, false when `steps` is given. */
  includeAccessCheck?: boolean;
}

/** A known Aurora target needs no instance calls, and the reverse. */
function otherKindActions(s: EnvironmentSettings): string[] {
  return s.dbKind === "instance" ? ["rds:DescribeDBClusters", "rds:ModifyDBCluster"] : ["rds:DescribeDBInstances", "rds:ModifyDBInstance"];
}

const sidOf = (key: string) => key.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());

/** Every (action, resources) grant the console needs, by who needs it (a step key, or `pickers`). */
export function operatorGrants(target?: OperatorPolicyTarget, opts: OperatorPolicyOptions = {}) {
  const t: ScopeTarget = target
    ? { partition: partitionOf(target.settings.region), accountId: target.accountId ?? "*", region: target.settings.region, settings: target.settings }
    : { partition: "aws", accountId: "*", region: "*" };
  const skip = new Set(target ? otherKindActions(target.settings) : []);
  const steps = (opts.steps ?? STEPS).filter((s) => !target || stepApplies(s, target.settings));
  const owners: [string, Permission[]][] = [
    ...(opts.includePickers === false ? [] : [["pickers", PICKER_PERMISSIONS] as [string, Permission[]]]),
    ...steps.map((s) => [s.key, s.permissions] as [string, Permission[]]),
    ...((opts.includeAccessCheck ?? !opts.steps) ? [[accessCheckStep.key, accessCheckStep.permissions] as [string, Permission[]]] : []),
    ...(opts.includeModelRuns === false ? [] : [["model-runs", modelRunPermissions(target?.settings)] as [string, Permission[]]]),
  ];
  return owners.flatMap(([owner, permissions]) =>
    permissions.map((p) => ({ owner, actions: p.actions.filter((a) => !skip.has(a)), resources: p.resources(t) })).filter((g) => g.actions.length),
  );
}

/** Every IAM action the console calls, sorted, without duplicates. */
export function operatorActions(opts: OperatorPolicyOptions = {}): string[] {
  return [...new Set(operatorGrants(undefined, opts).flatMap((g) => g.actions))].sort();
}

/** The grants as a policy: one statement per distinct set of resources, named after the steps that need it. */
export function operatorPolicy(target?: OperatorPolicyTarget, opts: OperatorPolicyOptions = {}): PolicyDocument {
  const byResources = new Map<string, { owners: string[]; actions: Set<string>; resources: string[] }>();
  for (const g of operatorGrants(target, opts)) {
    const key = JSON.stringify([...g.resources].sort());
    const entry = byResources.get(key) ?? { owners: [], actions: new Set<string>(), resources: [...g.resources].sort() };
    if (!entry.owners.includes(g.owner)) entry.owners.push(g.owner);
    for (const a of g.actions) entry.actions.add(a);
    byResources.set(key, entry);
  }
  // An action granted on `*` needs no scoped copy.
  const everywhere = byResources.get(JSON.stringify(["*"]))?.actions ?? new Set<string>();
  const statements: PolicyStatement[] = [];
  for (const [key, e] of byResources) {
    const actions = key === JSON.stringify(["*"]) ? [...e.actions] : [...e.actions].filter((a) => !everywhere.has(a));
    if (!actions.length) continue;
    statements.push({
      Sid: key === JSON.stringify(["*"]) ? "ReadOnlyLookups" : e.owners.map(sidOf).join(""),
      Effect: "Allow",
      Action: actions.sort(),
      Resource: e.resources,
    });
  }
  return { Version: POLICY_VERSION, Statement: statements };
}
