// Builds a Prisma client for a SQLite file. Kept apart from lib/db.ts (no "server-only") so tests and
// scripts can open their own database file.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/prisma/client";
import { databaseUrl } from "./db-url";

export type Db = PrismaClient;

export function createPrismaClient(url: string = databaseUrl()): Db {
  // WAL lets the progress stream read while the runner writes; the busy timeout makes a writer wait for
  // the lock instead of failing with SQLITE_BUSY. better-sqlite3 applies `timeout` as busy_timeout.
  const adapter = new PrismaBetterSQLite3({ url, timeout: 5000 });
  const client = new PrismaClient({ adapter });
  const wal = client.$queryRawUnsafe("PRAGMA journal_mode = WAL").then(() => undefined);
  wal.catch(() => undefined); // reported to whoever awaits dbReady; never an unhandled rejection
  ready.set(client, wal);
  return client;
}

const ready = new WeakMap<Db, Promise<void>>();

/** Resolves once the connection pragmas are applied (tests await it before checking them). */
export function dbReady(client: Db): Promise<void> {
  return ready.get(client) ?? Promise.resolve();
}
