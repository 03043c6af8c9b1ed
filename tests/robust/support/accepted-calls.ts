// For the crash trials: every mutating call the fake account accepted (FAKE_AWS_CALL_LOG, one JSON line each,
// synced before the caller got its answer, so it survives the kill) must have its line in the run's log. Either
// the line of the call's result, carrying the request id AWS answered with, or — for a call accepted just before
// the kill, whose answer the killed process never saw — the resumed run's line saying the interrupted attempt's
// call was accepted and is not repeated.
import fs from "node:fs";
import Database from "better-sqlite3";

export interface AcceptedCall {
  pid: number;
  service: string;
  command: string;
  input: Record<string, unknown>;
  requestId: string;
}

export interface LogRow {
  stepKey: string | null;
  message: string;
  requestId: string | null;
}

/** The change's `call` where it is not `<service>:<Command>` (the plan names S3 lifecycle by its IAM action). */
const CALL_OF: Record<string, string> = { PutBucketLifecycleConfiguration: "s3:PutLifecycleConfiguration" };

/** What a change's resource text names for this call: the role, bucket, issuer host or database. */
function resourceName(input: Record<string, unknown>): string {
  const s = (k: string) => (typeof input[k] === "string" ? (input[k] as string) : undefined);
  return s("RoleName") ?? s("Bucket") ?? s("Url")?.replace(/^https:\/\//, "") ?? s("DBInstanceIdentifier") ?? s("DBClusterIdentifier") ?? "";
}

export function readAccepted(file: string): AcceptedCall[] {
  if (!fs.existsSync(file)) return [];
  const lines = fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
  // The last line may be half written: read while the double writes it, or cut by the kill.
  return lines.flatMap((l, i) => {
    try {
      return [JSON.parse(l) as AcceptedCall];
    } catch (error) {
      if (i === lines.length - 1) return [];
      throw error;
    }
  });
}

export function readRunLog(dbFile: string, runId: string): LogRow[] {
  const db = new Database(dbFile, { readonly: true });
  try {
    return db.prepare("SELECT stepKey, message, requestId FROM RunLog WHERE runId = ? ORDER BY id").all(runId) as LogRow[];
  } finally {
    db.close();
  }
}

/** How the log accounts for an accepted call: by its request id, as made by the interrupted attempt, or not at all. */
export function accountFor(call: AcceptedCall, log: LogRow[]): "request id" | "interrupted attempt" | null {
  if (log.some((l) => l.requestId === call.requestId)) return "request id";
  const name = `${CALL_OF[call.command] ?? `${call.service}:${call.command}`} `;
  const resource = resourceName(call.input);
  const recovered = log.some(
    (l) =>
      l.message.startsWith(name) &&
      l.message.includes(resource) &&
      /: (made by the interrupted attempt \(accepted before the process stopped\)|in place now, although the earlier attempt's call failed)/.test(l.message),
  );
  return recovered ? "interrupted attempt" : null;
}
