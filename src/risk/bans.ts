// Bans: customers (by Telegram id) and cards (by Stripe's fingerprint) the shop no longer sells to.
import { and, desc, eq, sql } from "drizzle-orm";
import { perDatabase, type Db } from "../db/connection.js";
import { bans, orders } from "../db/schema.js";

export type BanRow = typeof bans.$inferSelect;
export type BanKind = BanRow["kind"];

/** Bans a customer or a card; false when it already was (the first reason stays). */
export function addBan(db: Db, kind: BanKind, value: string, reason: string, actor: string, now: number): boolean {
  return db.insert(bans).values({ kind, value, reason: reason.slice(0, 300), actor, createdAt: now }).onConflictDoNothing().run().changes > 0;
}

export function removeBan(db: Db, kind: BanKind, value: string): boolean {
  return db.delete(bans).where(and(eq(bans.kind, kind), eq(bans.value, value))).run().changes > 0;
}

// Asked for every paid order (the risk step): prepared once per database.
const prepared = perDatabase((db: Db) => ({
  find: db
    .select()
    .from(bans)
    .where(and(eq(bans.kind, sql.placeholder("kind")), eq(bans.value, sql.placeholder("value"))))
    .prepare(),
}));

export function findBan(db: Db, kind: BanKind, value: string): BanRow | undefined {
  return prepared(db).find.get({ kind, value });
}

export function isCustomerBanned(db: Db, customerId: number): boolean {
  return findBan(db, "customer", String(customerId)) !== undefined;
}

/** The newest bans first, and how many there are in all. */
export function listBans(db: Db, limit = 50): { rows: BanRow[]; total: number } {
  const rows = db.select().from(bans).orderBy(desc(bans.createdAt), desc(bans.id)).limit(limit).all();
  const total = db.select({ count: sql<number>`count(*)` }).from(bans).get()?.count ?? 0;
  return { rows, total };
}

/** Unpaid orders of banned customers (banned after they opened them), to be cancelled. */
export function listUnpaidOrdersOfBanned(db: Db, limit = 100): Array<{ id: string; stripeSessionId: string | null }> {
  return db
    .select({ id: orders.id, stripeSessionId: orders.stripeSessionId })
    .from(orders)
    .innerJoin(bans, and(eq(bans.kind, "customer"), eq(bans.value, sql`CAST(${orders.customerId} AS TEXT)`)))
    .where(eq(orders.status, "awaiting_payment"))
    .limit(limit)
    .all();
}
