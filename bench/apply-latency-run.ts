// The benchmark proper (see bench/apply-latency.ts).
import { AwsCallCounter, type AwsCallCount } from "@/lib/aws/call-counter";
import { awsClients, resetAwsClients } from "@/lib/aws/clients";
import { environmentSettingsSchema } from "@/lib/config/environment";
import { providerArnOf } from "@/lib/steps/oidc-provider";
import { assertSafeEndpoint } from "@/tests/aws-live/endpoint-guard";
import { createFixtures, removeAll } from "@/tests/aws-live/fixtures";
import { engine, observe } from "@/tests/support/engine";
import { migratedDbFile, openTestDb } from "@/tests/support/test-db";
import { startDelayProxy } from "./support/delay-proxy";
import { ms, report, type Figure } from "./support/report";

const emulator = process.env.AWS_ENDPOINT_URL!;
assertSafeEndpoint(emulator);
const delayMs = Number(process.env.BENCH_DELAY_MS ?? 250);
process.env.RDS_POLL_INTERVAL_MS ??= String(Math.max(delayMs, 100));
process.env.AWS_RETRY_DELAY_MS ??= "50";

const suffix = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const env = environmentSettingsSchema.parse({
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

// Fixtures straight at the emulator: only the console's own calls go through the delay.
await createFixtures(env);
const proxy = await startDelayProxy(emulator, delayMs);
process.env.AWS_ENDPOINT_URL = proxy.url;
resetAwsClients();
const counter = new AwsCallCounter().attach(awsClients(env.region));
const e = await engine(env, { store: openTestDb(migratedDbFile()) });

interface Measured {
  label: string;
  wallMs: number;
  calls: AwsCallCount[];
  mutating: number;
  path: AwsCallCount[];
}

async function measure(label: string, run: () => Promise<unknown>): Promise<Measured> {
  counter.reset();
  const t0 = performance.now();
  await run();
  const wallMs = performance.now() - t0;
  return { label, wallMs, calls: [...counter.calls], mutating: counter.mutating().length, path: counter.criticalPath() };
}

const byOperation = (calls: AwsCallCount[]) => {
  const out: Record<string, number> = {};
  for (const c of calls) out[`${c.service}:${c.operation}`] = (out[`${c.service}:${c.operation}`] ?? 0) + 1;
  return Object.entries(out).sort(([a], [b]) => a.localeCompare(b));
};

let providerArn: string | null = null;
try {
  // An admin reviews a plan before applying it: the refresh is measured apart, the apply alone.
  let plan = await e.refreshPlan();
  const refresh = await measure("plan refresh (observe)", async () => void (plan = await e.refreshPlan()));
  const freshApplyOnly = await measure("apply (fresh)", async () => {
    const { view } = await e.apply({ plan });
    if (view.steps.some((s) => s.status === "failed" && s.key !== "db-grants")) throw new Error(`fresh apply failed: ${view.error}`);
  });
  plan = await e.refreshPlan();
  const converged = await measure("apply (converged)", () => e.apply({ plan }));
  providerArn = providerArnOf(await observe(env));

  console.log(`apply-latency: ${delayMs} ms added to every AWS call (emulator ${emulator}, region ${env.region})`);
  console.log(`${"run".padEnd(26)}${"wall".padStart(10)}${"calls".padStart(7)}${"mutating".padStart(10)}${"critical path".padStart(16)}`);
  for (const m of [refresh, freshApplyOnly, converged])
    console.log(
      `${m.label.padEnd(26)}${ms(m.wallMs).padStart(10)}${String(m.calls.length).padStart(7)}${String(m.mutating).padStart(10)}` +
        `${`${m.path.length} calls`.padStart(16)}`,
    );
  for (const m of [freshApplyOnly, converged]) {
    console.log(`\n${m.label}: critical path ${m.path.map((c) => c.operation).join(" → ")}`);
    console.log(`${m.label}: calls by operation ${byOperation(m.calls).map(([op, n]) => `${op}×${n}`).join(", ")}`);
  }
  const figures: Figure[] = [
    { name: "fresh apply wall", value: Math.round(freshApplyOnly.wallMs), unit: "ms", goal: { max: 2500 } },
    { name: "fresh apply calls / mutating", value: freshApplyOnly.calls.length, unit: `calls (${freshApplyOnly.mutating} mutating)` },
    { name: "fresh apply critical path", value: freshApplyOnly.path.length, unit: `calls (${ms(freshApplyOnly.path.length * delayMs)} at ${delayMs} ms)` },
    { name: "converged apply wall", value: Math.round(converged.wallMs), unit: "ms", goal: { max: 1500 } },
    { name: "converged apply calls / mutating", value: converged.calls.length, unit: `calls (${converged.mutating} mutating)` },
    { name: "converged apply critical path", value: converged.path.length, unit: "calls" },
    { name: "plan refresh wall", value: Math.round(refresh.wallMs), unit: "ms" },
  ];
  report("apply-latency", figures);
} finally {
  await e.close();
  await proxy.close();
  process.env.AWS_ENDPOINT_URL = emulator;
  resetAwsClients();
  const problems = await removeAll(env, providerArn);
  if (problems.length) console.warn(`cleanup left: ${problems.join(", ")}`);
}
