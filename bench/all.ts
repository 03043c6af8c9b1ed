// `npm run bench`: every benchmark, one after another (they would disturb each other's figures side by side),
// each in its own process as its own `npm run bench:<name>` would run it; their machine-readable result lines
// (bench/support/report.ts) are collected into one table: figure, value, goal, met. A benchmark that needs
// something this machine lacks (AWS_ENDPOINT_URL, a build) says so and is listed as not measured.
//   npm run bench                       all of them
//   npm run bench -- pages cold-start   only those named
import { spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { met, RESULT_PREFIX, type Figure } from "./support/report";

const here = path.dirname(fileURLToPath(import.meta.url));

/** Name → script, in the order they run (cheap and in-process first; those that start the console last). */
export const BENCHES: [string, string][] = [
  ["values-merge", "values-merge.ts"],
  ["access-matrix", "access-matrix.ts"],
  ["apply-latency", "apply-latency.ts"],
  ["apply-vs-cli", "apply-vs-cli.ts"],
  ["model-copy", "model-copy.ts"],
  ["first-load-js", "first-load-js.ts"],
  ["cold-start", "cold-start.ts"],
  ["pages", "pages.ts"],
  ["progress-latency", "progress-latency.ts"],
];

interface Outcome {
  bench: string;
  figures: Figure[];
  exit: number;
}

function run(name: string, script: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const figures: Figure[] = [];
    const child = spawn(process.execPath, [...process.execArgv, path.join(here, script)], { stdio: ["ignore", "pipe", "inherit"] });
    let rest = "";
    child.stdout.on("data", (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) {
        if (line.startsWith(RESULT_PREFIX)) figures.push(...(JSON.parse(line.slice(RESULT_PREFIX.length)) as { figures: Figure[] }).figures);
        else console.log(`  ${line}`);
      }
    });
    child.on("close", (code) => resolve({ bench: name, figures, exit: code ?? 1 }));
  });
}

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !BENCHES.some(([n]) => n === w));
if (unknown.length) {
  console.error(`unknown benchmark: ${unknown.join(", ")} (known: ${BENCHES.map(([n]) => n).join(", ")})`);
  process.exit(2);
}
const outcomes: Outcome[] = [];
for (const [name, script] of BENCHES) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`\n== ${name}`);
  const t0 = performance.now();
  outcomes.push(await run(name, script));
  console.log(`== ${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const goalText = (f: Figure) =>
  !f.goal ? "" : [f.goal.min !== undefined ? `≥ ${f.goal.min}` : "", f.goal.max !== undefined ? `≤ ${f.goal.max}` : ""].filter(Boolean).join(" ");
const rows: string[][] = [["bench", "figure", "value", "goal", "met"]];
for (const o of outcomes) {
  if (!o.figures.length) rows.push([o.bench, o.exit === 0 ? "not measured (see its output)" : `failed (exit ${o.exit})`, "", "", ""]);
  for (const f of o.figures) {
    const ok = met(f);
    rows.push([o.bench, f.name, `${f.value} ${f.unit}`, goalText(f), ok === null ? "" : ok ? "yes" : "NO"]);
  }
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
console.log(`\nBenchmarks on ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${new Date().toISOString()}`);
console.log(line(rows[0]));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const r of rows.slice(1)) console.log(line(r));
const notes = outcomes.flatMap((o) => o.figures.filter((f) => f.note).map((f) => `- ${o.bench} ${f.name}: ${f.note}`));
if (notes.length) console.log(`\n${notes.join("\n")}`);
process.exit(outcomes.some((o) => o.exit !== 0) ? 1 : 0);
