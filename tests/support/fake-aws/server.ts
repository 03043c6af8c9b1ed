// The double inside a server process (the browser tests' throw-away console): the account kept in a state file
// beside the scenario file, steered by that file, answering the SDK client classes the server itself loads.
import { FakeAws } from "./account";
import { ScenarioFile, stateFileFor } from "./scenario";
import { requiredModules } from "./sdk-modules";

declare global {
  var __fakeAws: FakeAws | undefined;
}

/**
 * Installs the double once per process on the SDK packages `require` finds from `root` (the project: Next.js
 * loads the @aws-sdk externals from its node_modules, as CommonJS). Returns the fake account.
 */
export function installServerDouble(opts: { root: string; scenarioFile?: string; stateFile?: string }): FakeAws {
  if (globalThis.__fakeAws) return globalThis.__fakeAws;
  const fake = new FakeAws({ region: process.env.AWS_REGION || undefined });
  const steering = new ScenarioFile(fake, opts.scenarioFile, opts.stateFile ?? stateFileFor(opts.scenarioFile), () => fake.initialState());
  fake.install(requiredModules(opts.root), { steering, trimHistory: true });
  globalThis.__fakeAws = fake;
  return fake;
}
