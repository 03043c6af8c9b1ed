// The live AWS suite (`npm run test:aws`): the whole apply against whatever AWS_ENDPOINT_URL points at (an
// emulator on this machine; a remote endpoint only with ALLOW_REMOTE_AWS=1). Skipped, with a message, when unset.
import { defineConfig, mergeConfig } from "vitest/config";
import { sharedConfig } from "./vitest.config.js";

export default mergeConfig(
  sharedConfig,
  defineConfig({
    test: {
      include: ["tests/aws-live/**/*.test.ts"],
      environment: "node",
      // One account, one apply at a time.
      fileParallelism: false,
      // The apply runs through the job service on a throw-away job store, migrated once per run.
      globalSetup: ["tests/support/global-setup.ts"],
      testTimeout: 300_000,
      hookTimeout: 300_000,
    },
  }),
);
