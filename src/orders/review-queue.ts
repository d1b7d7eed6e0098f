// The review queue as admins read it: orders in `needs_review`, oldest first, each with the cause that sent it there
// (the cause of its latest move to review in the event log), and which of them a retry may fix.
import { and, asc, count, eq, sql } from "drizzle-orm";
import type { Db } from "../db/connection.js";
import { orders } from "../db/schema.js";
import type { OrderRow } from "./state-machine.js";

/**
 * Causes a plain retry may fix, for "Retry all" and the retry after a balance top-up: the supplier out of balance,
 * retries exhausted on timeouts, 5xx and rate limits, an order still pending at the supplier, the fraud check unable
 * to read the payment. Never a fraud hold (Release), money that does not match its order, a supplier's answer the
 * shop did not trust (codes that failed validation), a refund that failed, or an unexpected error (fix it first).
 */
export const RETRYABLE_REVIEW_CAUSES: readonly string[] = ["insufficient_balance", "retries_exhausted", "supplier_pending_too_long", "risk_check_unavailable"];

export type ReviewEntry = OrderRow & { reviewCause: string | null };

// Qualified by hand: drizzle writes a column of a one-table query unqualified, and "id" would mean the event's here.
const reviewCause = sql<string | null>`(SELECT e.cause FROM order_events e WHERE e.order_id = "orders"."id" AND e.to_status = 'needs_review' ORDER BY e.id DESC LIMIT 1)`.as(
  "review_cause",
);

function select(db: Db) {
  return db.select({ order: orders, reviewCause }).from(orders);
}

function entry(row: { order: OrderRow; reviewCause: string | null }): ReviewEntry {
  return { ...row.order, reviewCause: row.reviewCause };
}

/** How many orders wait in review. */
export function countInReview(db: Db): number {
  return db.select({ n: count() }).from(orders).where(eq(orders.status, "needs_review")).get()?.n ?? 0;
}

/** One page of the queue, oldest first. */
export function listInReview(db: Db, limit: number, offset: number): ReviewEntry[] {
  return select(db).where(eq(orders.status, "needs_review")).orderBy(asc(orders.updatedAt), asc(orders.id)).limit(limit).offset(offset).all().map(entry);
}

/** Orders in review a retry may fix (by the cause of their stay; `causes` narrows it, e.g. to insufficient balance). */
export function listRetryableInReview(db: Db, causes: readonly string[] = RETRYABLE_REVIEW_CAUSES): ReviewEntry[] {
  return select(db)
    .where(and(eq(orders.status, "needs_review"), sql`${orders.riskHeldAt} IS NULL`))
    .orderBy(asc(orders.updatedAt), asc(orders.id))
    .all()
    .map(entry)
    .filter((order) => order.reviewCause !== null && causes.includes(order.reviewCause));
}
