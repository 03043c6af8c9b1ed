import fs from "node:fs";
const { PAGES_SCALE, seedStore } = await import("./support/seed-store");
const { startConsole } = await import("./support/console-server");
const { load } = await import("./support/load");
const store = seedStore({ ...PAGES_SCALE, sessions: 25 });
const server = await startConsole({ dbFile: store.file, sessionSecret: store.sessionSecret, nodeFlags: (process.env.FLAGS ?? "").split(" ").filter(Boolean) });
const cpu = () => { const f = fs.readFileSync(`/proc/${server.process.pid}/stat`, "utf8").split(") ")[1].split(" "); return (Number(f[11]) + Number(f[12])) * 10; };
const paths = (process.env.PATHS ?? "/environments,/runs,/audit").split(",").map((p) => p.replace("ENV", store.environmentIds[0]).replace("RUN", store.runIds[store.runIds.length - 1]));
for (const p of paths) {
  const url = server.base + p;
  const size = (await (await fetch(url, { headers: { cookie: store.cookies[0] } })).arrayBuffer()).byteLength;
  await load(url, 2, 1, store.cookies);
  const one = await load(url, 1, 3, store.cookies);
  const c0 = cpu();
  const r = await load(url, 20, 5, store.cookies);
  const c1 = cpu();
  console.log(p.padEnd(30), `${(size / 1024).toFixed(0)} KiB 1c p50 ${one.p50.toFixed(1)}  20c p50 ${r.p50.toFixed(0)} p95 ${r.p95.toFixed(0)} ${r.perSecond.toFixed(0)} req/s  server cpu ${((c1 - c0) / r.requests).toFixed(1)} ms/req fail ${r.failures}`);
}
await server.stop(); store.remove();
