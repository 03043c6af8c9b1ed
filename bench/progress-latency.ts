// Benchmark progress-latency: how long a log line takes from the runner writing it to each of 50 viewers of the
// run's event stream (49 HTTP clients and one Chromium page driven by Playwright, which also starts the apply as
// an admin would: refresh the plan, type the DB admin, apply). The built console runs a real apply in its own
// process; AWS is the tests' fake account preloaded into the server (as in the browser tests) with
// BENCH_CALL_DELAY_MS (default 250, about what real calls take) per call so the run writes its lines over a few seconds. Latency = arrival
// time − the line's own timestamp (same machine clock), for lines written after the viewer's first event arrived
// (earlier ones came in its snapshot). The grants
// step's database does not exist: that step fails after the AWS steps, which is enough lines to time.
// Goal p95 ≤ 100 ms. Needs `npm run build` first.   npm run bench:progress
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { underReactServer } from "./react-server";
import type { Figure } from "./support/report";

underReactServer(import.meta.url);

const { hasBuild, startConsole, ROOT } = await import("./support/console-server");
const { seedStore } = await import("./support/seed-store");
const { percentile } = await import("./support/load");
const { report } = await import("./support/report");
const { chromium } = await import("@playwright/test");

if (!hasBuild()) {
  console.log("bench/progress-latency: no build of the console here; run `npm run build` first.");
  process.exit(0);
}

const VIEWERS = 50;
const delayMs = Number(process.env.BENCH_CALL_DELAY_MS ?? 250);
const store = seedStore({
  environments: 1,
  runs: 0,
  stepsPerRun: 0,
  logsPerRun: 0,
  auditEvents: 0,
  sessions: 20,
  settings: { dbHostOverride: "127.0.0.1", dbPortOverride: 5432, dbTls: "disable", databaseName: "studio_bench_progress_absent" },
});
const scenario = path.join(store.dir, "aws-scenario.json");
fs.writeFileSync(scenario, JSON.stringify({ delayMs: { "*": delayMs } }));
const server = await startConsole({
  dbFile: store.file,
  sessionSecret: store.sessionSecret,
  nodeFlags: ["--import", "tsx", "--import", pathToFileURL(path.join(ROOT, "tests/support/fake-aws/preload-main-thread.mjs")).href],
  env: { E2E_AWS_SCENARIO: scenario, AWS_ACCESS_KEY_ID: "bench-double", AWS_SECRET_ACCESS_KEY: "bench-double", AWS_REGION: "eu-west-1", RDS_POLL_INTERVAL_MS: "200" },
  withoutEnv: ["AWS_ENDPOINT_URL", "AWS_PROFILE"],
});

interface Line {
  id: number;
  at: string;
}

/** One HTTP viewer: reads the stream, records each live line's latency; resolves at `end`. */
const joinedAt: number[] = [];
async function httpViewer(url: string, cookie: string, into: number[]): Promise<void> {
  // Lines from the snapshot are history, not progress: only those written after the first event arrived count.
  let joined = Infinity;
  const res = await fetch(url, { headers: { cookie, accept: "text/event-stream" } });
  if (res.status !== 200) throw new Error(`event stream answered ${res.status}`);
  const decoder = new TextDecoder();
  let buffer = "";
  const reader = res.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    const events = buffer.split("\n\n");
    buffer = events.pop() ?? "";
    const now = Date.now();
    if (joined === Infinity) joinedAt.push((joined = now));
    for (const e of events) {
      const [head, data] = e.split("\n");
      if (head === "event: end") return;
      if (head !== "event: logs") continue;
      for (const line of JSON.parse(data.slice("data: ".length)) as Line[]) {
        const at = Date.parse(line.at);
        if (at >= joined) into.push(now - at);
      }
    }
  }
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium" });
const http: number[] = [];
let inBrowser: number[] = [];
try {
  const context = await browser.newContext();
  await context.addCookies([{ name: "studio_session", value: store.cookies[0].split("=")[1], url: server.base }]);
  const page = await context.newPage();
  await page.goto(`${server.base}/environments/${store.environmentIds[0]}/plan`);
  await page.getByRole("button", { name: /^(Refresh plan|Compute the plan)$/ }).click();
  await page.getByText("Plan refreshed: review it before applying.").waitFor({ timeout: 60_000 });
  const form = page.getByRole("form", { name: "Apply or verify" });
  await form.getByLabel("DB admin user").fill("postgres");
  await form.getByLabel("DB admin password").fill("bench-password-never-stored");
  await form.getByLabel("Send the password without verified TLS").check();
  await form.getByRole("button", { name: "Apply the plan" }).click();
  const clicked = Date.now();
  // As soon as the address changes: the viewers join while the run is young.
  await page.waitForURL(/\/runs\/[^/]+$/, { waitUntil: "commit" });
  const events = `${new URL(page.url()).pathname}/events`;
  // 49 HTTP viewers, over the other sessions (a session holds at most 4 streams; the page holds 2 of its own).
  const viewers = Array.from({ length: VIEWERS - 1 }, (_, i) => httpViewer(`${server.base}${events}`, store.cookies[1 + (i % 19)], http));
  // The browser viewer: an EventSource in the run page, beside the page's own.
  inBrowser = await page.evaluate(
    (url) =>
      new Promise<number[]>((resolve) => {
        let joined = Infinity;
        const seen: number[] = [];
        const source = new EventSource(url);
        source.addEventListener("view", () => (joined = Math.min(joined, Date.now())));
        source.addEventListener("logs", (e) => {
          const now = Date.now();
          for (const line of JSON.parse((e as MessageEvent).data) as { at: string }[]) if (Date.parse(line.at) >= joined) seen.push(now - Date.parse(line.at));
        });
        source.addEventListener("end", () => (source.close(), resolve(seen)));
      }),
    events,
  );
  await Promise.all(viewers);
  joinedAt.sort((a, b) => a - b);
  console.log(`viewers joined ${joinedAt[0] - clicked}–${joinedAt.at(-1)! - clicked} ms after Apply was pressed; the run ended ${Date.now() - clicked} ms after`);
} finally {
  await browser.close();
  await server.stop();
  store.remove();
}

const all = [...http, ...inBrowser].sort((a, b) => a - b);
const sortedBrowser = [...inBrowser].sort((a, b) => a - b);
console.log(
  `${VIEWERS} viewers (49 HTTP, 1 Chromium), ${delayMs} ms per AWS call: ${all.length} line arrivals; ` +
    `p50 ${percentile(all, 50)} ms, p95 ${percentile(all, 95)} ms, max ${all.at(-1)} ms; in the browser p50 ${percentile(sortedBrowser, 50)} ms, p95 ${percentile(sortedBrowser, 95)} ms`,
);
const figures: Figure[] = [
  { name: "write → 50 viewers p50", value: percentile(all, 50), unit: "ms" },
  { name: "write → 50 viewers p95", value: percentile(all, 95), unit: `ms (${all.length} arrivals)`, goal: { max: 100 } },
  { name: "write → the browser viewer p95", value: percentile(sortedBrowser, 95), unit: `ms (${inBrowser.length} lines)`, goal: { max: 100 } },
];
report("progress-latency", figures);
