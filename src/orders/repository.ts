// Reads of orders and their event logs, and the non-status bookkeeping the worker keeps on a row.
import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, lte, sql } from "drizzle-orm";
import { perDatabase, type Db } from "../db/connection.js";
import { deliveredItems, orderEvents, orders, type OrderStatus } from "../db/schema.js";
import type { OrderPatch, OrderRow } from "./state-machine.js";
import { updateOrderRow } from "./row-writer.js";
import { WORKER_STATES } from "./state-machine.js";

export type OrderEventRow = typeof orderEvents.$inferSelect;
export type DeliveredItemRow = typeof deliveredItems.$inferSelect;

/**
 * The hot-path queries, prepared once per database: building and preparing a statement on every call was
 * the largest cost in the pipeline's profile (see docs/BENCHMARKS.md).
 */
const prepared = perDatabase((db: Db) => {
  const due = and(isNotNull(orders.nextAttemptAt), inArray(orders.status, [...WORKER_STATES]));
  return {
    order: db.select().from(orders).where(eq(orders.id, sql.placeholder("id"))).prepare(),
    // Ids only: the worker reads each row once, when its step starts (a tick runs after every step).
    due: db
      .select({ id: orders.id })
      .from(orders)
      .where(and(due, lte(orders.nextAttemptAt, sql.placeholder("now"))))
      .orderBy(asc(orders.nextAttemptAt))
      .limit(sql.placeholder("limit"))
      .prepare(),
    state: db
      .select({ status: orders.status, holdReason: orders.holdReason, paidNoticeAt: orders.paidNoticeAt, slowNoticeAt: orders.slowNoticeAt })
      .from(orders)
      .where(eq(orders.id, sql.placeholder("id")))
      .prepare(),
    claim: db
      .update(orders)
      .set({
        supplierName: sql`${sql.placeholder("supplierName")}`,
        supplierReference: sql`${sql.placeholder("supplierReference")}`,
        supplierRequestedAt: sql`${sql.placeholder("now")}`,
        updatedAt: sql`${sql.placeholder("now")}`,
      })
      .where(and(eq(orders.id, sql.placeholder("id")), eq(orders.status, sql.placeholder("status")), isNull(orders.holdReason), isNotNull(orders.riskCheckedAt)))
      .prepare(),
    paidSince: db
      .select({
        count: sql<number>`count(*)`,
        value: sql<number>`coalesce(sum(CASE WHEN ${orders.currency} = ${sql.placeholder("currency")} THEN ${orders.amount} ELSE 0 END), 0)`,
      })
      .from(orders)
      .where(and(eq(orders.customerId, sql.placeholder("customerId")), isNotNull(orders.paidAt), gte(orders.paidAt, sql.placeholder("since"))))
      .prepare(),
    customersOnCard: db.selectDistinct({ customerId: orders.customerId }).from(orders).where(eq(orders.cardFingerprint, sql.placeholder("fingerprint"))).prepare(),
    nextDue: db.select({ at: sql<number | null>`min(${orders.nextAttemptAt})` }).from(orders).where(due).prepare(),
    soonest: db
      .select({ id: orders.id, at: orders.nextAttemptAt })
      .from(orders)
      .where(due)
      .orderBy(asc(orders.nextAttemptAt))
      .limit(sql.placeholder("limit"))
      .prepare(),
    insertItem: db
      .insert(deliveredItems)
      .values({
        orderId: sql.placeholder("orderId"),
        position: sql.placeholder("position"),
        codeEnc: sql.placeholder("codeEnc"),
        pinEnc: sql.placeholder("pinEnc"),
        serialEnc: sql.placeholder("serialEnc"),
        expiresAt: sql.placeholder("expiresAt"),
        source: sql.placeholder("source"),
        createdAt: sql.placeholder("createdAt"),
      })
      .onConflictDoNothing()
      .prepare(),
    items: db.select().from(deliveredItems).where(eq(deliveredItems.orderId, sql.placeholder("id"))).orderBy(asc(deliveredItems.position)).prepare(),
  };
});

export function getOrder(db: Db, id: string): OrderRow | undefined {
  return prepared(db).order.get({ id });
}

export function getOrderByPaymentIntent(db: Db, paymentIntentId: string): OrderRow | undefined {
  return db.select().from(orders).where(eq(orders.stripePaymentIntentId, paymentIntentId)).get();
}

export function getOrderByCharge(db: Db, chargeId: string): OrderRow | undefined {
  return db.select().from(orders).where(eq(orders.stripeChargeId, chargeId)).get();
}

export function getOrderEvents(db: Db, id: string): OrderEventRow[] {
  return db.select().from(orderEvents).where(eq(orderEvents.orderId, id)).orderBy(asc(orderEvents.id)).all();
}

export function getDeliveredItems(db: Db, orderId: string): DeliveredItemRow[] {
  return prepared(db).items.all({ id: orderId });
}

/**
 * Stores sealed codes; one already at its position stays (a replayed answer changes nothing). Inside a
 * transition's `also`, it runs in that transaction (same connection).
 */
export function insertDeliveredItems(db: Db, rows: ReadonlyArray<Omit<DeliveredItemRow, "id">>): void {
  const insert = prepared(db).insertItem;
  for (const row of rows) insert.run(row);
}

/** The ids of orders whose next step is due, oldest first, skipping the ones already in hand. */
export function findDueOrderIds(db: Db, now: number, limit: number, exclude: ReadonlySet<string>): string[] {
  if (limit <= 0) return [];
  const rows = prepared(db).due.all({ now, limit: limit + exclude.size });
  return rows.map((row) => row.id).filter((id) => !exclude.has(id)).slice(0, limit);
}

export type OrderState = Pick<OrderRow, "status" | "holdReason" | "paidNoticeAt" | "slowNoticeAt">;

/**
 * An order's status, hold and notices, without reading (and parsing) the rest of the row: asked before every
 * supplier order and every delivery, where the full row is already in hand but may be stale.
 */
export function getOrderState(db: Db, id: string): OrderState | undefined {
  return prepared(db).state.get({ id });
}

/**
 * The soonest time any order is due, so the worker can sleep until then; orders in `exclude` (in hand) do not
 * count: an order whose step is running is due in the past until the step writes its next time.
 */
export function nextDueAt(db: Db, exclude: ReadonlySet<string> = new Set()): number | undefined {
  if (exclude.size === 0) return prepared(db).nextDue.get()?.at ?? undefined;
  const rows = prepared(db).soonest.all({ limit: exclude.size + 1 });
  return rows.find((row) => !exclude.has(row.id))?.at ?? undefined;
}

/**
 * The fence before a supplier order is placed: records that a request is about to leave (with the attempt's
 * supplier and reference), only while the order is still in the state the step saw (`paid`, or `supplier_pending`
 * after a failover), not held, and passed by the fraud rules. False means it moved on (refunded, disputed, held) or
 * was never assessed, and nothing may be ordered.
 */
export function claimSupplierRequest(
  db: Db,
  id: string,
  status: OrderStatus,
  attempt: Pick<OrderRow, "supplierName" | "supplierReference">,
  now: number,
): boolean {
  return prepared(db).claim.run({ id, status, supplierName: attempt.supplierName, supplierReference: attempt.supplierReference, now }).changes > 0;
}

/** Writes bookkeeping (schedule, attempts, last error, supplier ids) but never the status. */
export function updateOrderFields(db: Db, id: string, status: OrderStatus, patch: OrderPatch, now: number): boolean {
  return updateOrderRow(db, { ...patch, updatedAt: now }, id, status);
}

/** The customer's newest order (for /support), or undefined. */
export function lastOrderOf(db: Db, customerId: number): Pick<OrderRow, "id"> | undefined {
  return db.select({ id: orders.id }).from(orders).where(eq(orders.customerId, customerId)).orderBy(desc(orders.createdAt)).get();
}

/** An unpaid order of this customer for exactly this purchase that can still be paid for a while: a repeated tap. */
export function findOpenOrder(
  db: Db,
  purchase: { customerId: number; sku: string; quantity: number; recipient: string | null; amount: number; currency: string },
  payableAfter: number,
): OrderRow | undefined {
  return db
    .select()
    .from(orders)
    .where(
      and(
        eq(orders.customerId, purchase.customerId),
        eq(orders.status, "awaiting_payment"),
        eq(orders.sku, purchase.sku),
        eq(orders.quantity, purchase.quantity),
        purchase.recipient === null ? sql`${orders.recipient} IS NULL` : eq(orders.recipient, purchase.recipient),
        eq(orders.amount, purchase.amount),
        eq(orders.currency, purchase.currency),
        gt(orders.expiresAt, payableAfter),
      ),
    )
    .orderBy(desc(orders.createdAt))
    .get();
}

/** Unpaid orders of a customer still open at `now`, and orders they started since `since` (abuse limits). */
export function countCustomerOrders(db: Db, customerId: number, now: number, since: number): { unpaid: number; recent: number } {
  const unpaid = db
    .select({ count: sql<number>`count(*)` })
    .from(orders)
    .where(and(eq(orders.customerId, customerId), eq(orders.status, "awaiting_payment"), gt(orders.expiresAt, now)))
    .get()!.count;
  const recent = db
    .select({ count: sql<number>`count(*)` })
    .from(orders)
    .where(and(eq(orders.customerId, customerId), gt(orders.createdAt, since)))
    .get()!.count;
  return { unpaid, recent };
}

/** Unpaid Stars orders past their time (no one sends an expiry event for them). */
export function listExpiredStarsOrders(db: Db, now: number, limit = 500): Array<Pick<OrderRow, "id">> {
  return db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.status, "awaiting_payment"), eq(orders.paymentMethod, "stars"), lte(orders.expiresAt, now)))
    .limit(limit)
    .all();
}

/** A customer's paid orders since `since`: how many (any currency), and their value in `currency`. */
export function paidSince(db: Db, customerId: number, currency: string, since: number): { count: number; value: number } {
  const row = prepared(db).paidSince.get({ customerId, currency, since });
  return { count: row?.count ?? 0, value: row?.value ?? 0 };
}

/** Distinct customers who paid with this card. */
export function customersOnCard(db: Db, fingerprint: string): number[] {
  return prepared(db)
    .customersOnCard.all({ fingerprint })
    .map((row) => row.customerId);
}

/** Orders held by the fraud rules since before `before` (held orders not released are refunded after a while). */
export function listRiskHeldBefore(db: Db, before: number, limit = 100): OrderRow[] {
  return db
    .select()
    .from(orders)
    .where(and(eq(orders.status, "needs_review"), isNotNull(orders.riskHeldAt), lte(orders.riskHeldAt, before)))
    .limit(limit)
    .all();
}

export function listCustomerOrders(db: Db, customerId: number, limit: number, offset: number): OrderRow[] {
  return db.select().from(orders).where(eq(orders.customerId, customerId)).orderBy(desc(orders.createdAt), desc(orders.id)).limit(limit).offset(offset).all();
}

/** A customer's orders in one state, oldest first (the undelivered codes of a customer who came back). */
export function listCustomerOrdersIn(db: Db, customerId: number, status: OrderStatus): OrderRow[] {
  return db.select().from(orders).where(and(eq(orders.customerId, customerId), eq(orders.status, status))).orderBy(asc(orders.createdAt)).all();
}

/** The ops chat was told about these orders' stay in review (alerts re-raise the ones never told, after a crash). */
export function markReviewAlerted(db: Db, orderIds: readonly string[], at: number): void {
  if (orderIds.length === 0) return;
  db.update(orders).set({ reviewAlertedAt: at }).where(and(inArray(orders.id, [...orderIds]), eq(orders.status, "needs_review"))).run();
}

export function countOrdersByStatus(db: Db): Record<string, number> {
  const rows = db.select({ status: orders.status, count: sql<number>`count(*)` }).from(orders).groupBy(orders.status).all();
  return Object.fromEntries(rows.map((row) => [row.status, row.count]));
}
