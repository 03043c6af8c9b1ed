// Unit and integration tests beside the code (lib/**/*.test.ts) and in tests/. The live AWS suite has its
// own config (vitest.aws.config.ts, built on `sharedConfig`) and the browser tests run under Playwright (e2e/).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, mergeConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

/** What every vitest suite of this repo needs: the `@/` alias and a no-op `server-only`. */
export const sharedConfig = defineConfig({
  resolve: {
    alias: {
      "@": root,
      // `server-only` throws outside a React server bundle; in tests the code is server code anyway.
      "server-only": path.join(root, "tests/support/server-only.ts"),
    },
  },
});

export default mergeConfig(
  sharedConfig,
  defineConfig({
    test: {
      include: ["lib/**/*.test.ts", "tests/**/*.test.ts"],
      exclude: ["tests/aws-live/**", "node_modules/**"],
      environment: "node",
      testTimeout: 30_000,
      hookTimeout: 60_000,
      globalSetup: ["tests/support/global-setup.ts"],
    },
  }),
);
