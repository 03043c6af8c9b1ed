// Preloaded into the TEST server process only (NODE_OPTIONS=--import, set by scripts/e2e.mjs): answers the
// AWS SDK with aws-sdk-client-mock. The console itself has no fake mode. Filled in by the dashboard tests.
export {};
