// The audit trail: who did what, when, to which environment. Details are plain facts, never secrets.
import "server-only";
import { db } from "./db";
import { logger } from "./log";
import { connectionChanges, type ConnectionSettings } from "./postgres/connect";

export async function audit(actor: string, action: string, environmentId?: string | null, detail?: Record<string, unknown>) {
  await db.auditEvent.create({
    data: { actor, action, environmentId: environmentId ?? null, detail: detail ? JSON.stringify(detail) : null },
  });
  logger.info("audit", { actor, action, environmentId, ...detail });
}

/**
 * Audits a change of where or how the console connects to the database (host, port, TLS mode, CA), one event with
 * every field's before and after; nothing when nothing changed.
 */
export async function auditConnectionChanges(
  actor: string,
  environmentId: string,
  before: Partial<ConnectionSettings> | null,
  after: Partial<ConnectionSettings>,
) {
  const changes = connectionChanges(before, after);
  if (changes.length) await audit(actor, "environment.connection-change", environmentId, { changes });
  return changes;
}

/** Rows per page of the audit log: a long history is read a page at a time, never all at once. */
export const AUDIT_PAGE_SIZE = 50;
/** The CSV export reads in batches of this many rows and stops at AUDIT_EXPORT_MAX (a bounded download). */
const EXPORT_BATCH = 1000;
export const AUDIT_EXPORT_MAX = 100_000;

/** What the audit page and its CSV export filter by; every field optional. */
export interface AuditFilter {
  environmentId?: string;
  actor?: string;
  action?: string;
}

const MAX_FILTER_LENGTH = 200;
const oneParam = (v: string | string[] | undefined) => {
  const s = (Array.isArray(v) ? v[0] : v)?.trim();
  return s && s.length <= MAX_FILTER_LENGTH ? s : undefined;
};

/** The filter and page from a query string (page numbers start at 1; nonsense falls back to page 1). */
export function auditQuery(params: Record<string, string | string[] | undefined>): { filter: AuditFilter; page: number } {
  const page = Number(oneParam(params.page) ?? 1);
  return {
    filter: { environmentId: oneParam(params.environment), actor: oneParam(params.user), action: oneParam(params.action) },
    page: Number.isSafeInteger(page) && page >= 1 ? page : 1,
  };
}

/** The same filter as a query string, for page links and the export link. */
export function auditSearch(filter: AuditFilter, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  if (filter.environmentId) q.set("environment", filter.environmentId);
  if (filter.actor) q.set("user", filter.actor);
  if (filter.action) q.set("action", filter.action);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : "";
}

function where(filter: AuditFilter) {
  return {
    ...(filter.environmentId ? { environmentId: filter.environmentId } : {}),
    ...(filter.actor ? { actor: filter.actor } : {}),
    ...(filter.action ? { action: filter.action } : {}),
  };
}

export interface AuditRow {
  id: number;
  at: Date;
  actor: string;
  action: string;
  environment: { id: string; name: string } | null;
  detail: string | null;
}

/** One page of the audit log, newest first, with the total so the page can say where it is. */
export async function listAuditEvents(filter: AuditFilter, page: number) {
  const [total, events] = await Promise.all([
    db.auditEvent.count({ where: where(filter) }),
    db.auditEvent.findMany({
      where: where(filter),
      orderBy: { id: "desc" },
      skip: (page - 1) * AUDIT_PAGE_SIZE,
      take: AUDIT_PAGE_SIZE,
      include: { environment: { select: { id: true, name: true } } },
    }),
  ]);
  return { events: events as AuditRow[], total, page, pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)) };
}

/**
 * The choices the filters offer: environments, users and actions that occur in the log. `groupBy`, not
 * `findMany({ distinct })`: Prisma does `distinct` in memory after reading every row (5,000 audit rows read twice
 * per page view in the pages bench), while `groupBy` is SQL's GROUP BY over the actor and action indexes.
 */
export async function auditFilterChoices() {
  const [environments, actors, actions] = await Promise.all([
    db.environment.findMany({ select: { id: true, name: true }, orderBy: { name: "asc" } }),
    db.auditEvent.groupBy({ by: ["actor"], orderBy: { actor: "asc" } }),
    db.auditEvent.groupBy({ by: ["action"], orderBy: { action: "asc" } }),
  ]);
  return { environments, actors: actors.map((a) => a.actor), actions: actions.map((a) => a.action) };
}

/**
 * A CSV cell: quoted, quotes doubled, and a leading = + - @ (or tab / carriage return) neutralised with a quote
 * mark so a spreadsheet does not run a typed username as a formula (OWASP "CSV injection").
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The filtered audit log as CSV, newest first, read in batches (at most AUDIT_EXPORT_MAX rows). */
export async function auditCsv(filter: AuditFilter): Promise<string> {
  const lines = [["id", "time (UTC)", "user", "action", "environment", "detail"].map(csvCell).join(",")];
  let cursor: number | undefined;
  for (let read = 0; read < AUDIT_EXPORT_MAX; ) {
    const batch = await db.auditEvent.findMany({
      where: { ...where(filter), ...(cursor !== undefined ? { id: { lt: cursor } } : {}) },
      orderBy: { id: "desc" },
      take: Math.min(EXPORT_BATCH, AUDIT_EXPORT_MAX - read),
      include: { environment: { select: { name: true } } },
    });
    for (const e of batch)
      lines.push([String(e.id), e.at.toISOString(), e.actor, e.action, e.environment?.name ?? "", e.detail ?? ""].map(csvCell).join(","));
    read += batch.length;
    if (batch.length < EXPORT_BATCH) break;
    cursor = batch[batch.length - 1].id;
  }
  return lines.join("\r\n") + "\r\n";
}

/** Connection fields are audited by auditConnectionChanges (a CA bundle by fingerprint, never its text). */
const CONNECTION_FIELDS = new Set(["dbHostOverride", "dbPortOverride", "dbTls", "dbCaBundle"]);

const shown = (v: unknown) => (v === undefined || v === null ? "(not set)" : typeof v === "string" ? v : JSON.stringify(v));

/** Every other setting that changed between two saves, field by field with before and after. Pure. */
export function settingsChanges(before: Record<string, unknown> | null, after: Record<string, unknown>) {
  if (!before) return [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !CONNECTION_FIELDS.has(k)).sort();
  return keys
    .map((field) => ({ field, before: shown(before[field]), after: shown(after[field]) }))
    .filter((c) => c.before !== c.after);
}

/** Audits a save of an environment's settings that changed anything, with each field's before and after. */
export async function auditSettingsChanges(actor: string, environmentId: string, before: Record<string, unknown> | null, after: Record<string, unknown>) {
  const changes = settingsChanges(before, after);
  if (changes.length) await audit(actor, "environment.settings-change", environmentId, { changes });
  return changes;
}
