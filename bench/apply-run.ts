// The benchmark proper (see bench/apply.ts): fixtures, one fresh apply through the job service, converged
// re-applies, figures.
import { readFileSync } from "node:fs";
import { AwsCallCounter } from "@/lib/aws/call-counter";
import { awsClients } from "@/lib/aws/clients";
import { environmentSettingsSchema, type EnvironmentSettings } from "@/lib/config/environment";
import { providerArnOf } from "@/lib/steps/oidc-provider";
import { assertSafeEndpoint } from "@/tests/aws-live/endpoint-guard";
import { createFixtures, removeAll } from "@/tests/aws-live/fixtures";
import { engine, observe } from "@/tests/support/engine";
import { migratedDbFile, openTestDb } from "@/tests/support/test-db";

interface Measure {
  label: string;
  ms: number;
  calls: number;
  mutating: number;
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

async function measure(label: string, run: () => Promise<unknown>): Promise<Measure> {
  counter.reset();
  const t0 = performance.now();
  await run();
  return { label, ms: performance.now() - t0, calls: counter.total, mutating: counter.mutating().length };
}

const fmt = (ms: number) => `${ms.toFixed(1).padStart(8)} ms`;
let providerArn: string | null = null;
// A job store of its own, migrated like the console's.
const e = await engine(env, { store: openTestDb(migratedDbFile()) });
try {
  if (own) await createFixtures(env);
  const results: Measure[] = [];
  results.push(await measure("observe (fresh)", () => observe(env)));
  // The plan is computed apart from the apply, as an admin reviews it first.
  const plan = await e.refreshPlan();
  results.push(await measure("apply (fresh: creates)", () => e.apply({ plan })));
  const fresh = counter.byOperation();
  for (let i = 1; i <= rounds; i++) {
    const p = await e.refreshPlan();
    results.push(await measure(`apply (converged #${i})`, () => e.apply({ plan: p })));
  }
  providerArn = providerArnOf(await observe(env));

  console.log(`AWS apply benchmark against ${endpoint}, region ${env.region}, ${rounds} converged re-applies`);
  console.log(`${"run".padEnd(26)}${"wall".padStart(11)}${"AWS calls".padStart(11)}${"mutating".padStart(10)}`);
  for (const r of results) console.log(`${r.label.padEnd(26)}${fmt(r.ms)}${String(r.calls).padStart(11)}${String(r.mutating).padStart(10)}`);
  const converged = results.filter((r) => r.label.startsWith("apply (converged")).map((r) => r.ms).sort((a, b) => a - b);
  console.log(`median converged apply: ${fmt(converged[Math.floor(converged.length / 2)]).trim()}`);
  console.log("\nAWS calls of the fresh apply by operation:");
  for (const [op, n] of Object.entries(fresh)) console.log(`  ${op.padEnd(42)}${String(n).padStart(4)}`);
} finally {
  await e.close();
  if (own) {
    const problems = await removeAll(env, providerArn);
    if (problems.length) console.warn(`cleanup left: ${problems.join(", ")}`);
  }
}
