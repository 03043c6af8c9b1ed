// Benchmark cold-start: the built console started as `npm start` starts it (scripts/server.mjs) on a migrated
// job store with one user, timed from process start to the first 200 of /api/health and, in a separate start,
// of /sign-in (the first page render loads the page's code). Median of BENCH_TRIALS (default 3) starts each.
// Goal ≤ 2 s. Needs `npm run build` first.   npm run bench:cold-start
import { underReactServer } from "./react-server";

underReactServer(import.meta.url);

const { hasBuild, startConsole } = await import("./support/console-server");
const { seedStore } = await import("./support/seed-store");
const { report } = await import("./support/report");

if (!hasBuild()) {
  console.log("bench/cold-start: no build of the console here; run `npm run build` first.");
  process.exit(0);
}

const trials = Math.max(1, Number(process.env.BENCH_TRIALS ?? 3) || 3);
// A user exists, so /sign-in renders its form (no first-admin setup redirect).
const store = seedStore({ environments: 0, runs: 0, stepsPerRun: 0, logsPerRun: 0, auditEvents: 0, sessions: 0 });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const timings: Record<string, number[]> = { "/api/health": [], "/sign-in": [] };
try {
  for (let i = 0; i < trials; i++)
    for (const p of Object.keys(timings)) {
      const server = await startConsole({ dbFile: store.file, sessionSecret: store.sessionSecret, waitFor: [p] });
      timings[p].push(server.readyMs[p]);
      await server.stop();
    }
} finally {
  store.remove();
}
for (const [p, ms] of Object.entries(timings)) console.log(`first 200 on ${p.padEnd(12)} ${ms.map((m) => `${m.toFixed(0)} ms`).join(", ")} (median ${median(ms).toFixed(0)} ms)`);
report(
  "cold-start",
  Object.entries(timings).map(([p, ms]) => ({ name: `start to first 200 on ${p}`, value: Math.round(median(ms)), unit: "ms", goal: { max: 2000 } })),
);
