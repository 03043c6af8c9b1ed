// Runs the grants on an admin connection: one transaction, guards first (nothing changes when one refuses), then
// each statement check-then-act. Every check is a parameterised query; every statement is logged as run or skipped.
// Grants on one database are serialised by an advisory lock (the plan's preamble); a transaction that still meets
// a concurrent catalog update ("tuple concurrently updated", a deadlock, a serialization failure) is rolled back
// and run again from the start.
import "server-only";
import type { ClientBase } from "pg";
import type { GrantOptions, GrantSettings } from "./identifiers";
import { buildGrantPlan, type GrantStatement } from "./statements";
import type { GrantLog } from "./types";

export type { GrantLog } from "./types";

/** The fields of pg's notice message the log uses (pg does not re-export its type). */
type Notice = { severity?: string; message?: string };


export interface AppliedGrants {
  iamDbUser: string;
  /** Ids of the statements that ran, in order. */
  executed: string[];
  /** Ids of the statements whose check found them already done. */
  skipped: string[];
  /** REASSIGN OWNED ran (it was chosen). */
  reassigned: boolean;
  /** The catalog state the grants touch differs after COMMIT (false on a repeat run). */
  changed: boolean;
}

/** A guard refused: nothing was changed. `guard` names which (e.g. `rds-iam-role`, `no-login-members`). */
export class GrantRefusedError extends Error {
  constructor(
    readonly guard: string,
    message: string,
  ) {
    super(message);
    this.name = "GrantRefusedError";
  }
}

/** A statement failed; the transaction was rolled back. Carries the SQLSTATE, never a value. */
export class GrantStatementError extends Error {
  constructor(
    readonly statement: string,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = "GrantStatementError";
  }
}

/** How many times a transaction that met a concurrent catalog update is run in all. */
export const GRANT_ATTEMPTS = 4;

/** Errors that mean "another transaction touched the same catalog row": running again is safe and settles it. */
export function isConcurrentUpdate(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    e?.code === "40001" || e?.code === "40P01" || (e?.code === "XX000" && /tuple concurrently (updated|deleted)/i.test(e.message ?? ""))
  );
}

export async function applyGrants(
  client: ClientBase,
  settings: GrantSettings,
  options: GrantOptions & { log: GrantLog },
): Promise<AppliedGrants> {
  // Validation throws here, before the first query.
  buildGrantPlan(settings, options);
  for (let attempt = 1; ; attempt++) {
    try {
      return await applyOnce(client, settings, options);
    } catch (error) {
      if (!isConcurrentUpdate(error) || attempt >= GRANT_ATTEMPTS) throw error;
      await options.log(
        "warn",
        `another transaction changed the same catalog rows at the same time (${(error as Error).message}); nothing was committed, running the grants again (attempt ${attempt + 1} of ${GRANT_ATTEMPTS})`,
      );
    }
  }
}

async function applyOnce(client: ClientBase, settings: GrantSettings, options: GrantOptions & { log: GrantLog }): Promise<AppliedGrants> {
  const plan = buildGrantPlan(settings, options);
  const { log } = options;
  const notices: Notice[] = [];
  const onNotice = (n: Notice) => notices.push(n);
  const flushNotices = async () => {
    for (const n of notices.splice(0))
      await log(n.severity === "WARNING" ? "warn" : "info", `PostgreSQL ${n.severity?.toLowerCase() ?? "notice"}: ${n.message}`);
  };
  const result: AppliedGrants = {
    iamDbUser: plan.targets.iamDbUser,
    executed: [],
    skipped: [],
    reassigned: false,
    changed: false,
  };

  client.on("notice", onNotice);
  await client.query("BEGIN");
  try {
    for (const sql of plan.preamble) await client.query(sql);
    const before = await fingerprint(client, plan.targets.iamDbUser, plan.targets.schemas);
    for (const guard of plan.guards) {
      const { rows } = await client.query<{ found: string | null }>(`SELECT (${guard.check}) AS found`, guard.values);
      const found = rows[0]?.found;
      if (found !== null && found !== undefined)
        throw new GrantRefusedError(guard.id, guard.message.replace("{found}", found));
    }
    for (const statement of plan.statements) {
      if (await alreadyDone(client, statement)) {
        result.skipped.push(statement.id);
        await log("info", `skipped (${statement.onlyIf!.skipped}): ${statement.sql}`);
        continue;
      }
      await log("info", `SQL: ${statement.sql}`);
      await run(client, statement);
      if (statement.marks) await client.query("SELECT set_config($1, 'on', true)", [statement.marks]);
      result.executed.push(statement.id);
      if (statement.id === "reassign-owned") result.reassigned = true;
      await flushNotices();
    }
    const after = await fingerprint(client, plan.targets.iamDbUser, plan.targets.schemas);
    result.changed = before !== after;
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    await flushNotices();
    throw error;
  } finally {
    client.off("notice", onNotice);
  }
  await log(
    "info",
    result.changed
      ? `grants committed: ${result.executed.length} statements ran, ${result.skipped.length} were already done`
      : "no change: every grant was already in place",
  );
  return result;
}

async function alreadyDone(client: ClientBase, statement: GrantStatement): Promise<boolean> {
  if (!statement.onlyIf) return false;
  const { rows } = await client.query<{ needed: boolean }>(
    `SELECT (${statement.onlyIf.condition}) AS needed`,
    statement.onlyIf.values,
  );
  return rows[0]?.needed !== true;
}

async function run(client: ClientBase, statement: GrantStatement) {
  try {
    await client.query(statement.sql);
  } catch (error) {
    const e = error as { code?: string; message?: string };
    const hint =
      e.code === "42501"
        ? ": the admin user lacks a privilege this statement needs (it must own the objects or hold the owner's privileges; set originalDbOwner so the console can borrow them for the transaction)"
        : "";
    throw new GrantStatementError(statement.id, e.code, `${statement.sql} failed: ${e.message ?? String(error)}${hint}`);
  }
}

/** A digest of the catalog rows the grants touch, to tell a repeat run (no change) from a converging one. */
async function fingerprint(client: ClientBase, user: string, schemas: string[]): Promise<string> {
  const { rows } = await client.query<{ digest: string }>(
    `SELECT md5(concat_ws('|',
      (SELECT rolname || ':' || rolcanlogin::text FROM pg_roles WHERE rolname = $1::name),
      (SELECT string_agg(roleid::text, ',' ORDER BY roleid) FROM pg_auth_members
        WHERE member = (SELECT oid FROM pg_roles WHERE rolname = $1::name)),
      (SELECT datdba::text || ':' || coalesce(datacl::text, '') FROM pg_database WHERE datname = current_database()),
      (SELECT string_agg(nspname || ':' || nspowner::text || ':' || coalesce(nspacl::text, ''), ',' ORDER BY nspname)
        FROM pg_namespace WHERE nspname = ANY($2::name[])),
      (SELECT string_agg(c.oid::text || ':' || c.relowner::text || ':' || coalesce(c.relacl::text, ''), ',' ORDER BY c.oid)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ANY($2::name[])),
      (SELECT string_agg(defaclrole::text || ':' || defaclnamespace::text || ':' || defaclobjtype::text || ':' || defaclacl::text, ','
        ORDER BY defaclrole, defaclnamespace, defaclobjtype) FROM pg_default_acl))) AS digest`,
    [user, schemas],
  );
  return rows[0].digest;
}
