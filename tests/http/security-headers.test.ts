// Every page response carries a nonce-based Content-Security-Policy (a new nonce each time, forwarded to Next
// so it can put it on its scripts), a Permissions-Policy, and HSTS only when the browser came over https.
import { afterEach, describe, expect, it } from "vitest";
import { NextRequest } from "next/server";
import { config, proxy } from "@/proxy";

const env = { ...process.env };
afterEach(() => {
  process.env = { ...env };
  delete (globalThis as { __studioPeerHeader?: string }).__studioPeerHeader;
});

function csp(res: Response): Map<string, string> {
  const value = res.headers.get("content-security-policy") ?? "";
  return new Map(value.split(";").map((d) => d.trim()).filter(Boolean).map((d) => [d.split(" ")[0], d.slice(d.indexOf(" ") + 1)]));
}

describe("security headers", () => {
  it("a Content-Security-Policy with a fresh nonce, no inline or framing, forwarded to the page render", () => {
    const a = proxy(new NextRequest("http://console.test/environments"));
    const b = proxy(new NextRequest("http://console.test/environments"));
    const policy = csp(a);
    const nonce = policy.get("script-src")!.match(/'nonce-([A-Za-z0-9+/=]{24,})'/)![1];
    expect(csp(b).get("script-src")).not.toContain(nonce);
    expect(policy.get("script-src")).toBe(`'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(policy.get("style-src")).toBe(`'self' 'nonce-${nonce}'`);
    expect(policy.get("frame-ancestors")).toBe("'none'");
    expect(policy.get("base-uri")).toBe("'none'");
    expect(policy.get("form-action")).toBe("'self'");
    expect(policy.get("object-src")).toBe("'none'");
    expect(policy.get("default-src")).toBe("'self'");
    expect(a.headers.get("content-security-policy")).not.toMatch(/unsafe-inline|unsafe-eval/);
    // Next.js reads the policy (and our code x-nonce) from the forwarded request headers.
    expect(a.headers.get("x-middleware-request-x-nonce")).toBe(nonce);
    expect(a.headers.get("x-middleware-request-content-security-policy")).toBe(a.headers.get("content-security-policy"));
  });

  it("a Permissions-Policy switching off what the console never uses", () => {
    const res = proxy(new NextRequest("http://console.test/sign-in"));
    for (const feature of ["camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"])
      expect(res.headers.get("permissions-policy")).toContain(feature);
  });

  it("HSTS only over https: set by CONSOLE_SECURE_COOKIES or a trusted proxy's X-Forwarded-Proto, not by any client", () => {
    delete process.env.CONSOLE_SECURE_COOKIES;
    expect(proxy(new NextRequest("http://console.test/")).headers.get("strict-transport-security")).toBeNull();
    // A client claiming https is not believed.
    (globalThis as { __studioPeerHeader?: string }).__studioPeerHeader = "x-console-peer";
    const spoofed = new NextRequest("http://console.test/", { headers: { "x-forwarded-proto": "https", "x-console-peer": "198.51.100.1" } });
    expect(proxy(spoofed).headers.get("strict-transport-security")).toBeNull();
    process.env.CONSOLE_SECURE_COOKIES = "true";
    expect(proxy(new NextRequest("http://console.test/")).headers.get("strict-transport-security")).toBe("max-age=31536000");
  });

  it("does not run for requests with a body (uploads, server actions), so their byte caps stay in force", () => {
    const [matcher] = config.matcher;
    expect(matcher.missing).toEqual([
      { type: "header", key: "content-length" },
      { type: "header", key: "transfer-encoding" },
    ]);
  });
});
