// Route-handler tests: the handlers import `@/lib/db`; each test gets a fresh job store behind it.
//   vi.mock("@/lib/db", () => import("@/tests/support/route-db").then((m) => m.dbModule));
//   const store = routeDbPerTest();   // then store.db inside tests
import { afterEach, beforeEach } from "vitest";
import type { Db } from "@/lib/db-client";
import { openTestDb, type TestDb } from "./test-db";

let current: TestDb | undefined;

/** Stands in for the module `@/lib/db`. */
export const dbModule = {
  get db(): Db {
    if (!current) throw new Error("no route test database open: call routeDbPerTest() in the test file");
    return current.db;
  },
};

/** Opens a fresh job store before each test and closes it after; `.db` is the current one. */
export function routeDbPerTest(): { readonly db: Db } {
  beforeEach(() => {
    current = openTestDb();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return dbModule;
}
