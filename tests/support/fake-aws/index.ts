// The one AWS test double: a stateful fake account (account.ts) with its JSON state (state.ts), answering the
// SDK clients in the unit tests (fakeAwsPerTest) and, preloaded, in the browser-test server (preload.ts).
export { FakeAws, type LoggedCall } from "./account";
export { fakeAwsPerTest } from "./per-test";
export type { Scenario } from "./scenario";
export type { AccountOptions, AccountState, FakeBucket, FakeCluster, FakeDatabase, FakeProvider } from "./state";
export type { FakeRole } from "./views";
