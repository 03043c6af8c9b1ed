// The live suite runs against AWS_ENDPOINT_URL: only a loopback endpoint (an emulator on this machine) unless
// ALLOW_REMOTE_AWS=1 says a remote one (a sandbox account) is meant.

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export function liveEndpoint(): string | null {
  return process.env.AWS_ENDPOINT_URL || null;
}

/** Throws unless the endpoint is loopback or remote endpoints are explicitly allowed. */
export function assertSafeEndpoint(endpoint: string): void {
  let host: string;
  try {
    host = new URL(endpoint).hostname;
  } catch {
    throw new Error(`AWS_ENDPOINT_URL "${endpoint}" is not a URL`);
  }
  if (LOOPBACK.has(host) || process.env.ALLOW_REMOTE_AWS === "1") return;
  throw new Error(
    `refusing to run the live AWS suite against ${endpoint}: AWS_ENDPOINT_URL must point at 127.0.0.1, localhost or ::1 ` +
      "(set ALLOW_REMOTE_AWS=1 to run it against a remote endpoint on purpose)",
  );
}
