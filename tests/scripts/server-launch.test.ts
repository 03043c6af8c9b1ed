// `npm start` hands CONSOLE_ADMIN_PASSWORD to the server process through a pipe, never through its environment
// (inherited by every child process, readable in /proc/<pid>/environ for the process's whole life).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
// @ts-expect-error -- a plain .mjs script without type declarations
import { spawnServer } from "@/scripts/server-launch.mjs";

const launch = pathToFileURL(path.resolve("scripts/server-launch.mjs")).href;

function runStub(env: Record<string, string | undefined>): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "studio-launch-"));
  const stub = path.join(dir, "stub.mjs");
  // Stands in for scripts/server.mjs: reports what it can see of its environment and what it was handed.
  fs.writeFileSync(
    stub,
    `import fs from "node:fs";
     import { receiveFirstAdmin } from ${JSON.stringify(launch)};
     const environ = fs.readFileSync("/proc/self/environ", "utf8");
     const firstAdmin = receiveFirstAdmin();
     process.stdout.write(JSON.stringify({
       envHasPassword: "CONSOLE_ADMIN_PASSWORD" in process.env,
       environHasPassword: environ.includes("CONSOLE_ADMIN_PASSWORD") || environ.includes("s3cret-first-admin-pw"),
       firstAdmin,
       port: process.argv.slice(2),
       other: process.env.SOME_SETTING ?? null,
     }));`,
  );
  const child = spawnServer(stub, ["-p", "4321"], env, { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d));
  return new Promise((resolve, reject) =>
    child.on("exit", (code: number) => {
      fs.rmSync(dir, { recursive: true, force: true });
      if (code === 0) resolve(JSON.parse(out));
      else reject(new Error(`stub exited ${code}`));
    }),
  );
}

describe("starting the server process", () => {
  it("hands the first admin over through a pipe; the password is in neither process.env nor /proc/<pid>/environ", async () => {
    const seen = await runStub({
      ...process.env,
      CONSOLE_ADMIN_USERNAME: "first-admin",
      CONSOLE_ADMIN_PASSWORD: "s3cret-first-admin-pw",
      SOME_SETTING: "kept",
    });
    expect(seen).toEqual({
      envHasPassword: false,
      environHasPassword: false,
      firstAdmin: { username: "first-admin", password: "s3cret-first-admin-pw" },
      port: ["-p", "4321"],
      other: "kept",
    });
  });

  it("hands nothing over when no first admin is configured", async () => {
    const seen = await runStub({ ...process.env, CONSOLE_ADMIN_PASSWORD: undefined, CONSOLE_ADMIN_USERNAME: undefined });
    expect(seen).toMatchObject({ envHasPassword: false, environHasPassword: false, firstAdmin: null });
  });
});
