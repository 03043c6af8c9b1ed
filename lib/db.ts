// The one Prisma client of the process, on SQLite through better-sqlite3 (WAL, busy timeout).
import "server-only";
import { createPrismaClient, type Db } from "./db-client";

const g = globalThis as unknown as { __studioDb?: Db };

/** The process-wide client; dev reloads reuse it instead of opening a new file handle each time. */
export const db: Db = (g.__studioDb ??= createPrismaClient());
