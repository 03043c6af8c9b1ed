// The benchmark proper (see bench/apply.ts): fixtures, one fresh apply, converged re-applies, figures.
import { readFileSync } from "node:fs";
import { AwsCallCounter } from "@/lib/aws/call-counter";
import { awsClients } from "@/lib/aws/clients";
import { environmentSettingsSchema, type EnvironmentSettings } from "@/lib/config/environment";
import { discoverEnvironment } from "@/lib/steps/discover";
import { AWS_STEP_KEYS, stepByKey } from "@/lib/steps/index";
import type { StepKey, StepOutput } from "@/lib/steps/types";
import { assertSafeEndpoint } from "@/tests/aws-live/endpoint-guard";
import { createFixtures, removeAll } from "@/tests/aws-live/fixtures";
import { stepContext } from "@/tests/support/step-context";

interface Measure {
  label: string;
  ms: number;
  calls: number;
  mutating: number;
  perStepMs: Partial<Record<StepKey, number>>;
}

const endpoint = process.env.AWS_ENDPOINT_URL!;
assertSafeEndpoint(endpoint);
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3) || 3);
process.env.RDS_POLL_INTERVAL_MS ??= "1000";

const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const own = !process.env.BENCH_ENV;
const env: EnvironmentSettings = process.env.BENCH_ENV
  ? environmentSettingsSchema.parse(JSON.parse(readFileSync(process.env.BENCH_ENV, "utf8")))
  : environmentSettingsSchema.parse({
      name: "bench",
      region: process.env.AWS_REGION || "eu-west-1",
      clusterName: `studio-bench-${suffix}`,
      dbIdentifier: `studio-bench-${suffix}`,
      databaseName: "studio",
      bucketName: `studio-bench-${suffix}`,
      storageSituation: "already-s3",
      rdsRoleName: `studio-bench-${suffix}-rds`,
      s3RoleName: `studio-bench-${suffix}-s3`,
    });

const counter = new AwsCallCounter().attach(awsClients(env.region));

async function measure(label: string, run: (perStepMs: Partial<Record<StepKey, number>>) => Promise<void>): Promise<Measure> {
  counter.reset();
  const perStepMs: Partial<Record<StepKey, number>> = {};
  const t0 = performance.now();
  await run(perStepMs);
  return { label, ms: performance.now() - t0, calls: counter.total, mutating: counter.mutating().length, perStepMs };
}

async function applyAll(perStepMs: Partial<Record<StepKey, number>>) {
  const outputs: Partial<Record<StepKey, StepOutput>> = {};
  for (const key of AWS_STEP_KEYS) {
    const t = performance.now();
    outputs[key] = await stepByKey(key).apply(stepContext(env, { outputs: { ...outputs } }));
    perStepMs[key] = performance.now() - t;
  }
}

const fmt = (ms: number) => `${ms.toFixed(1).padStart(8)} ms`;
let providerArn: string | null = null;
try {
  if (own) await createFixtures(env);
  const results: Measure[] = [];
  results.push(await measure("discover (fresh)", async () => void (await discoverEnvironment(env))));
  results.push(await measure("apply (fresh: creates)", applyAll));
  const fresh = counter.byOperation();
  for (let i = 1; i <= rounds; i++) results.push(await measure(`apply (converged #${i})`, applyAll));
  providerArn = (await discoverEnvironment(env)).oidcProvider?.arn ?? null;

  console.log(`AWS apply benchmark against ${endpoint}, region ${env.region}, ${rounds} converged re-applies`);
  console.log(`${"run".padEnd(26)}${"wall".padStart(11)}${"AWS calls".padStart(11)}${"mutating".padStart(10)}`);
  for (const r of results) console.log(`${r.label.padEnd(26)}${fmt(r.ms)}${String(r.calls).padStart(11)}${String(r.mutating).padStart(10)}`);
  const converged = results.filter((r) => r.label.startsWith("apply (converged")).map((r) => r.ms).sort((a, b) => a - b);
  console.log(`median converged apply: ${fmt(converged[Math.floor(converged.length / 2)]).trim()}`);
  console.log("\nper step (fresh apply, converged #1):");
  const [f, c1] = [results[1], results[2]];
  for (const key of AWS_STEP_KEYS) console.log(`  ${key.padEnd(14)}${fmt(f.perStepMs[key] ?? 0)}${fmt(c1.perStepMs[key] ?? 0)}`);
  console.log("\nAWS calls of the fresh apply by operation:");
  for (const [op, n] of Object.entries(fresh)) console.log(`  ${op.padEnd(42)}${String(n).padStart(4)}`);
} finally {
  if (own) {
    const problems = await removeAll(env, providerArn);
    if (problems.length) console.warn(`cleanup left: ${problems.join(", ")}`);
  }
}
