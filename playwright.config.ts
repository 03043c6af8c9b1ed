// Browser tests in Debian's Chromium against the production build. `npm run test:e2e` (scripts/e2e.mjs) builds,
// starts the console on a throw-away job store and passes its address here; nothing is downloaded.
import { defineConfig } from "@playwright/test";

const baseURL = process.env.E2E_BASE_URL;
if (!baseURL) throw new Error("Run the browser tests with `npm run test:e2e` (it starts the console and sets E2E_BASE_URL).");

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  use: {
    baseURL,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "setup", testMatch: /auth\.setup\.ts/ },
    { name: "console", testMatch: /(auth|dashboard|pod-identity|way-back|hardening|cluster|adopt|organisation|maintenance-window|teardown|first-time-admin|npm-start)\.spec\.ts/, dependencies: ["setup"] },
    { name: "access", testMatch: /access\.spec\.ts/, dependencies: ["setup"] },
    // Last, so it also scans the environment and run pages the dashboard tests created.
    { name: "a11y", testMatch: /a11y\.spec\.ts/, dependencies: ["console"] },
  ],
});
