// The one redactor: what the runner stores, what a pg error passes on and what the logger writes all lose the same
// secrets in the same forms.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createRedactor } from "./jobs/secrets";
import { logger } from "./log";
import { scrubSecrets } from "./postgres/secret-scrub";
import { REDACTED, redactDeep, redactFields, redactor } from "./redact";

const PASSWORD = `p@ss:/?#&"'\\-${"x".repeat(4)}`;

afterEach(() => vi.restoreAllMocks());

describe("redactor", () => {
  it("replaces a secret as typed, URL-encoded and JSON-escaped, the longest form first", () => {
    const redact = redactor([PASSWORD]);
    const text = `a ${PASSWORD} b ${encodeURIComponent(PASSWORD)} c ${JSON.stringify(PASSWORD)}`;
    const out = redact(text);
    expect(out).not.toContain(PASSWORD);
    expect(out).not.toContain(encodeURIComponent(PASSWORD));
    expect(out).not.toContain(JSON.stringify(PASSWORD).slice(1, -1));
    expect(out.split(REDACTED)).toHaveLength(4);
  });

  it("replaces the password of any URL's userinfo, known or not, and keeps the user and host", () => {
    expect(redactor()("connect postgres://admin:s3cr3t%40x@db.example:5432/studio failed")).toBe(
      `connect postgres://admin:${REDACTED}@db.example:5432/studio failed`,
    );
    expect(redactor()("see https://example.com/a:b and user@example.com")).toBe("see https://example.com/a:b and user@example.com");
  });

  it("is the same function for the runner, pg errors and the logger", () => {
    const text = `password authentication failed (${PASSWORD}) via postgres://u:${PASSWORD}@h/d`;
    const runner = createRedactor({ dbAdminUser: "admin", dbAdminPassword: PASSWORD })(text);
    expect(scrubSecrets(text, [PASSWORD])).toBe(runner);
    expect(runner).not.toContain(PASSWORD);
    // The user name is not a secret: redacting it would garble every message naming the admin.
    expect(createRedactor({ dbAdminUser: "admin" })("as admin")).toBe("as admin");
  });

  it("redacts deep values and keys, and log fields named like secrets", () => {
    expect(redactDeep({ [PASSWORD]: [PASSWORD, 1] }, redactor([PASSWORD]))).toEqual({ [REDACTED]: [REDACTED, 1] });
    expect(redactFields({ dbPassword: "x", sessionToken: "y", error: "postgres://a:b@h/d", n: 3 })).toEqual({
      dbPassword: REDACTED,
      sessionToken: REDACTED,
      error: `postgres://a:${REDACTED}@h/d`,
      n: 3,
    });
  });

  it("the logger writes neither a URL password in the message nor a secret-named field", () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (lines.push(String(chunk)), true));
    logger.error("cannot reach postgres://admin:hunter2@db/studio", { password: "hunter2", error: "at postgres://admin:hunter2@db" });
    expect(lines.join("")).not.toContain("hunter2");
    expect(JSON.parse(lines[0])).toMatchObject({ level: "error", password: REDACTED });
  });
});
