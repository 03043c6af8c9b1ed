// Job stores for one test, several of them on one SQLite file when a test plays two processes, all closed
// after the test whatever it did.
import { afterEach } from "vitest";
import { openTestDb, type TestDb } from "../../support/test-db";

/** Call at the top of a test file; the returned `open(file?)` opens a store (a fresh file unless given one). */
export function openDbPerTest(): (file?: string) => TestDb {
  const opened: TestDb[] = [];
  afterEach(async () => {
    for (const t of opened.splice(0)) await t.close();
  });
  return (file) => {
    const t = openTestDb(file);
    opened.push(t);
    return t;
  };
}
