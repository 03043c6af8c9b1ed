// The yaml library keeps every comment and key of a parsed document, but prints it in its own layout (it
// re-indents some comments, joins `key:\n  []`, …). A merged values.yaml should differ from the pasted one only
// where the console changed something, so the edits are carried over as line edits onto the pasted text:
// 1. print the parsed document before and after the edits with the same options: their line diff is exactly
//    the console's edits, in printed form;
// 2. align the printed "before" with the pasted text line by line (unchanged lines are identical);
// 3. replay each edit at the aligned place in the pasted text.
// The result is accepted only if it reads back as the same document as the edited one; otherwise the fully
// re-printed document is returned, which is correct, just noisier.
import { diffArrays } from "diff";
import { parseDocument, type Document, type ToStringOptions } from "yaml";
import { YAML_FORMAT } from "./render";

// Beyond this many differing lines (or this long) the layouts have little in common; the alignment would cost
// more than it saves, and the fully re-printed document is returned instead.
const ALIGN_LIMITS = { maxEditLength: 2000, timeout: 1000 } as const;
const FORMAT_SAMPLE_LINES = 400;

interface LineEdit {
  from: number;
  to: number;
  lines: string[];
}

/** The printing options under which `doc` matches `source` best (indent width, indented lists). */
export function closestFormat(source: string, doc: Document): ToStringOptions {
  // The layout shows in the first few hundred lines; comparing those keeps this cheap for long files.
  const sample = (lines: string[]) => lines.slice(0, FORMAT_SAMPLE_LINES);
  const sourceLines = sample(toLines(source));
  let best = YAML_FORMAT;
  let bestCommon = -1;
  for (const indent of [2, 4])
    for (const indentSeq of [true, false]) {
      const options = { ...YAML_FORMAT, indent, indentSeq };
      const common = commonLineCount(sourceLines, sample(toLines(doc.toString(options))));
      if (common > bestCommon) [best, bestCommon] = [options, common];
    }
  return best;
}

/** `after` with the layout of `source` wherever the edits (before → after) did not reach. */
export function keepSourceFormat(source: string, before: string, after: string, format: ToStringOptions): string {
  if (before === after) return source;
  const carried = carryEdits(source, before, after);
  if (carried === null) return after;
  const reprint = (text: string) => {
    const doc = parseDocument(text);
    return doc.errors.length ? null : doc.toString(format);
  };
  const expected = reprint(after);
  return expected !== null && reprint(carried) === expected ? carried : after;
}

function carryEdits(source: string, before: string, after: string): string | null {
  const original = toLines(source);
  const printed = toLines(before);
  const toOriginal = alignLines(original, printed);
  if (!toOriginal) return null;

  const edits: LineEdit[] = [];
  const found = hunks(printed, toLines(after));
  if (!found) return null;
  for (const hunk of found) {
    const edit = placeEdit(hunk, toOriginal, printed.length);
    if (!edit) return null;
    edits.push(edit);
  }
  const lines = [...original];
  let limit = Infinity;
  for (const edit of edits.reverse()) {
    if (edit.to > limit) return null;
    // A changed line keeps the spacing before its trailing comment when the comment itself is unchanged.
    const replaced = edit.lines.map((line, i) => (edit.from + i < edit.to ? withCommentSpacingOf(original[edit.from + i], line) : line));
    lines.splice(edit.from, edit.to - edit.from, ...replaced);
    limit = edit.from;
  }
  return lines.length ? `${lines.join("\n")}\n` : "";
}

/** For each printed line, the index of the identical original line it corresponds to, or -1. */
function alignLines(original: string[], printed: string[]): number[] | null {
  // The printer puts one space before a trailing comment (and none at the end of a line); the admin's file may
  // have two (yamllint's default) or more. Such lines are the same line: aligned, and kept as the admin wrote them.
  const changes = diffArrays(original, printed, { ...ALIGN_LIMITS, comparator: sameButSpacing });
  if (!changes) return null;
  const map = new Array<number>(printed.length).fill(-1);
  let o = 0;
  let p = 0;
  for (const change of changes) {
    const n = change.value.length;
    if (change.added) p += n;
    else if (change.removed) o += n;
    else for (let k = 0; k < n; k++) map[p++] = o++;
  }
  return map;
}

/** Runs of removed/added lines between two printings, as edits in the first one's line numbers. */
function hunks(before: string[], after: string[]): LineEdit[] | null {
  const changes = diffArrays(before, after, ALIGN_LIMITS);
  if (!changes) return null;
  const out: LineEdit[] = [];
  let current: LineEdit | null = null;
  let at = 0;
  for (const change of changes) {
    const n = change.value.length;
    if (!change.added && !change.removed) {
      if (current) out.push(current);
      current = null;
      at += n;
      continue;
    }
    current ??= { from: at, to: at, lines: [] };
    if (change.removed) {
      current.to += n;
      at += n;
    } else current.lines.push(...change.value);
  }
  if (current) out.push(current);
  return out;
}

/** Moves a printed-line edit onto the original lines; null when the place is not unambiguous. */
function placeEdit(edit: LineEdit, toOriginal: number[], printedLength: number): LineEdit | null {
  if (edit.to > edit.from) {
    const from = toOriginal[edit.from];
    for (let k = edit.from; k < edit.to; k++) if (toOriginal[k] !== from + (k - edit.from) || from < 0) return null;
    return { from, to: from + (edit.to - edit.from), lines: edit.lines };
  }
  // An insertion goes right after the line it follows in print (or before the line it precedes).
  let at: number;
  if (edit.from === 0) at = 0;
  else if (toOriginal[edit.from - 1] >= 0) at = toOriginal[edit.from - 1] + 1;
  else if (edit.from < printedLength && toOriginal[edit.from] >= 0) at = toOriginal[edit.from];
  else return null;
  return { from: at, to: at, lines: edit.lines };
}

function commonLineCount(a: string[], b: string[]): number {
  const changes = diffArrays(a, b, ALIGN_LIMITS);
  if (!changes) return 0;
  return changes.filter((c) => !c.added && !c.removed).reduce((sum, c) => sum + c.value.length, 0);
}

export function toLines(text: string): string[] {
  if (text === "") return [];
  return (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
}

/** A line without the differences the printer makes: spaces before a trailing comment, trailing spaces. */
function spacingFree(line: string): string {
  return line.replace(/[ \t]+#/g, " #").replace(/[ \t]+$/, "");
}

function sameButSpacing(a: string, b: string): boolean {
  return a === b || spacingFree(a) === spacingFree(b);
}

const TRAILING_COMMENT = /^(.*?\S)([ \t]+)(#.*)$/;

/** `line` with the whitespace `original` has before the same trailing comment. */
function withCommentSpacingOf(original: string, line: string): string {
  const was = TRAILING_COMMENT.exec(original);
  const now = TRAILING_COMMENT.exec(line);
  return was && now && was[3] === now[3] ? `${now[1]}${was[2]}${now[3]}` : line;
}
