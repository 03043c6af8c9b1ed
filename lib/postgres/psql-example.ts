// The example psql command in the header of grants.sql and rollback.sql, matching the environment's TLS to the
// database: verify-full with the RDS CA bundle when TLS is on, and, when it is off (a tunnel that already
// encrypts), sslmode=disable with the reason verify-full is still the recommendation.

export interface PsqlExample {
  host: string;
  port: string;
  database: string;
  file: string;
  /** The environment's dbTls; verify-full when not known. */
  tls?: "verify-full" | "disable";
}

export function psqlExampleLines({ host, port, database, file, tls = "verify-full" }: PsqlExample): string[] {
  const conn = `host=${host} port=${port} dbname=${database} user=<admin>`;
  if (tls === "disable")
    return [
      `--   psql "${conn} sslmode=disable" \\`,
      `--        -v ON_ERROR_STOP=1 -f ${file}`,
      `-- sslmode=disable matches this environment's setting (TLS to the database: off), meant for a tunnel that`,
      `-- encrypts on its own. Anywhere else use sslmode=verify-full sslrootcert=global-bundle.pem (the RDS CA`,
      `-- bundle): only verify-full checks that the server is the database and not someone in between, before the`,
      `-- admin password is sent.`,
    ];
  return [
    `--   psql "${conn} sslmode=verify-full sslrootcert=global-bundle.pem" \\`,
    `--        -v ON_ERROR_STOP=1 -f ${file}`,
    `-- verify-full (with global-bundle.pem, the RDS CA bundle) checks the server's certificate and name before the`,
    `-- admin password is sent; weaker modes encrypt without knowing who is at the other end.`,
  ];
}
