// Reads of orders and their event logs, and the non-status bookkeeping the worker keeps on a row.
import { and, asc, desc, eq, inArray, isNotNull, lte, sql } from "drizzle-orm";
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
    due: db
      .select()
      .from(orders)
      .where(and(due, lte(orders.nextAttemptAt, sql.placeholder("now"))))
      .orderBy(asc(orders.nextAttemptAt))
      .limit(sql.placeholder("limit"))
      .prepare(),
    nextDue: db.select({ at: sql<number | null>`min(${orders.nextAttemptAt})` }).from(orders).where(due).prepare(),
    soonest: db
      .select({ id: orders.id, at: orders.nextAttemptAt })
      .from(orders)
      .where(due)
      .orderBy(asc(orders.nextAttemptAt))
      .limit(sql.placeholder("limit"))
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

export function getOrderEvents(db: Db, id: string): OrderEventRow[] {
  return db.select().from(orderEvents).where(eq(orderEvents.orderId, id)).orderBy(asc(orderEvents.id)).all();
}

export function getDeliveredItems(db: Db, orderId: string): DeliveredItemRow[] {
  return prepared(db).items.all({ id: orderId });
}

/** Orders whose next step is due, oldest first, skipping the ones already in hand. */
export function findDueOrders(db: Db, now: number, limit: number, exclude: ReadonlySet<string>): OrderRow[] {
  if (limit <= 0) return [];
  const rows = prepared(db).due.all({ now, limit: limit + exclude.size });
  return rows.filter((row) => !exclude.has(row.id)).slice(0, limit);
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

/** Writes bookkeeping (schedule, attempts, last error, supplier ids) but never the status. */
export function updateOrderFields(db: Db, id: string, status: OrderStatus, patch: OrderPatch, now: number): boolean {
  return updateOrderRow(db, { ...patch, updatedAt: now }, id, status);
}

export function listCustomerOrders(db: Db, customerId: number, limit: number, offset: number): OrderRow[] {
  return db.select().from(orders).where(eq(orders.customerId, customerId)).orderBy(desc(orders.createdAt), desc(orders.id)).limit(limit).offset(offset).all();
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
