// Merge guide step 4 into a values.yaml someone already deploys with: their keys, comments and order stay,
// the console's keys are set, values that would silently defeat the upgrade are corrected (or the merge refused,
// see safeguards.ts), and the line diff shows exactly what changed.
import { diffLines } from "diff";
import { LineCounter, parseDocument, visit, type Document, type YAMLMap } from "yaml";
import type { RoleArns, ValuesSettings } from "./apply-values";
import { applyValues } from "./apply-values";
import { stripHelmHeading } from "./detect";
import { ValuesLimitError, ValuesYamlError } from "./errors";
import { closestFormat, keepSourceFormat, toLines } from "./keep-format";
import { valuesSizeProblem } from "./limits";
import { profileFor } from "./profiles";
import { renderValues } from "./render";
import { correctDefeatingValues, refuseDefeatingValues, type ValuesContext, type ValuesCorrection } from "./safeguards";
import { ValuesEditor, type SourceInfo } from "./values-editor";

export { MAX_VALUES_BYTES, MAX_VALUES_LINES } from "./limits";

export type DiffLine = { kind: "same" | "added" | "removed"; text: string };

export interface MergeResult {
  yaml: string;
  /** Null when the diff is too large to show (see DIFF_LIMITS): the merged file is still complete. */
  diff: DiffLine[] | null;
  /** Values changed because they would have defeated the upgrade, each with its reason (also in the diff). */
  corrections: ValuesCorrection[];
}

/**
 * A line diff costs about (lines × changed lines): past this many changed lines, or this long, it gives up and
 * the console says the diff is too large to show (the merge is unaffected).
 */
export const DIFF_LIMITS = { maxEditLength: 2_000, timeout: 2_000 } as const;

/** Refuses input beyond the byte and line caps, with the field's own wording ("values.yaml must be ..."). */
export function checkValuesSize(text: string): void {
  const problem = valuesSizeProblem(text, Buffer.byteLength(text, "utf8"));
  if (problem) throw new ValuesLimitError(problem);
}

/**
 * The environment's values merged into an existing file. `context` (the RDS endpoint and port from discovery)
 * lets the merge correct a database host the IAM token would not be valid for. Throws ValuesYamlError for a file
 * that is not valid YAML or has the wrong shape, ValuesRefusedError for values only the admin can settle.
 */
export function mergeValues(
  existingYaml: string,
  settings: ValuesSettings & { name?: string },
  arns: RoleArns,
  context: ValuesContext = {},
): MergeResult {
  const merged = mergeInto(
    existingYaml,
    () => renderValues(settings, arns, context),
    (doc, source) => {
      const profile = profileFor(settings);
      refuseDefeatingValues(doc, settings, profile);
      const corrections = correctDefeatingValues(doc, new ValuesEditor(doc, source), profile, context);
      applyValues(doc, settings, arns, source, context);
      return corrections;
    },
  );
  return { yaml: merged.yaml, diff: merged.diff, corrections: merged.result ?? [] };
}

/**
 * Edits a pasted values file in place, keeping its layout byte for byte where the edits do not reach; an empty
 * file gets `render()` instead. Shared by the values merge and the rollback merge.
 */
export function mergeInto<T>(
  existingYaml: string,
  render: () => string,
  edit: (doc: Document, source: SourceInfo) => T,
): { yaml: string; diff: DiffLine[] | null; result: T | null } {
  checkValuesSize(existingYaml);
  const source = normalize(existingYaml);
  if (source.trim() === "") {
    const yaml = render();
    return { yaml, diff: lineDiff(source, yaml), result: null };
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter });
  const [error] = doc.errors;
  if (error) {
    const at = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
    throw new ValuesYamlError(reasonOf(error.message), at.line, at.col);
  }
  // The parser accepts an alias whose anchor comes later or nowhere; printing the file would then throw.
  visit(doc, {
    Alias(_, alias) {
      if (alias.resolve(doc)) return;
      const at = lineCounter.linePos(alias.range?.[0] ?? 0);
      throw new ValuesYamlError(`the alias *${alias.source} has no anchor &${alias.source} before it`, at.line, at.col);
    },
  });

  const format = closestFormat(source, doc);
  const before = doc.toString(format);
  const result = edit(doc, {
    locate: (node) => {
      const start = (node as { range?: Range } | null)?.range?.[0];
      if (start === undefined) return null;
      const at = lineCounter.linePos(start);
      return { line: at.line, column: at.col };
    },
    ownsTrailingComment: (map) => ownsTrailingComment(source, map),
  });
  const yaml = keepSourceFormat(source, before, doc.toString(format), format);
  return { yaml, diff: lineDiff(source, yaml), result };
}

/** One entry per line: unchanged, added or removed; null when the diff is too large to compute (DIFF_LIMITS). */
export function lineDiff(before: string, after: string): DiffLine[] | null {
  const changes = diffLines(before, after, DIFF_LIMITS);
  if (!changes) return null;
  const out: DiffLine[] = [];
  for (const change of changes) {
    const kind = change.added ? "added" : change.removed ? "removed" : "same";
    for (const text of toLines(change.value)) out.push({ kind, text });
  }
  return out;
}

type Range = [number, number, number];

/** Whether the first comment line after the map's last entry is indented like the map's keys. */
function ownsTrailingComment(source: string, map: YAMLMap): boolean {
  const range = map.range as Range | undefined;
  if (!range) return false;
  const column = range[0] - (source.lastIndexOf("\n", range[0] - 1) + 1);
  const comment = source
    .slice(range[1], range[2])
    .split("\n")
    .find((line) => line.trimStart().startsWith("#"));
  return comment !== undefined && comment.length - comment.trimStart().length === column;
}

// Windows line endings, a missing final newline and `helm get values`' heading line are not changes worth showing.
function normalize(text: string): string {
  const lf = stripHelmHeading(text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n"));
  return lf === "" || lf.endsWith("\n") ? lf : `${lf}\n`;
}

// The library's message ends with its own " at line L, column C:" and a code excerpt; the error class
// states the position itself.
function reasonOf(message: string): string {
  return message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
}
