// The catalog's version: a counter that SQLite triggers bump on every write to products (drizzle/0002), so
// whatever is derived from the catalog can tell it is stale without each writer remembering to say so.
import { perDatabase, type Db } from "../db/connection.js";

const statements = perDatabase((db) => ({
  version: db.$client.prepare<[], number>("SELECT version FROM catalog_version WHERE id = 1").pluck(),
  // Rows this connection has written since it opened (triggers' writes included): reads no table.
  writes: db.$client.prepare<[], number>("SELECT total_changes()").pluck(),
}));

/** Changes whenever a row of products is inserted, updated or deleted, by any code path or by hand. */
export function catalogVersion(db: Db): number {
  return statements(db).version.get() ?? 0;
}

/**
 * The catalog version, read cheaply: a table read costs a read transaction (about 8 µs on the development
 * machine, as much as the rest of a browsing update's database work), so it is read again only when this
 * connection has written anything since (every write of the shop's own code) or `recheckMs` has passed
 * (another process, such as an operator's sqlite3 session, may have written).
 */
export function catalogVersionReader(db: Db, options: { now?: () => number; recheckMs?: number } = {}): () => number {
  const now = options.now ?? Date.now;
  const recheckMs = options.recheckMs ?? 1_000;
  const { writes } = statements(db);
  let version = catalogVersion(db);
  let seenWrites = writes.get();
  let readAt = now();
  return () => {
    const written = writes.get();
    const at = now();
    if (written !== seenWrites || at - readAt >= recheckMs) {
      version = catalogVersion(db);
      seenWrites = written;
      readAt = at;
    }
    return version;
  };
}
