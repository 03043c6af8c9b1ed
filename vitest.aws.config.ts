// The live AWS suite (`npm run test:aws`): the whole apply against whatever AWS_ENDPOINT_URL points at (an
// emulator on this machine; a remote endpoint only with ALLOW_REMOTE_AWS=1). Skipped, with a message, when unset.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      "@": root,
      "server-only": path.join(root, "tests/support/server-only.ts"),
    },
  },
  test: {
    include: ["tests/aws-live/**/*.test.ts"],
    environment: "node",
    // One account, one apply at a time.
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
