// The benchmark proper (see bench/apply-vs-cli.ts).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { awsClients, resetAwsClients } from "@/lib/aws/clients";
import { environmentSettingsSchema, type EnvironmentSettings } from "@/lib/config/environment";
import { renderCliScript } from "@/lib/steps/cli-script";
import { identityFacts } from "@/lib/steps/facts";
import { providerArnOf } from "@/lib/steps/oidc-provider";
import { buildPlan } from "@/lib/steps/plan";
import { assertSafeEndpoint } from "@/tests/aws-live/endpoint-guard";
import { createFixtures, removeAll } from "@/tests/aws-live/fixtures";
import { engine, observe, planOf } from "@/tests/support/engine";
import { migratedDbFile, openTestDb } from "@/tests/support/test-db";
import { startDelayProxy } from "./support/delay-proxy";
import { report } from "./support/report";

const emulator = process.env.AWS_ENDPOINT_URL!;
assertSafeEndpoint(emulator);
const delayMs = Number(process.env.BENCH_DELAY_MS ?? 250);
process.env.RDS_POLL_INTERVAL_MS ??= String(Math.max(delayMs, 100));
process.env.AWS_RETRY_DELAY_MS ??= "50";
const region = process.env.AWS_REGION || "eu-west-1";

function settingsFor(kind: string): EnvironmentSettings {
  const suffix = `${kind}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  return environmentSettingsSchema.parse({
    name: "bench",
    region,
    clusterName: `studio-${suffix}`,
    dbIdentifier: `studio-${suffix}`,
    databaseName: "studio",
    bucketName: `studio-${suffix}`,
    storageSituation: "already-s3",
    rdsRoleName: `studio-${suffix}-rds`,
    s3RoleName: `studio-${suffix}-s3`,
  });
}

/** AWS changes a fresh plan still wants (the grants are SQL, run apart from both): none means converged. */
async function leftToDo(env: EnvironmentSettings): Promise<string[]> {
  const plan = buildPlan(env, await observe(env));
  return plan.steps.filter((s) => s.key !== "db-grants").flatMap((s) => s.changes.filter((c) => c.action !== "unchanged").map((c) => `${s.key}: ${c.call}`));
}

const cliEnv = settingsFor("cli");
const consoleEnv = settingsFor("con");
// The same fresh state for both, created straight at the emulator (not timed).
await createFixtures(cliEnv);
await createFixtures(consoleEnv);
const proxy = await startDelayProxy(emulator, delayMs);
process.env.AWS_ENDPOINT_URL = proxy.url;
resetAwsClients();
awsClients(region);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-cli-"));
const providers: (string | null)[] = [null, null];
try {
  // The CLI: the plan an admin would review, rendered as the script the console offers, run by bash + aws.
  const { facts, plan } = await planOf(cliEnv);
  const script = path.join(dir, "apply.sh");
  fs.writeFileSync(script, renderCliScript(cliEnv, identityFacts(facts), plan).text);
  const commands = fs.readFileSync(script, "utf8").split("\n").filter((l) => /^aws /.test(l)).length;
  const t0 = performance.now();
  // Not spawnSync: the delaying proxy runs in this process and must keep answering.
  const cli = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = spawn("bash", [script], { env: { ...process.env, AWS_ENDPOINT_URL: proxy.url, AWS_DEFAULT_REGION: region }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("close", (status) => resolve({ status, stderr }));
  });
  const cliMs = performance.now() - t0;
  if (cli.status !== 0) throw new Error(`the CLI script failed (exit ${cli.status}): ${cli.stderr.slice(-2000)}`);
  const cliLeft = await leftToDo(cliEnv);

  // The console: the same plan for the second environment, applied through the job service.
  const e = await engine(consoleEnv, { store: openTestDb(migratedDbFile()) });
  let consoleMs = 0;
  try {
    const saved = await e.refreshPlan();
    const t1 = performance.now();
    const { view } = await e.apply({ plan: saved });
    consoleMs = performance.now() - t1;
    if (view.steps.some((s) => s.status === "failed" && s.key !== "db-grants")) throw new Error(`the console's apply failed: ${view.error}`);
  } finally {
    await e.close();
  }
  const consoleLeft = await leftToDo(consoleEnv);
  providers[0] = providerArnOf(await observe(cliEnv));
  providers[1] = providerArnOf(await observe(consoleEnv));

  console.log(`apply-vs-cli: ${delayMs} ms added to every AWS call (emulator ${emulator}, region ${region})`);
  console.log(`AWS CLI script (${commands} aws commands, run one after another): ${(cliMs / 1000).toFixed(1)} s; left to do afterwards: ${cliLeft.length ? cliLeft.join(", ") : "nothing"}`);
  console.log(`console apply: ${(consoleMs / 1000).toFixed(1)} s; left to do afterwards: ${consoleLeft.length ? consoleLeft.join(", ") : "nothing"}`);
  if (cliLeft.length || consoleLeft.length) throw new Error("one of the two did not converge: the comparison would not be fair");
  report("apply-vs-cli", [
    { name: "AWS CLI script wall", value: Math.round(cliMs), unit: `ms (${commands} commands)` },
    { name: "console apply wall", value: Math.round(consoleMs), unit: "ms" },
    { name: "console / CLI", value: Number((consoleMs / cliMs).toFixed(2)), unit: "×" },
  ]);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
  process.env.AWS_ENDPOINT_URL = emulator;
  resetAwsClients();
  await proxy.close();
  for (const [i, env] of [cliEnv, consoleEnv].entries()) {
    const problems = await removeAll(env, providers[i]);
    if (problems.length) console.warn(`cleanup left: ${problems.join(", ")}`);
  }
}
