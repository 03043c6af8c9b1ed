// Benchmark pages: the built console on a job store seeded with 1,000 runs, 8,000 step rows, 100,000 log lines
// and 5,000 audit events; p50/p95 of the environments, environment, runs (history), run and audit pages and of
// a run's event stream (a finished run: snapshot, logs, end) with 1 and 20 concurrent clients (autocannon), and
// each page's HTML size. Goals: one client p95 ≤ 50 ms, 20 clients p95 ≤ 250 ms, no list page over 100 KiB.
// Needs `npm run build` first.
//   npm run bench:pages                  BENCH_SECONDS=5 (per target and client count)
//   npm run bench:pages -- --profile /runs   instead: profile 30 requests of one page, print where the time went
import { underReactServer } from "./react-server";
import type { Figure } from "./support/report";

underReactServer(import.meta.url);

const { hasBuild, startConsole } = await import("./support/console-server");
const { PAGES_SCALE, seedStore } = await import("./support/seed-store");
const { load } = await import("./support/load");
const { profileRequests } = await import("./support/cpu-profile");
const { report } = await import("./support/report");
const { cpuReferenceMs } = await import("./support/cpu-reference");

if (!hasBuild()) {
  console.log("bench/pages: no build of the console here; run `npm run build` first.");
  process.exit(0);
}

const seconds = Math.max(1, Number(process.env.BENCH_SECONDS ?? 5) || 5);
const profileAt = process.argv.indexOf("--profile");
const profilePath = profileAt >= 0 ? (process.argv[profileAt + 1] ?? "/runs") : null;

const t0 = performance.now();
// 25 sessions: 20 clients on event streams stay under the per-session stream limit.
const store = seedStore({ ...PAGES_SCALE, sessions: 25 });
console.log(
  `seeded ${PAGES_SCALE.runs} runs, ${PAGES_SCALE.runs * PAGES_SCALE.stepsPerRun} step rows, ${PAGES_SCALE.runs * PAGES_SCALE.logsPerRun} log lines, ` +
    `${PAGES_SCALE.auditEvents} audit events in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const lastRun = store.runIds[store.runIds.length - 1];
const targets: { name: string; path: string; list?: boolean }[] = [
  { name: "environments", path: "/environments" },
  { name: "environment", path: `/environments/${store.environmentIds[0]}` },
  { name: "runs (history)", path: "/runs", list: true },
  { name: "run", path: `/runs/${lastRun}` },
  { name: "audit", path: "/audit", list: true },
  { name: "run event stream", path: `/runs/${lastRun}/events` },
];

const figures: Figure[] = [];
if (profilePath) {
  const profiled = await startConsole({ dbFile: store.file, sessionSecret: store.sessionSecret, nodeFlags: ["--cpu-prof", `--cpu-prof-dir=${store.dir}`] });
  await profileRequests(profiled, profilePath, store.cookies[0], store.dir);
  store.remove();
  process.exit(0);
}
const referenceBefore = cpuReferenceMs();
const server = await startConsole({ dbFile: store.file, sessionSecret: store.sessionSecret });
try {
  console.log(`${"target".padEnd(18)}${"HTML".padStart(10)}  ${"1 client p50/p95".padStart(18)}  ${"20 clients p50/p95".padStart(20)}  req/s (20)`);
  for (const t of targets) {
    const url = `${server.base}${t.path}`;
    const first = await fetch(url, { headers: { cookie: store.cookies[0] }, redirect: "manual" });
    const bytes = (await first.arrayBuffer()).byteLength;
    if (first.status !== 200) throw new Error(`${t.path} answered ${first.status}, not 200: the seeded session is not accepted`);
    // Warm-up: the first requests of a route load its code.
    await load(url, 2, 1, store.cookies);
    const one = await load(url, 1, seconds, store.cookies);
    const twenty = await load(url, 20, seconds, store.cookies);
    const kib = bytes / 1024;
    console.log(
      `${t.name.padEnd(18)}${`${kib.toFixed(0)} KiB`.padStart(10)}  ${`${one.p50.toFixed(0)}/${one.p95.toFixed(0)} ms`.padStart(18)}  ` +
        `${`${twenty.p50.toFixed(0)}/${twenty.p95.toFixed(0)} ms`.padStart(20)}  ${twenty.perSecond.toFixed(0)}` +
        (one.failures + twenty.failures ? `  (${one.failures + twenty.failures} answers not 2xx)` : ""),
    );
    const failed = one.failures + twenty.failures ? `${one.failures + twenty.failures} answers not 2xx` : undefined;
    figures.push(
      { name: `${t.name} 1 client p50`, value: Math.round(one.p50), unit: "ms" },
      { name: `${t.name} 1 client p95`, value: Math.round(one.p95), unit: "ms", goal: { max: 50 }, note: failed },
      { name: `${t.name} 20 clients p95`, value: Math.round(twenty.p95), unit: `ms (${twenty.perSecond.toFixed(0)} req/s)`, goal: { max: 250 } },
    );
    if (t.list) figures.push({ name: `${t.name} HTML per page`, value: Math.round(kib), unit: "KiB", goal: { max: 100 } });
  }
} finally {
  await server.stop();
}
store.remove();
// The machine's speed before and after the loads (bench/support/cpu-reference.ts): figures of two runs compare only
// when these are close.
const referenceAfter = cpuReferenceMs();
console.log(`machine reference (fixed CPU work): ${referenceBefore.toFixed(0)} ms before, ${referenceAfter.toFixed(0)} ms after`);
figures.push({ name: "machine reference before / after", value: Math.round(Math.max(referenceBefore, referenceAfter)), unit: `ms (${referenceBefore.toFixed(0)} / ${referenceAfter.toFixed(0)} ms)` });
report("pages", figures);
