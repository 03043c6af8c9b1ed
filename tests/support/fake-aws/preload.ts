// Preloaded into the TEST server process only, by scripts/e2e.mjs:
//   NODE_OPTIONS="--import tsx/esm --import <this file>"
// The console itself has no fake mode: without this preload (or with AWS_ENDPOINT_URL set, when the script
// leaves it out) every call goes to AWS or the emulator. Steered by the scenario file E2E_AWS_SCENARIO
// (format in scenario.ts); the account is kept in `<scenario>.state.json` and survives a restart.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { installServerDouble } from "./server";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
installServerDouble({ root, scenarioFile: process.env.E2E_AWS_SCENARIO });
