// An empty Next.js page (one root layout, one page that prints a word) built by the same Next.js the console
// uses, for comparison: the floor of what any App Router page ships. Built in a temporary folder whose
// node_modules is a link to the console's. With webpack (`next build --webpack`): Turbopack refuses a
// node_modules that links outside its root, and inside the console's folder it takes the console's
// instrumentation for the empty app's.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./console-server";

export const EMPTY_APP = path.join(os.tmpdir(), "studio-bench-empty-page");

export function buildEmptyNextApp(): string {
  fs.rmSync(EMPTY_APP, { recursive: true, force: true });
  fs.mkdirSync(path.join(EMPTY_APP, "app"), { recursive: true });
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(EMPTY_APP, "node_modules"));
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
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build", "--webpack"], {
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
