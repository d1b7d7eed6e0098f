// Bans: customers (by Telegram id) and cards (by Stripe's fingerprint) the shop no longer sells to.
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../db/connection.js";
import { bans } from "../db/schema.js";

export type BanRow = typeof bans.$inferSelect;
export type BanKind = BanRow["kind"];

/** Bans a customer or a card; false when it already was (the first reason stays). */
export function addBan(db: Db, kind: BanKind, value: string, reason: string, actor: string, now: number): boolean {
  return db.insert(bans).values({ kind, value, reason: reason.slice(0, 300), actor, createdAt: now }).onConflictDoNothing().run().changes > 0;
}

export function removeBan(db: Db, kind: BanKind, value: string): boolean {
  return db.delete(bans).where(and(eq(bans.kind, kind), eq(bans.value, value))).run().changes > 0;
}

export function findBan(db: Db, kind: BanKind, value: string): BanRow | undefined {
  return db.select().from(bans).where(and(eq(bans.kind, kind), eq(bans.value, value))).get();
}

export function isCustomerBanned(db: Db, customerId: number): boolean {
  return findBan(db, "customer", String(customerId)) !== undefined;
}

export function listBans(db: Db, limit = 50): BanRow[] {
  return db.select().from(bans).orderBy(desc(bans.createdAt)).limit(limit).all();
}
