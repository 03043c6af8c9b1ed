// `npm start`: apply migrations (creating the SQLite file), build when the build is missing or older than the
// sources, then serve the production build (scripts/server.mjs). One command from a fresh clone to a running
// console. The server process does not inherit CONSOLE_ADMIN_PASSWORD: it gets it through a pipe
// (scripts/server-launch.mjs).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serverEnvironment, spawnServer } from "./server-launch.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.env.NEXT_TELEMETRY_DISABLED = "1";
// Migrations and the build need no admin credentials either.
const { env: toolEnv } = serverEnvironment(process.env);
const run = (args) => execFileSync(process.execPath, args, { stdio: "inherit", cwd: root, env: toolEnv });

run([path.join(root, "scripts/migrate.mjs")]);

function newestMtime(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const e of fs.readdirSync(p)) if (e !== "generated") max = Math.max(max, newestMtime(path.join(p, e)));
  return max;
}
const buildId = path.join(root, ".next", "BUILD_ID");
const sources = ["app", "components", "lib", "prisma", "instrumentation.ts", "proxy.ts", "next.config.mjs", "package.json"];
const stale = !fs.existsSync(buildId) || Math.max(...sources.map((s) => newestMtime(path.join(root, s)))) > fs.statSync(buildId).mtimeMs;
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
if (stale) run([nextBin, "build"]);

// `npm start` runs this file through `sh -c`, and dash does not exec its last command: a SIGTERM sent to npm
// reaches the shell, the shell dies, and this process (with the server) would be left running under init. So
// besides the signals themselves, losing the parent stops the server too: the parent's pid is read again
// (process.ppid asks the kernel each time) and a change means whoever started us is gone.
const parent = process.ppid;
const orphaned = () => process.ppid !== parent;
if (orphaned()) process.exit(0); // gone while migrations or the build ran (execFileSync blocks the watch below)

const args = ["-p", process.env.PORT || "3000"];
if (process.env.HOSTNAME_BIND) args.push("-H", process.env.HOSTNAME_BIND);
const child = spawnServer(path.join(root, "scripts/server.mjs"), args, process.env, { cwd: root });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
const PARENT_CHECK_MS = 250;
setInterval(() => {
  if (orphaned()) child.kill("SIGTERM");
}, PARENT_CHECK_MS).unref();
child.on("exit", (code) => process.exit(code ?? 0));
