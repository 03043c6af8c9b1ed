// The grants' side of "observe": read-only, it tells for each statement of statements.ts whether running it would
// change anything, and which guards would refuse, so a plan refreshed with database credentials shows every SQL
// row unchanged on a converged database. Everything runs in a READ ONLY transaction that is rolled back; every
// value is a query parameter.
import "server-only";
import type { ClientBase } from "pg";
import type { GrantOptions, GrantSettings } from "./identifiers";
import { buildGrantPlan, type GrantStatement } from "./statements";
import { observeOwnership, type OwnershipFacts } from "./ownership";

/**
 * `in-place`: running the statement would change nothing. `needed`: it would. `transient`: the admin's temporary
 * memberships, granted and revoked inside the transaction (they leave nothing behind).
 */
export type StatementState = "in-place" | "needed" | "transient";

export interface ObservedStatement {
  id: string;
  resource: string;
  sql: string;
  state: StatementState;
  /** Why, in words (the statement's skip reason, or what is missing). */
  detail: string;
}

export interface GrantsObservation {
  statements: ObservedStatement[];
  /** Guards that would refuse the apply now, with their message. */
  refusals: Array<{ guard: string; message: string }>;
  /** Nothing lasting left to do and nothing refusing: a plan shows every SQL row unchanged. */
  converged: boolean;
  /** The original owner as the server sees it (null without originalDbOwner). */
  ownership: OwnershipFacts | null;
}

/**
 * Observes the grants on an admin connection to the environment's database. Read-only: nothing is changed, and
 * the connection is left outside any transaction. Throws IdentifierError (before any query) on a bad name.
 */
export async function observeGrants(client: ClientBase, settings: GrantSettings, options: GrantOptions = {}): Promise<GrantsObservation> {
  const plan = buildGrantPlan(settings, options);
  const t = plan.targets;
  await client.query("BEGIN READ ONLY");
  try {
    const refusals: GrantsObservation["refusals"] = [];
    for (const guard of plan.guards) {
      // A guard may refer to a role an earlier guard reports missing (rds_iam before IAM auth is enabled).
      const found = await inSavepoint(client, () => value<string | null>(client, `SELECT (${guard.check}) AS v`, guard.values));
      if (found instanceof Error) {
        if (!refusals.length) refusals.push({ guard: guard.id, message: `cannot be checked yet: ${found.message}` });
      } else if (found !== null && found !== undefined) refusals.push({ guard: guard.id, message: guard.message.replace("{found}", found) });
    }
    const userExists = (await value<boolean>(client, "SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1::name) AS v", [t.iamDbUser])) === true;
    const statements: ObservedStatement[] = [];
    for (const s of plan.statements) statements.push(await observeStatement(client, s, userExists));
    const ownership = t.originalDbOwner ? await observeOwnership(client, settings, options) : null;
    const lastingLeft = statements.some((s) => s.state === "needed");
    // With nothing lasting to do the temporary memberships would only come and go: no change either.
    if (!lastingLeft) for (const s of statements) if (s.state === "transient") s.state = "in-place";
    return { statements, refusals, converged: !lastingLeft && refusals.length === 0, ownership };
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
  }
}

async function observeStatement(client: ClientBase, s: GrantStatement, userExists: boolean): Promise<ObservedStatement> {
  const base = { id: s.id, resource: s.resource, sql: s.sql };
  if (s.transient) return { ...base, state: "transient", detail: "granted and revoked within the grants transaction" };
  if (s.id === "create-user")
    return userExists ? { ...base, state: "in-place", detail: "the user already exists" } : { ...base, state: "needed", detail: "the user does not exist yet" };
  // Every other check asks about the IAM user; PostgreSQL errors on a missing role.
  if (!userExists) return { ...base, state: "needed", detail: "the user does not exist yet" };
  const check = s.onlyIf
    ? { condition: `NOT (${s.onlyIf.condition})`, values: s.onlyIf.values, inPlace: s.onlyIf.skipped }
    : s.inPlace
      ? { condition: s.inPlace.condition, values: s.inPlace.values, inPlace: "already in place" }
      : null;
  if (!check) return { ...base, state: "needed", detail: "cannot be read back: it runs on every apply" };
  // A check may refer to a role or schema a guard reports missing: that statement is then simply needed.
  const inPlace = await inSavepoint(client, () => value<boolean>(client, `SELECT (${check.condition}) AS v`, check.values));
  if (inPlace instanceof Error) return { ...base, state: "needed", detail: `cannot be checked yet: ${inPlace.message}` };
  return inPlace === true ? { ...base, state: "in-place", detail: check.inPlace } : { ...base, state: "needed", detail: "not in place yet" };
}

/** Runs a read inside a savepoint: an error comes back as a value and leaves the transaction usable. */
async function inSavepoint<T>(client: ClientBase, read: () => Promise<T>): Promise<T | Error> {
  await client.query("SAVEPOINT observe_read");
  try {
    const result = await read();
    await client.query("RELEASE SAVEPOINT observe_read");
    return result;
  } catch (error) {
    await client.query("ROLLBACK TO SAVEPOINT observe_read");
    return error instanceof Error ? error : new Error(String(error));
  }
}

async function value<T>(client: ClientBase, text: string, values: unknown[]): Promise<T | undefined> {
  const { rows } = await client.query<{ v: T }>(text, values);
  return rows[0]?.v;
}
