// Where one page's time goes: the console started with --cpu-prof, one page requested over and over, the
// server stopped (the profile is written on exit), and the self time summed by package / file and by function.
import fs from "node:fs";
import path from "node:path";
import type { ConsoleServer } from "./console-server";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  /** Microseconds on the machine's monotonic clock (what process.hrtime reads too). */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** `node_modules/<package>` or the app's own file, so a table shows whose code the time is spent in. */
function owner(url: string): string {
  if (!url) return "(native / GC / idle)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = url.slice(nm + "node_modules/".length).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const app = url.indexOf(".next/");
  return app >= 0 ? url.slice(app) : url.replace(/^file:\/\//, "");
}

export async function profileRequests(server: ConsoleServer, pagePath: string, cookie: string, dir: string, requests = 30): Promise<void> {
  // Warm-up outside the window counted: start-up and the route's first load are not the request's cost.
  for (let i = 0; i < 3; i++) await (await fetch(`${server.base}${pagePath}`, { headers: { cookie } })).arrayBuffer();
  const from = Number(process.hrtime.bigint() / 1000n);
  const t0 = performance.now();
  for (let i = 0; i < requests; i++) await (await fetch(`${server.base}${pagePath}`, { headers: { cookie } })).arrayBuffer();
  const wall = performance.now() - t0;
  const to = Number(process.hrtime.bigint() / 1000n);
  await server.stop();
  const file = fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) return console.log("no CPU profile was written");
  const profile = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    at += profile.timeDeltas[i] ?? 0;
    if (at >= from && at <= to) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, ms] of self) {
    const { callFrame } = byId.get(id)!;
    if (callFrame.functionName === "(idle)" || callFrame.functionName === "(program)") continue;
    const o = owner(callFrame.url);
    byOwner.set(o, (byOwner.get(o) ?? 0) + ms);
    const f = `${callFrame.functionName || "(anonymous)"} ${o}:${callFrame.lineNumber + 1}`;
    byFunction.set(f, (byFunction.get(f) ?? 0) + ms);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, ms]) => `  ${(ms / requests).toFixed(2).padStart(7)} ms/request  ${k}`)
      .join("\n");
  console.log(`\nprofile of ${requests} requests of ${pagePath}: ${(wall / requests).toFixed(1)} ms each (wall, sequential), CPU self time per request:`);
  console.log(`by package or file:\n${top(byOwner, 12)}`);
  console.log(`by function:\n${top(byFunction, 15)}`);
}
