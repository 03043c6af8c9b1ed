// The console's HTTP server: Next.js's request handler behind a plain node:http server (Next's documented custom
// server), so that each request carries the address of the socket it came in on. Next itself only fills
// X-Forwarded-For when the client did not send one, which lets any client choose its own address; the sign-in
// throttle needs the real peer, and trusts forwarded headers only when that peer is a configured proxy
// (CONSOLE_TRUSTED_PROXIES). Started by `npm start` (scripts/start.mjs) and by the browser tests.
//   node scripts/server.mjs [-p PORT] [-H HOST]
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { receiveFirstAdmin } from "./server-launch.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The header this server sets to the socket's address; whatever a client sends under that name is replaced. */
export const PEER_HEADER = "x-console-peer";

const argv = process.argv.slice(2);
const option = (flag, fallback) => {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : fallback;
};
const port = Number(option("-p", process.env.PORT || "3000"));
const hostname = option("-H", process.env.HOSTNAME_BIND || undefined);
process.env.NODE_ENV = "production";
process.env.NEXT_TELEMETRY_DISABLED = "1";

// Handed to lib/auth/setup.ts in memory: never in this process's environment.
const firstAdmin = receiveFirstAdmin();
if (firstAdmin) globalThis.__studioFirstAdmin = firstAdmin;
// Tells lib/auth/client-address.ts that PEER_HEADER was set by this server and can be believed.
globalThis.__studioPeerHeader = PEER_HEADER;

const { default: next } = await import("next");
const app = next({ dev: false, dir: root, hostname: hostname ?? "localhost", port });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((req, res) => {
  req.headers[PEER_HEADER] = req.socket.remoteAddress ?? "";
  handle(req, res);
});
server.listen(port, hostname, () => {
  process.stdout.write(`Studio IAM Console listening on http://${hostname ?? "localhost"}:${port}\n`);
});
// Runs still executing become `interrupted` and are recovered at the next start; open event streams would keep
// a graceful close waiting forever, so stop at once.
for (const sig of ["SIGINT", "SIGTERM"])
  process.on(sig, () => {
    server.close();
    server.closeAllConnections();
    process.exit(0);
  });
