// The end-to-end proof of guide step 5 for the database: log in as the IAM user with an IAM auth token (signed by
// @aws-sdk/rds-signer with the console's own AWS identity), over TLS, and run SELECT 1. Only a real RDS endpoint
// reached directly can take a token; anywhere else the check says "not possible here" and why.
import "server-only";
import { Signer } from "@aws-sdk/rds-signer";
import pg from "pg";
import type { Check } from "./types";
import { tlsOptions, type ConnectionTarget } from "./connect";
import { safeError } from "./secret-scrub";

/**
 * A check that could not run here is reported `ok: true` (nothing is known to be wrong) with a detail starting
 * with this prefix, so the UI can show it as skipped rather than passed.
 */
export const NOT_POSSIBLE_HERE = "not possible here: ";

/** `*.rds.amazonaws.com`, or `*.rds.<region>.amazonaws.com.cn` in China. */
export function isRdsEndpoint(host: string): boolean {
  return /^[a-z0-9.-]+\.rds\.amazonaws\.com$/i.test(host) || /^[a-z0-9.-]+\.rds\.[a-z0-9-]+\.amazonaws\.com\.cn$/i.test(host);
}

/** Why a token login cannot be tried from here, or null when it can. */
export function tokenLoginImpossible(target: ConnectionTarget): string | null {
  if (target.viaOverride)
    return `the database is reached through a host/port override (${target.host}:${target.port}), and a token is only valid for the RDS endpoint itself`;
  if (!isRdsEndpoint(target.host)) return `${target.host} is not an RDS endpoint (*.rds.amazonaws.com)`;
  if (target.tls === "disable") return "IAM auth tokens need TLS, and TLS is disabled for this environment (dbTls: disable)";
  return null;
}

export type TokenSource = (p: { hostname: string; port: number; username: string; region: string }) => Promise<string>;

const signerToken: TokenSource = (p) => new Signer(p).getAuthToken();

export async function iamTokenLoginCheck(p: {
  target: ConnectionTarget;
  iamDbUser: string;
  region: string;
  /** Injected in tests; the default signs with the SDK's default credential chain. */
  getToken?: TokenSource;
}): Promise<Check> {
  // Named for what it proves: the database side. The token is signed with the console's identity, not a pod's
  // role, so the role side (who may connect as whom) is the access matrix's to prove.
  const name = `IAM token login as ${p.iamDbUser} (database side: user, rds_iam, TLS, token accepted)`;
  const impossible = tokenLoginImpossible(p.target);
  if (impossible) return { name, ok: true, detail: NOT_POSSIBLE_HERE + impossible };
  let token: string | undefined;
  let client: pg.Client | undefined;
  try {
    token = await (p.getToken ?? signerToken)({
      hostname: p.target.host,
      port: p.target.port,
      username: p.iamDbUser,
      region: p.region,
    });
    client = new pg.Client({
      host: p.target.host,
      port: p.target.port,
      database: p.target.database,
      user: p.iamDbUser,
      password: token,
      ssl: tlsOptions(p.target),
      connectionTimeoutMillis: 15_000,
      application_name: "studio-iam-console",
    });
    client.on("error", () => undefined);
    await client.connect();
    const { rows } = await client.query<{ one: number }>("SELECT 1 AS one");
    const ok = rows[0]?.one === 1;
    return { name, ok, detail: ok
        ? "logged in with an IAM token over TLS and ran SELECT 1 (token signed with the console's identity: the access matrix proves the pods' roles)"
        : "SELECT 1 returned no row",
    };
  } catch (error) {
    const e = safeError(error, [token], "token login failed", (message) =>
      /PAM authentication failed|password authentication failed/i.test(message)
        ? "RDS refused the token: the console's own AWS identity needs rds-db:connect for this user (the pods use the RDS role), IAM authentication must be enabled, and the user must be in rds_iam"
        : null,
    );
    return { name, ok: false, detail: e.message };
  } finally {
    await client?.end().catch(() => undefined);
  }
}
