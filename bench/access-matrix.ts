// Benchmark: how long the access matrix of one environment takes to evaluate (goal: well under a second).
// Prints figures; decides nothing.
//   npm run bench:access                      the console's own documents (IRSA + KMS, Pod Identity)
//   BENCH_ROUNDS=50 npm run bench:access      more warm rounds
//   BENCH_ACCESS_INPUT=input.json npm run bench:access   a real AccessMatrixInput (documents as read from AWS)
import { readFileSync } from "node:fs";
import { evaluateAccessMatrix, type AccessMatrixInput } from "@/lib/access";
import { consoleEnvironment } from "@/tests/access/fixtures";
import { report, type Figure } from "./support/report";

const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 20) || 20);

const cases: [string, AccessMatrixInput][] = process.env.BENCH_ACCESS_INPUT
  ? [[process.env.BENCH_ACCESS_INPUT, JSON.parse(readFileSync(process.env.BENCH_ACCESS_INPUT, "utf8"))]]
  : [
      ["IRSA, instance, SSE-KMS", consoleEnvironment({ kms: true })],
      ["Pod Identity, Aurora", consoleEnvironment({ identity: "pod-identity", dbKind: "cluster" })],
    ];

async function timed(input: AccessMatrixInput) {
  const start = performance.now();
  const matrix = await evaluateAccessMatrix(input);
  return { ms: performance.now() - start, matrix };
}

const figures: Figure[] = [];
for (const [label, input] of cases) {
  // The first evaluation in a process also loads the evaluator's IAM action data.
  const first = await timed(input);
  const warm: number[] = [];
  for (let i = 0; i < rounds; i++) warm.push((await timed(input)).ms);
  warm.sort((a, b) => a - b);
  const median = warm[Math.floor(warm.length / 2)];
  const { matrix } = first;
  console.log(
    `access matrix ${label}: ${matrix.rows.length} questions (${matrix.counts.pass} pass, ${matrix.counts.warn} warn, ${matrix.counts.fail} fail)` +
      ` | first ${first.ms.toFixed(1)} ms | warm median ${median.toFixed(1)} ms, max ${warm[warm.length - 1].toFixed(1)} ms over ${rounds} rounds` +
      ` | ${(median / matrix.rows.length).toFixed(2)} ms per question`,
  );
  figures.push(
    { name: `${label}: first evaluation`, value: Math.round(first.ms), unit: "ms", goal: { max: 1000 } },
    { name: `${label}: warm median`, value: Math.round(median), unit: "ms", goal: { max: 1000 } },
  );
}
report("access-matrix", figures);
