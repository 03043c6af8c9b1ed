// A run's log as plain text, one line per entry, the same in the browser's Copy and the log.txt download:
// time, level, the step's title (what the run page shows, not its key) and the message with its request id.
import type { LogLine } from "./events";

export function logLineText(line: LogLine, titles: ReadonlyMap<string, string>): string {
  const where = line.stepKey ? (titles.get(line.stepKey) ?? line.stepKey) : "Run";
  const request = line.requestId ? ` (request ${line.requestId})` : "";
  return `${line.at} ${line.level.toUpperCase().padEnd(5)} [${where}] ${line.message}${request}`;
}

export function logText(lines: readonly LogLine[], titles: ReadonlyMap<string, string>): string {
  return lines.map((l) => logLineText(l, titles)).join("\n") + (lines.length ? "\n" : "");
}
