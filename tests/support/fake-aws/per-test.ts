// Per-test wiring for Vitest: dummy credentials (only the SDK-routed path signs requests), 1 ms retry delays,
// fresh shared clients, and a fresh fake account installed before each test and removed after it.
import { afterEach, beforeEach, vi } from "vitest";
import { resetAwsClients } from "@/lib/aws/clients";
import { FakeAws } from "./account";

export function fakeAwsPerTest(make: () => FakeAws = () => new FakeAws()) {
  const state: { fake: FakeAws } = { fake: null as unknown as FakeAws };
  beforeEach(() => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "secret");
    vi.stubEnv("AWS_RETRY_DELAY_MS", "1");
    vi.stubEnv("AWS_ENDPOINT_URL", "");
    resetAwsClients();
    state.fake = make().install();
  });
  afterEach(() => {
    state.fake.restore();
    resetAwsClients();
    vi.unstubAllEnvs();
  });
  return {
    get fake() {
      return state.fake;
    },
    /** Swaps in another account (other region or partition) for this test. */
    replace(next: FakeAws): FakeAws {
      state.fake.restore();
      state.fake = next.install();
      return state.fake;
    },
  };
}
