// How much pasted values.yaml the console takes, in one place for the server and the browser's own check.

/** Pasted files beyond this are not values files; refusing them keeps parsing and diffing cheap. */
export const MAX_VALUES_BYTES = 2_000_000;
/** A Studio values.yaml is hundreds of lines; the chart's full defaults about two thousand. */
export const MAX_VALUES_LINES = 10_000;

const count = (n: number) => n.toLocaleString("en-US");

/** Lines of a text (a final newline does not start another). */
function lineCount(text: string): number {
  let lines = text === "" ? 0 : 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < text.length - 1; i = text.indexOf("\n", i + 1)) lines++;
  return lines;
}

/** The rule a pasted values.yaml breaks ("must be at most ..."), or null; `bytes` when already known (a file). */
export function valuesSizeProblem(text: string, bytes = new TextEncoder().encode(text).byteLength): string | null {
  if (bytes > MAX_VALUES_BYTES) return `must be at most ${count(MAX_VALUES_BYTES)} bytes (this one has ${count(bytes)})`;
  const lines = lineCount(text);
  if (lines > MAX_VALUES_LINES) return `must be at most ${count(MAX_VALUES_LINES)} lines (this one has ${count(lines)})`;
  return null;
}
