// The double inside a server process (the browser tests' throw-away console): the account kept in a state file
// beside the scenario file, steered by that file, answering the SDK client classes the server itself loads.
//
// Which classes those are: next.config.mjs keeps the @aws-sdk packages external, and the production build
// (Turbopack) calls `require("@aws-sdk/client-iam-<hash>")`, an alias in .next/node_modules that links to
// node_modules/@aws-sdk/client-iam. Node follows the link, so the server gets the package's CommonJS build
// (`main`: dist-cjs; the packages have no `exports` map) from the same file, hence the same module instance,
// as `require` from the project root. `assertSameModules` checks that at start-up instead of trusting it.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { FakeAws } from "./account";
import type { Service } from "./errors";
import { ScenarioFile, stateFileFor } from "./scenario";
import { requiredModules, SDK_PACKAGES, type SdkModules } from "./sdk-modules";

declare global {
  var __fakeAws: FakeAws | undefined;
}

/**
 * Installs the double once per process on the SDK packages `require` finds from `root` (the project). Returns
 * the fake account.
 */
export function installServerDouble(opts: { root: string; scenarioFile?: string; stateFile?: string }): FakeAws {
  if (globalThis.__fakeAws) return globalThis.__fakeAws;
  const modules = requiredModules(opts.root);
  assertSameModules(opts.root, modules);
  const fake = new FakeAws({ region: process.env.AWS_REGION || undefined });
  const steering = new ScenarioFile(fake, opts.scenarioFile, opts.stateFile ?? stateFileFor(opts.scenarioFile), () => fake.initialState());
  fake.install(modules, { steering, trimHistory: true });
  // The hostile-input suite counts the calls that reach the account: one line per call (command only).
  const callsFile = process.env.FAKE_AWS_CALLS_FILE;
  if (callsFile) fake.onCall = ({ service, command }) => fs.appendFileSync(callsFile, `${service}:${command}\n`);
  // The crash trials read after a SIGKILL which mutating calls the account accepted: one JSON line per call,
  // written (and synced) after the account's state file, before the caller gets the answer.
  const callLog = process.env.FAKE_AWS_CALL_LOG;
  if (callLog)
    fake.onAccepted = ({ service, command, input, requestId }) => {
      const fd = fs.openSync(callLog, "a");
      try {
        fs.writeSync(fd, `${JSON.stringify({ pid: process.pid, service, command, input, requestId })}\n`);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    };
  globalThis.__fakeAws = fake;
  return fake;
}

/** Fails loudly when the build's aliases of the SDK packages would load other module instances than `modules`. */
function assertSameModules(root: string, modules: SdkModules) {
  const aliases = path.join(root, ".next/node_modules/@aws-sdk");
  if (!fs.existsSync(aliases)) return;
  const serverRequire = createRequire(path.join(root, ".next/server/"));
  for (const alias of fs.readdirSync(aliases)) {
    const entry = Object.entries(SDK_PACKAGES).find(([, { pkg }]) => alias.startsWith(`${pkg.slice("@aws-sdk/".length)}-`));
    if (!entry) continue;
    if (serverRequire(`@aws-sdk/${alias}`) !== modules[entry[0] as Service])
      throw new Error(`fake AWS: the server would load another copy of ${entry[1].pkg} (${alias}) than the one the double answers`);
  }
}
