// Online backups with better-sqlite3's backup API: a consistent copy while the shop keeps writing.
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";

/** Copies the database at `source` to `destination` page by page without stopping writers; checks the copy. */
export async function backupDatabase(source: string, destination: string): Promise<{ pages: number; path: string }> {
  mkdirSync(dirname(resolve(destination)), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(source, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new Error(`cannot open the database ${resolve(source)} (${(error as Error).message}): set DATABASE_PATH to the shop's database file`);
  }
  try {
    const { totalPages } = await db.backup(destination);
    const copy = new Database(destination, { readonly: true });
    try {
      const [check] = copy.pragma("integrity_check") as Array<{ integrity_check: string }>;
      if (check?.integrity_check !== "ok") throw new Error(`the backup failed its integrity check: ${check?.integrity_check}`);
    } finally {
      copy.close();
    }
    return { pages: totalPages, path: resolve(destination) };
  } finally {
    db.close();
  }
}

export function defaultBackupPath(dir: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  return resolve(dir, `shop-${stamp}.sqlite`);
}
