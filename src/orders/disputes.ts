// Disputes as the shop keeps them: one row per Stripe dispute id, linked to its order, with what is due when.
import { and, asc, eq, gt, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "../db/connection.js";
import { disputes } from "../db/schema.js";

export type DisputeRow = typeof disputes.$inferSelect;

/** Stripe's statuses of a dispute that is still open (evidence may be submitted or is being reviewed). */
export const OPEN_DISPUTE_STATUSES = ["warning_needs_response", "needs_response", "warning_under_review", "under_review"] as const;

export interface DisputeFacts {
  id: string;
  orderId: string | null;
  chargeId: string | null;
  paymentIntentId: string | null;
  amount: number;
  currency: string;
  reason: string;
  status: string;
  evidenceDueBy: number | null;
}

/** Records a dispute, or updates what Stripe says of it now; returns the row and whether it is new. */
export function upsertDispute(db: Db, facts: DisputeFacts, now: number, extra: Partial<DisputeRow> = {}): { row: DisputeRow; created: boolean } {
  const existing = db.select().from(disputes).where(eq(disputes.id, facts.id)).get();
  if (!existing) {
    const row = db
      .insert(disputes)
      .values({ ...facts, currency: facts.currency.toUpperCase(), createdAt: now, updatedAt: now, ...extra })
      .returning()
      .get();
    return { row, created: true };
  }
  const row = db
    .update(disputes)
    .set({ status: facts.status, evidenceDueBy: facts.evidenceDueBy ?? existing.evidenceDueBy, orderId: existing.orderId ?? facts.orderId, updatedAt: now, ...extra })
    .where(eq(disputes.id, facts.id))
    .returning()
    .get()!;
  return { row, created: false };
}

export function getDispute(db: Db, id: string): DisputeRow | undefined {
  return db.select().from(disputes).where(eq(disputes.id, id)).get();
}

export function disputesOfOrder(db: Db, orderId: string): DisputeRow[] {
  return db.select().from(disputes).where(eq(disputes.orderId, orderId)).orderBy(asc(disputes.createdAt)).all();
}

/** Open disputes, the evidence due soonest first. */
export function listOpenDisputes(db: Db, limit = 50): DisputeRow[] {
  return db
    .select()
    .from(disputes)
    .where(inArray(disputes.status, [...OPEN_DISPUTE_STATUSES]))
    .orderBy(sql`${disputes.evidenceDueBy} IS NULL`, asc(disputes.evidenceDueBy))
    .limit(limit)
    .all();
}

/**
 * Records the shop's evidence as sent, once: false when it already was (a second Confirm, another admin); the
 * status is Stripe's answer (under_review).
 */
export function recordEvidenceSubmitted(db: Db, id: string, by: string, status: string, now: number): boolean {
  return (
    db
      .update(disputes)
      .set({ evidenceSubmittedAt: now, evidenceSubmittedBy: by, status, updatedAt: now })
      .where(and(eq(disputes.id, id), isNull(disputes.evidenceSubmittedAt)))
      .run().changes > 0
  );
}

/** Disputes still waiting for evidence that is due between now and `until`, and whose reminder has not gone out. */
export function listDisputesDueBy(db: Db, now: number, until: number): DisputeRow[] {
  return db
    .select()
    .from(disputes)
    .where(
      and(
        inArray(disputes.status, ["warning_needs_response", "needs_response"]),
        isNull(disputes.evidenceSubmittedAt),
        isNull(disputes.dueAlertedAt),
        gt(disputes.evidenceDueBy, now),
        lte(disputes.evidenceDueBy, until),
      ),
    )
    .orderBy(asc(disputes.evidenceDueBy))
    .all();
}

/** The reminder of a dispute went out (raised: the outbox sends it); false when it already had. */
export function markDueAlerted(db: Db, id: string, now: number): boolean {
  return db.update(disputes).set({ dueAlertedAt: now }).where(and(eq(disputes.id, id), isNull(disputes.dueAlertedAt))).run().changes > 0;
}

/** Orders whose sale does not count as revenue: a dispute that is open or was lost. */
export function disputedOrderIds(db: Db, orderIds: readonly string[]): Set<string> {
  if (orderIds.length === 0) return new Set();
  const rows = db
    .select({ orderId: disputes.orderId })
    .from(disputes)
    .where(and(inArray(disputes.orderId, [...orderIds]), sql`${disputes.status} <> 'won'`))
    .all();
  return new Set(rows.map((row) => row.orderId!).filter(Boolean));
}
