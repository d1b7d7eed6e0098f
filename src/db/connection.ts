// Opens the SQLite database (WAL, busy timeout, foreign keys) and applies the drizzle migrations.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema.js";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

export const MIGRATIONS_FOLDER = resolve(dirname(fileURLToPath(import.meta.url)), "../../drizzle");

export interface OpenDatabaseOptions {
  migrationsFolder?: string;
}

/** Opens (creating when needed) the database at `path` and brings its schema up to date. */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Db {
  if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  // WAL with synchronous=NORMAL is durable across process crashes; only an OS crash may lose the last commits.
  sqlite.pragma("synchronous = NORMAL");
  // Deleted and rewritten content is overwritten with zeros rather than left in free pages: nothing that once
  // held a secret (a scrubbed webhook body, a replaced code) survives in the file or its backups.
  sqlite.pragma("secure_delete = ON");
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: options.migrationsFolder ?? MIGRATIONS_FOLDER });
  // Start with an empty WAL: frames written before a scrubbing migration (or by an older version) must not linger.
  if (path !== ":memory:") sqlite.pragma("wal_checkpoint(TRUNCATE)");
  return db as Db;
}

/**
 * Builds something once per database and returns the same one after that: prepared statements for the hot
 * paths (building and preparing a statement on every call was the top cost in the profiles).
 */
export function perDatabase<T>(build: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let value = cache.get(db);
    if (value === undefined) cache.set(db, (value = build(db)));
    return value;
  };
}
