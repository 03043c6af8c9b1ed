// Starting the console's server process without handing it secrets through its environment. A process's
// environment is inherited by everything it starts and readable in /proc/<pid>/environ for its whole life, so
// CONSOLE_ADMIN_PASSWORD (used once, to create the first admin) travels through a pipe instead: the parent writes
// it to the child's file descriptor 3 and closes it; the child reads it once at start-up.
import { spawn } from "node:child_process";
import fs from "node:fs";

/** Environment variables that never reach the server process. */
export const WITHHELD = ["CONSOLE_ADMIN_USERNAME", "CONSOLE_ADMIN_PASSWORD"];
/** Set in the child when the first admin's credentials wait on this file descriptor. */
export const FIRST_ADMIN_FD_VAR = "CONSOLE_FIRST_ADMIN_FD";
const FD = 3;

/** The child's environment (without the withheld variables) and the first admin to hand over, if any. */
export function serverEnvironment(env) {
  const childEnv = { ...env };
  for (const name of WITHHELD) delete childEnv[name];
  delete childEnv[FIRST_ADMIN_FD_VAR];
  const username = env.CONSOLE_ADMIN_USERNAME;
  const password = env.CONSOLE_ADMIN_PASSWORD;
  const firstAdmin = username && password ? { username, password } : null;
  if (firstAdmin) childEnv[FIRST_ADMIN_FD_VAR] = String(FD);
  return { env: childEnv, firstAdmin };
}

/** Spawns `node <entry> ...args` with the withheld variables removed and the first admin written to its fd 3. */
export function spawnServer(entry, args, env, options = {}) {
  const { env: childEnv, firstAdmin } = serverEnvironment(env);
  const stdio = [...(options.stdio ?? ["inherit", "inherit", "inherit"])];
  if (firstAdmin) stdio[FD] = "pipe";
  const child = spawn(process.execPath, [entry, ...args], { ...options, env: childEnv, stdio });
  if (firstAdmin) child.stdio[FD].end(JSON.stringify(firstAdmin));
  return child;
}

/** In the server process: the first admin handed over by spawnServer, read once; null when none was. */
export function receiveFirstAdmin(env = process.env) {
  const fd = env[FIRST_ADMIN_FD_VAR];
  if (!fd) return null;
  delete env[FIRST_ADMIN_FD_VAR];
  try {
    const text = fs.readFileSync(Number(fd), "utf8");
    fs.closeSync(Number(fd));
    const value = JSON.parse(text);
    return typeof value?.username === "string" && typeof value?.password === "string" ? value : null;
  } catch {
    return null;
  }
}
