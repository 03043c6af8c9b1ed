// Which address a request comes from, for the sign-in throttle, and whether it came over https: forwarded
// headers are believed only when the socket's peer is a configured proxy (CONSOLE_TRUSTED_PROXIES).
import { describe, expect, it } from "vitest";
import { clientAddressFrom, forwardedHttps, parseTrustedProxies } from "@/lib/auth/client-address";

const none = parseTrustedProxies(undefined);
const proxies = parseTrustedProxies("10.0.0.0/8, 127.0.0.1, ::1, fd00::/8");

describe("client address", () => {
  it("is the socket's peer when no proxy is trusted: X-Forwarded-For from a client is ignored", () => {
    expect(clientAddressFrom({ peer: "203.0.113.5", forwardedFor: "1.2.3.4" }, none)).toBe("203.0.113.5");
    expect(clientAddressFrom({ peer: "::ffff:203.0.113.5", forwardedFor: null }, none)).toBe("203.0.113.5");
  });

  it("behind trusted proxies, is the nearest address in X-Forwarded-For that is not a trusted proxy", () => {
    expect(clientAddressFrom({ peer: "10.1.2.3", forwardedFor: "198.51.100.7" }, proxies)).toBe("198.51.100.7");
    expect(clientAddressFrom({ peer: "10.1.2.3", forwardedFor: "198.51.100.7, 10.0.0.9" }, proxies)).toBe("198.51.100.7");
    // The client may put anything at the left; the proxies appended the real address to the right of it.
    expect(clientAddressFrom({ peer: "10.1.2.3", forwardedFor: "6.6.6.6, 198.51.100.7" }, proxies)).toBe("198.51.100.7");
    expect(clientAddressFrom({ peer: "127.0.0.1", forwardedFor: null }, proxies)).toBe("127.0.0.1");
    expect(clientAddressFrom({ peer: "::1", forwardedFor: "2001:db8::5" }, proxies)).toBe("2001:db8::5");
    expect(clientAddressFrom({ peer: "10.1.2.3", forwardedFor: "not-an-address" }, proxies)).toBe("unknown");
  });

  it("a client that is not a trusted proxy cannot choose its address by header", () => {
    for (const forwardedFor of ["10.0.0.1", "1.1.1.1", "1.1.1.1, 10.0.0.1"])
      expect(clientAddressFrom({ peer: "198.51.100.200", forwardedFor }, proxies)).toBe("198.51.100.200");
  });

  it("is unknown when the server did not report the peer (not started by scripts/server.mjs)", () => {
    expect(clientAddressFrom({ peer: null, forwardedFor: "1.2.3.4" }, proxies)).toBe("unknown");
  });

  it("refuses a malformed CONSOLE_TRUSTED_PROXIES naming the entry", () => {
    expect(() => parseTrustedProxies("10.0.0.0/8, proxy.internal")).toThrow(
      'CONSOLE_TRUSTED_PROXIES must list IP addresses or CIDR ranges separated by commas; "proxy.internal" is neither',
    );
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/"10.0.0.0\/33" is neither/);
  });
});

describe("https behind a proxy", () => {
  it("believes X-Forwarded-Proto only from a trusted proxy", () => {
    expect(forwardedHttps({ peer: "10.1.2.3", forwardedProto: "https" }, proxies)).toBe(true);
    expect(forwardedHttps({ peer: "10.1.2.3", forwardedProto: "http" }, proxies)).toBe(false);
    expect(forwardedHttps({ peer: "198.51.100.200", forwardedProto: "https" }, proxies)).toBe(false);
    expect(forwardedHttps({ peer: "198.51.100.200", forwardedProto: "https" }, none)).toBe(false);
  });
});
