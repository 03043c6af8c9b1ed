// `npm run test:robust`'s vitest part: the robustness tests that need the built console (tests/robust/*.robust.ts)
// next to the unit tests of crashes, faults, hostile input, secrets and concurrency (scripts/robust.mjs lists them).
import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config";

export default mergeConfig(
  base,
  defineConfig({
    test: {
      include: ["tests/robust/**/*.robust.ts", "tests/**/*.test.ts", "lib/**/*.test.ts"],
      testTimeout: 120_000,
    },
  }),
);
