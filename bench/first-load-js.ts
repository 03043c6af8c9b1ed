// Benchmark first-load-js: the gzip size of every script each main page of the built console loads, fetched over
// HTTP, next to an empty page built by the same Next.js (bench/support/empty-next.ts). Goal: each page ≤ 1.1×
// the empty page. Needs `npm run build` first; builds the empty page itself (a minute).
//   npm run bench:first-load-js
import { underReactServer } from "./react-server";
import type { Figure } from "./support/report";

underReactServer(import.meta.url);

const { hasBuild, startConsole } = await import("./support/console-server");
const { seedStore } = await import("./support/seed-store");
const { firstLoadJs } = await import("./support/first-load");
const { buildEmptyNextApp, emptyAppCommand, EMPTY_APP } = await import("./support/empty-next");
const { report } = await import("./support/report");

if (!hasBuild()) {
  console.log("bench/first-load-js: no build of the console here; run `npm run build` first.");
  process.exit(0);
}

const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
const t0 = performance.now();
buildEmptyNextApp();
console.log(`empty Next.js page built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const empty = await startConsole({ dbFile: `${EMPTY_APP}/unused.db`, command: emptyAppCommand, cwd: EMPTY_APP, waitFor: ["/"] });
const floor = await firstLoadJs(empty.base, "/").finally(() => empty.stop());
console.log(`${"empty Next.js page".padEnd(22)} ${String(floor.scripts).padStart(3)} scripts ${kib(floor.gzipBytes).padStart(10)} gzip (${kib(floor.rawBytes)} raw)`);

const store = seedStore({ environments: 1, runs: 1, stepsPerRun: 8, logsPerRun: 20, auditEvents: 20, sessions: 1 });
const server = await startConsole({ dbFile: store.file, sessionSecret: store.sessionSecret });
const pages: [string, string, boolean][] = [
  ["sign-in", "/sign-in", false],
  ["environments", "/environments", true],
  ["environment", `/environments/${store.environmentIds[0]}`, true],
  // Every wizard step is its own page with its own form: the first and the largest (database) are measured.
  ["wizard", `/environments/${store.environmentIds[0]}/wizard/account`, true],
  ["wizard database", `/environments/${store.environmentIds[0]}/wizard/database`, true],
  ["plan", `/environments/${store.environmentIds[0]}/plan`, true],
  ["runs", "/runs", true],
  ["run", `/runs/${store.runIds[0]}`, true],
  ["audit", "/audit", true],
];
const figures: Figure[] = [{ name: "empty Next.js page", value: Number((floor.gzipBytes / 1024).toFixed(1)), unit: "KiB gzip" }];
try {
  for (const [name, pagePath, signedIn] of pages) {
    const r = await firstLoadJs(server.base, pagePath, signedIn ? store.cookies[0] : undefined);
    const ratio = r.gzipBytes / floor.gzipBytes;
    console.log(`${name.padEnd(22)} ${String(r.scripts).padStart(3)} scripts ${kib(r.gzipBytes).padStart(10)} gzip (${kib(r.rawBytes)} raw)  ${ratio.toFixed(2)}× empty`);
    figures.push({ name: `${name} / empty page`, value: Number(ratio.toFixed(2)), unit: `× (${kib(r.gzipBytes)} gzip)`, goal: { max: 1.1 } });
  }
} finally {
  await server.stop();
  store.remove();
}
report("first-load-js", figures);
