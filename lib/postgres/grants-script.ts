// "Download grants.sql": the statements of statements.ts as a script a DBA runs by hand with psql. Same guards,
// same check-then-act conditions, as DO blocks (which cannot take parameters): identifiers were validated and
// quoted by identifiers.ts, and the conditions' values are inlined with pg's literal escaper.
import "server-only";
import { escapeLiteral } from "pg";
import type { GrantOptions, GrantSettings } from "./identifiers";
import { psqlExampleLines } from "./psql-example";
import { buildGrantPlan, type GrantGuard, type GrantStatement } from "./statements";

export interface GrantsScriptContext extends GrantOptions {
  environmentName?: string;
  /** Shown in the psql command of the header. */
  host?: string;
  port?: number;
  /** The environment's TLS to the database: the example command matches it. */
  tls?: "verify-full" | "disable";
}

/** The whole script: header, BEGIN, guards, statements, COMMIT. Throws IdentifierError on a bad name. */
export function renderGrantsSql(settings: GrantSettings, context: GrantsScriptContext = {}): string {
  const plan = buildGrantPlan(settings, context);
  const t = plan.targets;
  const host = context.host && /^[A-Za-z0-9.-]+$/.test(context.host) ? context.host : "<database endpoint>";
  const port = Number.isInteger(context.port) ? String(context.port) : "5432";
  const lines = [
    `-- grants.sql: Rasa Studio IAM database authentication, guide step 2 (create the IAM database user, grant`,
    `-- database permissions)${context.environmentName ? ` for environment ${comment(context.environmentName)}` : ""}.`,
    `-- Written by the Studio IAM Console. Database ${t.databaseName}, IAM user ${t.iamDbUser}, schemas ${t.schemas.join(", ")}.`,
    `-- Run it as the database admin, connected to ${t.databaseName}, for example:`,
    ...psqlExampleLines({ host, port, database: t.databaseName, file: "grants.sql", tls: context.tls }),
    `-- One transaction: the checks refuse before anything changes, and any error undoes everything.`,
    `-- Idempotent: each statement checks first or repeats harmlessly, so running it again changes nothing.`,
    `-- Afterwards mark the step done in the console; it verifies the result by reading the grants back.`,
    "",
    "BEGIN;",
    ...plan.preamble.map((s) => `${s};`),
    "",
    "-- Checks before any change.",
    ...plan.guards.map(renderGuard),
    "",
    ...plan.statements.flatMap((s) => [`-- ${comment(s.why)}`, renderStatement(s), ""]),
    "COMMIT;",
    "",
  ];
  return lines.join("\n");
}

function renderGuard(guard: GrantGuard): string {
  const found = inlineValues(guard.check, guard.values);
  const body =
    `DECLARE found text := ${found};\n` +
    `BEGIN\n  IF found IS NOT NULL THEN\n` +
    `    RAISE EXCEPTION USING MESSAGE = replace(${escapeLiteral(guard.message)}, '{found}', found);\n` +
    `  END IF;\nEND`;
  return `DO ${dollarQuote(body)};`;
}

function renderStatement(s: GrantStatement): string {
  if (!s.onlyIf) return `${s.sql};`;
  const mark = s.marks ? `\n    PERFORM set_config(${escapeLiteral(s.marks)}, 'on', true);` : "";
  const body =
    `BEGIN\n  IF ${inlineValues(s.onlyIf.condition, s.onlyIf.values)} THEN\n    ${s.sql};${mark}\n` +
    `  END IF;\nEND`;
  return `DO ${dollarQuote(body)};`;
}

/** Replaces `$n` in a constant SQL expression with the n-th value as an escaped literal. */
export function inlineValues(expression: string, values: string[]): string {
  return expression.replace(/\$(\d+)/g, (_, n: string) => {
    const value = values[Number(n) - 1];
    if (value === undefined) throw new Error(`no value for $${n} in a grants condition`);
    return escapeLiteral(value);
  });
}

// Identifiers may contain '$', so a fixed tag such as $$ could be closed early by a name like a$$b: pick a tag
// that does not occur in the body.
export function dollarQuote(body: string, name = "grants"): string {
  let tag = `$${name}$`;
  for (let i = 1; body.includes(tag); i++) tag = `$${name}${i}$`;
  return `${tag}\n${body}\n${tag}`;
}

// A line comment ends at the line break: keep free text on one line.
export function comment(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ");
}
