import { afterEach, describe, expect, it, vi } from "vitest";
import { assertSafeEndpoint } from "./endpoint-guard";

afterEach(() => vi.unstubAllEnvs());

describe("live suite endpoint guard", () => {
  it.each(["http://127.0.0.1:5055", "http://localhost:4566", "http://[::1]:5055"])("accepts loopback %s", (url) => {
    vi.stubEnv("ALLOW_REMOTE_AWS", "");
    expect(() => assertSafeEndpoint(url)).not.toThrow();
  });

  it("refuses anything else unless ALLOW_REMOTE_AWS=1", () => {
    vi.stubEnv("ALLOW_REMOTE_AWS", "");
    expect(() => assertSafeEndpoint("https://sts.amazonaws.com")).toThrow(/refusing to run the live AWS suite/);
    expect(() => assertSafeEndpoint("http://127.0.0.1.example.com")).toThrow(/refusing/);
    expect(() => assertSafeEndpoint("not a url")).toThrow(/is not a URL/);
    vi.stubEnv("ALLOW_REMOTE_AWS", "1");
    expect(() => assertSafeEndpoint("https://sts.amazonaws.com")).not.toThrow();
  });
});
