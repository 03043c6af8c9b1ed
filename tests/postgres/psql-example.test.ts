// grants.sql and rollback.sql show a psql command that connects the way the environment does: verify-full with
// the RDS CA bundle when TLS is on; sslmode=disable, with why verify-full is still recommended, when it is off.
import { describe, expect, it } from "vitest";
import { renderGrantsSql } from "@/lib/postgres/grants-script";
import { renderRollbackSql } from "@/lib/postgres/rollback";
import { testSettings } from "@/tests/support/settings";

describe("the scripts' example psql command", () => {
  const settings = { ...testSettings(), originalDbOwner: "studio" };
  it("uses verify-full when the environment's TLS is on, and says why", () => {
    const sql = renderGrantsSql(settings, { host: "db.example.com", port: 5432, tls: "verify-full" });
    expect(sql).toContain('--   psql "host=db.example.com port=5432 dbname=studio user=<admin> sslmode=verify-full sslrootcert=global-bundle.pem" \\');
    expect(sql).toMatch(/verify-full .* checks the server's certificate and name before the\n-- admin password is sent/);
    expect(sql).not.toContain("sslmode=disable");
  });

  it("uses sslmode=disable when the environment's TLS is off (a tunnel), and recommends verify-full elsewhere", () => {
    for (const sql of [
      renderGrantsSql(settings, { host: "127.0.0.1", port: 15432, tls: "disable" }),
      renderRollbackSql(settings, { host: "127.0.0.1", port: 15432, tls: "disable" }),
    ]) {
      expect(sql).toContain('--   psql "host=127.0.0.1 port=15432 dbname=studio user=<admin> sslmode=disable" \\');
      expect(sql).toContain("-- sslmode=disable matches this environment's setting (TLS to the database: off)");
      expect(sql).toContain("Anywhere else use sslmode=verify-full sslrootcert=global-bundle.pem");
      expect(sql).not.toContain("sslmode=verify-full sslrootcert=global-bundle.pem\" \\");
    }
  });
});
