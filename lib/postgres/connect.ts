// The admin connection for the grants: where (discovery's endpoint, or a tunnel's override), how (TLS verify-full
// unless explicitly disabled) and as whom (the run's in-memory secrets). The password travels only inside a pg
// config object: no connection string is ever built, and every error leaving here is scrubbed of it.
import "server-only";
import net from "node:net";
import tls from "node:tls";
import pg, { type ClientConfig } from "pg";
import type { RunSecrets, StepContext } from "@/lib/steps/types";
import { safeError } from "./secret-scrub";

export const PASSWORD_NEEDED = "the DB admin password is needed: it is asked for when the run starts and never stored";
export const USER_NEEDED = "the DB admin user name is needed: it is asked for with the password when the run starts";

export interface AdminTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  tls: "verify-full" | "disable";
  /** PEM certificates to trust instead of Node's built-in CA list. */
  caBundle: string | null;
  /** The RDS endpoint from discovery: the name its certificate carries, also when reached through a tunnel. */
  endpoint: string | null;
  /** Host or port came from dbHostOverride / dbPortOverride (a tunnel). */
  viaOverride: boolean;
}

type TargetContext = Pick<StepContext, "env" | "outputs" | "secrets">;

/** Where and as whom to connect; throws a plain explanation when something is missing (no secret in it). */
export function resolveAdminTarget(ctx: TargetContext): AdminTarget {
  const env = ctx.env;
  const discovered = ctx.outputs.discover ?? {};
  const endpoint = typeof discovered.dbEndpoint === "string" && discovered.dbEndpoint ? discovered.dbEndpoint : null;
  const discoveredPort = typeof discovered.dbPort === "number" ? discovered.dbPort : null;
  const host = env.dbHostOverride || endpoint;
  if (!host)
    throw new Error(
      "the database endpoint is unknown: run discovery (the discover step) or set a host override (dbHostOverride) for a tunnel",
    );
  const user = ctx.secrets.dbAdminUser?.trim();
  if (!user) throw new Error(USER_NEEDED);
  return {
    host,
    port: env.dbPortOverride ?? discoveredPort ?? 5432,
    database: env.databaseName,
    user,
    tls: env.dbTls === "disable" ? "disable" : "verify-full",
    caBundle: env.dbCaBundle ? env.dbCaBundle : null,
    endpoint,
    viaOverride: Boolean(env.dbHostOverride) || env.dbPortOverride !== undefined,
  };
}

/** The admin password from the run's memory, or the explanation of why it is needed. */
export function requireAdminPassword(secrets: RunSecrets): string {
  const password = secrets.dbAdminPassword;
  if (!password) throw new Error(PASSWORD_NEEDED);
  return password;
}

/** TLS options for pg: verify-full against the CA bundle (or Node's CAs) and the endpoint's name. */
export function tlsOptions(target: Pick<AdminTarget, "tls" | "caBundle" | "endpoint" | "host">): ClientConfig["ssl"] {
  if (target.tls === "disable") return false;
  // Through a tunnel the socket goes to localhost, but the certificate names the RDS endpoint: check that name.
  const expected = target.endpoint ?? target.host;
  return {
    rejectUnauthorized: true,
    ...(target.caBundle ? { ca: target.caBundle } : {}),
    ...(net.isIP(expected) ? {} : { servername: expected }),
    checkServerIdentity: (_host: string, cert: tls.PeerCertificate) => tls.checkServerIdentity(expected, cert),
  };
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

/** Connects as the DB admin for this run. Logs where (never the password) and warns when TLS is off. */
export async function connectAdmin(ctx: TargetContext & { signal?: AbortSignal }, log: ConnectLog): Promise<AdminConnection> {
  const target = resolveAdminTarget(ctx);
  const password = requireAdminPassword(ctx.secrets);
  if (ctx.signal?.aborted) throw new Error("cancelled before connecting to the database");
  if (target.tls === "disable")
    await log(
      "warn",
      "TLS is disabled for the database connection (dbTls: disable): the session, including the grants, is not encrypted or authenticated",
    );
  await log(
    "info",
    `connecting to ${target.host}:${target.port}/${target.database} as ${target.user}` +
      (target.viaOverride ? " (through the host/port override)" : "") +
      (target.tls === "disable" ? " without TLS" : " with TLS (verify-full)"),
  );
  const client = new pg.Client(adminClientConfig(target, password));
  // A dropped connection emits 'error' on the client; unhandled, it would crash the process.
  client.on("error", () => undefined);
  let ended = false;
  const close = async () => {
    if (ended) return;
    ended = true;
    ctx.signal?.removeEventListener("abort", onAbort);
    await client.end().catch(() => undefined);
  };
  // Ending the connection mid-transaction rolls it back: cancelling leaves nothing half-done.
  const onAbort = () => void close();
  ctx.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await client.connect();
  } catch (error) {
    await close();
    throw safeError(error, [password], `cannot connect to ${target.host}:${target.port}/${target.database} as ${target.user}`, tlsHint(target));
  }
  return { client, target, close };
}

function tlsHint(target: AdminTarget): (message: string, code?: string) => string | null {
  return (message, code) => {
    if (/self[- ]signed|unable to (get|verify)|UNABLE_TO|SELF_SIGNED|CERT_/i.test(`${code ?? ""} ${message}`))
      return "the server certificate is not trusted: upload the RDS CA bundle (https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem) as the CA bundle (dbCaBundle)";
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
