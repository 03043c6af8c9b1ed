// An empty Next.js page (one root layout, one page that prints a word) built by the same Next.js the console
// uses, for comparison: the floor of what any App Router page ships. Built under .next/ (ignored by git, lint
// and the type check), so Next is resolved from the console's own node_modules.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "./console-server";

export const EMPTY_APP = path.join(ROOT, ".next", "bench-empty-page");

export function buildEmptyNextApp(): string {
  fs.rmSync(EMPTY_APP, { recursive: true, force: true });
  fs.mkdirSync(path.join(EMPTY_APP, "app"), { recursive: true });
  fs.writeFileSync(path.join(EMPTY_APP, "package.json"), JSON.stringify({ name: "bench-empty-page", private: true, type: "module" }));
  fs.writeFileSync(
    path.join(EMPTY_APP, "app", "layout.jsx"),
    `export default function RootLayout({ children }) {\n  return (\n    <html lang="en">\n      <body>{children}</body>\n    </html>\n  );\n}\n`,
  );
  // Dynamic like every console page (each is rendered per request).
  fs.writeFileSync(
    path.join(EMPTY_APP, "app", "page.jsx"),
    `export const dynamic = "force-dynamic";\nexport default function Page() {\n  return <p>empty</p>;\n}\n`,
  );
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], {
    cwd: EMPTY_APP,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_OPTIONS: "" },
    stdio: "pipe",
  });
  return EMPTY_APP;
}

/** The command that serves it (`next start`), for startConsole's `command`. */
export function emptyAppCommand(port: number): string[] {
  return [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"];
}
