// Builds a Prisma client for a SQLite file. Kept apart from lib/db.ts (no "server-only") so tests and
// scripts can open their own database file.
import fs from "node:fs";
import Database from "better-sqlite3";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/prisma/client";
import { databaseUrl } from "./db-url";

export type Db = PrismaClient;

const BUSY_TIMEOUT_MS = 5000;

export function createPrismaClient(url: string = databaseUrl()): Db {
  // WAL lets the progress stream read while the runner writes; the busy timeout makes a writer wait for
  // the lock instead of failing with SQLITE_BUSY. better-sqlite3 applies `timeout` as busy_timeout.
  const file = url.slice("file:".length);
  privateFile(file);
  const adapter = new PrismaBetterSQLite3({ url, timeout: BUSY_TIMEOUT_MS });
  const client = new PrismaClient({ adapter });
  const wal = client.$queryRawUnsafe("PRAGMA journal_mode = WAL").then(() => undefined);
  wal.catch(() => undefined); // reported to whoever awaits dbReady; never an unhandled rejection
  ready.set(client, wal);
  files.set(client, file);
  return client;
}

/**
 * The job store holds password hashes and session digests: readable by the console's user only. SQLite creates
 * its -wal and -shm files with the database's mode, so they follow. A file created by this connection (no
 * migration run) is made before SQLite opens it, with 0600.
 */
function privateFile(file: string): void {
  if (file === ":memory:") return;
  try {
    if (!fs.existsSync(file)) fs.closeSync(fs.openSync(file, "a", 0o600));
    fs.chmodSync(file, 0o600);
  } catch {
    // Not ours to change (a read-only mount, another owner): SQLite reports real problems when it opens it.
  }
}

const ready = new WeakMap<Db, Promise<void>>();
const files = new WeakMap<Db, string>();

/** Resolves once the connection pragmas are applied (tests await it before checking them). */
export function dbReady(client: Db): Promise<void> {
  return ready.get(client) ?? Promise.resolve();
}

/**
 * Runs `work` as ONE transaction (BEGIN IMMEDIATE ... COMMIT, or ROLLBACK when it throws) on a connection of its
 * own to the client's file. It is synchronous on purpose: nothing else in this process can interleave with it,
 * which Prisma's transactions cannot promise on better-sqlite3 (they hold the lock across awaits, and a second
 * connection in the process would then wait for it synchronously, stalling the very event loop that holds it).
 * For rare, small units that must be all or nothing (start-up recovery).
 */
export function inOneTransaction<T>(client: Db, work: (conn: Database.Database) => T): T {
  const file = files.get(client);
  if (!file) throw new Error("inOneTransaction needs a client made by createPrismaClient");
  const conn = new Database(file, { timeout: BUSY_TIMEOUT_MS, fileMustExist: true });
  try {
    return conn.transaction(() => work(conn)).immediate();
  } finally {
    conn.close();
  }
}

/** A Date as the Prisma SQLite adapter stores it (ISO 8601 with +00:00), so raw SQL compares like Prisma does. */
export function sqliteTime(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}
