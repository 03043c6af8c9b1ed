import "server-only";
// The AWS CLI equivalent of the plan, for change review (and for admins who prefer to run it themselves). Every
// section is one change of the plan, in the plan's order, printed by the change itself: nothing is parsed back
// out of display text. A change the plan leaves unchanged appears as a comment only.
import type { EnvironmentSettings } from "../config/environment";
import type { IdentityFacts } from "./identity";
import type { Plan } from "./plan";
import type { ChangeAction, CliWriter, PlanRead } from "./types";

/** Single-quoted for POSIX shells. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Words that need no quoting in a shell command line. */
const SAFE = /^[A-Za-z0-9_./:=,@%+-]+$/;

/** A comment line: text read from AWS or typed by an admin must not end the comment and start a command. */
export function commentLine(text: string): string {
  return `# ${text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ")}`;
}

/** A heredoc tag that no line of the body equals, so a document can never end its own heredoc early. */
function heredocTag(body: string): string {
  const lines = new Set(body.split("\n"));
  let tag = "JSON";
  for (let i = 1; lines.has(tag); i++) tag = `JSON_${i}`;
  return tag;
}

/** The change (or read) a block of the script was printed from: what tests compare with the plan. */
export interface CliSection {
  id: string;
  action: ChangeAction | "read";
}

class Script implements CliWriter {
  readonly lines: string[] = [];
  private files = 0;

  command(...argv: (string | { file: string; name: string })[]): void {
    const words = argv.map((a) => {
      if (typeof a === "string") return SAFE.test(a) ? a : shellQuote(a);
      const file = `$work/${String(++this.files).padStart(2, "0")}-${a.name.replace(/[^A-Za-z0-9_.-]/g, "_")}.json`;
      const tag = heredocTag(a.file);
      this.lines.push(`cat > "${file}" <<'${tag}'`, a.file, tag);
      return `"file://${file}"`;
    });
    this.lines.push(words.join(" "));
  }

  note(text: string): void {
    for (const line of text.split("\n")) this.lines.push(commentLine(`  ${line}`));
  }

  comment(text: string): void {
    this.lines.push(commentLine(text));
  }
}

export function renderCliScript(settings: EnvironmentSettings, identity: IdentityFacts | undefined, plan: Plan): { text: string; sections: CliSection[] } {
  const s = new Script();
  const sections: CliSection[] = [];
  s.lines.push("#!/usr/bin/env bash");
  s.comment(`Studio IAM Console, environment ${settings.name}: the AWS CLI equivalent of the plan, for review.`);
  s.comment(identity ? `Account ${identity.accountId} as ${identity.arn}, region ${settings.region}.` : `Region ${settings.region}.`);
  s.comment("Changes the plan leaves unchanged appear as comments only; SQL runs from grants.sql, not from here.");
  s.lines.push("set -euo pipefail", `export AWS_REGION=${shellQuote(settings.region)}`, 'work="$(mktemp -d)"', `trap 'rm -rf "$work"' EXIT`);
  for (const w of plan.warnings) s.comment(`WARNING: ${w}`);
  for (const step of plan.steps) {
    if (!step.applies) continue;
    s.lines.push("");
    s.comment(`--- ${step.key}: ${step.title}`);
    for (const r of step.reads.filter((r: PlanRead) => r.cli)) {
      s.comment(`read: ${r.resource}`);
      r.cli!(s);
    }
    if (step.blockers.length) {
      for (const b of step.blockers) s.lines.push(`echo ${shellQuote(b)} >&2`);
      s.lines.push("exit 1");
    }
    for (const c of step.changes) {
      sections.push({ id: c.id, action: c.action });
      s.comment(`${c.action}: ${c.resource}${c.reason ? ` (${c.reason})` : ""}`);
      if (c.call === "sql") c.cli?.(s);
      else if (c.action !== "unchanged" && c.cli) c.cli(s);
      else if (c.action !== "unchanged") s.comment(`  ${c.call}: nothing to run yet (see the warnings)`);
    }
  }
  return { text: `${s.lines.join("\n")}\n`, sections };
}
