// lib/ is server code (`import "server-only"`): a benchmark runs it under the react-server export condition,
// re-running itself with that condition when started without it.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Returns when this process already runs under react-server; otherwise runs `metaUrl` again under it and exits. */
export function underReactServer(metaUrl: string): void {
  if (process.execArgv.some((a) => a.includes("react-server"))) return;
  const r = spawnSync(process.execPath, [...process.execArgv, "--conditions=react-server", fileURLToPath(metaUrl), ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  process.exit(r.status ?? 1);
}
