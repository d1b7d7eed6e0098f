// Paused sales (/pause, /resume): the whole shop (scope "*") or one product. While a pause holds, customers see
// "back soon" instead of Buy and no new order is opened; orders already paid go on to delivery. Stored in SQLite
// (sales_pauses), so a pause survives a restart; its triggers bump catalog_version, so cached screens follow.
import { eq, sql } from "drizzle-orm";
import { perDatabase, type Db } from "../db/connection.js";
import { salesPauses } from "../db/schema.js";

/** The scope of a pause of the whole shop. */
export const WHOLE_SHOP = "*";

export type PauseRow = typeof salesPauses.$inferSelect;

const byScope = perDatabase((db) => db.select().from(salesPauses).where(eq(salesPauses.scope, sql.placeholder("scope"))).prepare());

/** The pause that stops sales of this product now (the whole shop's first), or undefined. */
export function pauseOf(db: Db, sku: string): PauseRow | undefined {
  return byScope(db).get({ scope: WHOLE_SHOP }) ?? byScope(db).get({ scope: sku });
}

/** Whether the whole shop is paused. */
export function shopPause(db: Db): PauseRow | undefined {
  return byScope(db).get({ scope: WHOLE_SHOP });
}

/** Pauses the shop or a product; a second pause of the same scope only updates its reason. */
export function pauseSales(db: Db, pause: { scope: string; reason: string | null; actor: string }, now: number): void {
  db.insert(salesPauses)
    .values({ ...pause, createdAt: now })
    .onConflictDoUpdate({ target: salesPauses.scope, set: { reason: pause.reason, actor: pause.actor } })
    .run();
}

/** Lifts a pause; false when that scope was not paused. */
export function resumeSales(db: Db, scope: string): boolean {
  return db.delete(salesPauses).where(eq(salesPauses.scope, scope)).run().changes > 0;
}

/** Every pause in force, the whole shop's first. */
export function listPauses(db: Db): PauseRow[] {
  return db
    .select()
    .from(salesPauses)
    .all()
    .sort((a, b) => (a.scope === WHOLE_SHOP ? -1 : b.scope === WHOLE_SHOP ? 1 : a.scope.localeCompare(b.scope)));
}
