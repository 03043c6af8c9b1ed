// Prisma 6.19 with the JS engine: the CLI migrates through the better-sqlite3 adapter, so no native schema
// engine is downloaded (installs work offline and air-gapped). The CLI does not read .env.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { databaseUrl, DEFAULT_DATABASE_URL } from "./lib/db-url";

// schema.prisma reads env("DATABASE_URL"); without it the CLI falls back to fetching a native engine.
process.env.DATABASE_URL ||= DEFAULT_DATABASE_URL;

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () => new PrismaBetterSQLite3({ url: databaseUrl() }),
});
