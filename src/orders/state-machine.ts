// The order state machine: the only code that writes an order's status. Every transition is checked
// against the table below, guarded against a concurrent change, and appended to the order event log.
import { eq, sql } from "drizzle-orm";
import { updateOrderRow } from "./row-writer.js";
import { perDatabase, type Db } from "../db/connection.js";
import { orderEvents, orders, type OrderStatus } from "../db/schema.js";
import type { Logger } from "../logger.js";

/** Legal next states (architecture.md). An order never moves backwards. */
export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  // needs_review from here: Stripe took money we cannot match to the order (amount or currency differ).
  awaiting_payment: ["paid", "expired", "cancelled", "needs_review"],
  // refunding / refunded / needs_review from the three below: a hold (orders/hold.ts) resolved — the money went
  // back in Stripe, a dispute, or an admin's refund before the code reached the customer; needs_review also when a
  // step keeps failing unexpectedly (a stored code that cannot be read…).
  paid: ["supplier_pending", "fulfilled", "failed", "needs_review", "refunding", "refunded"],
  supplier_pending: ["fulfilled", "failed", "needs_review", "refunding", "refunded"],
  fulfilled: ["delivered", "delivery_failed", "needs_review", "refunding"],
  delivered: [],
  delivery_failed: ["delivered"],
  failed: ["refunding", "needs_review"],
  refunding: ["refunded", "needs_review"],
  refunded: [],
  // An admin retries (back to paid: the supplier is asked by reference first), refunds, or types the code.
  needs_review: ["paid", "fulfilled", "refunding", "refunded"],
  // Money that arrives for an order that already expired or was cancelled is never dropped: a Stars payment
  // revives the order (paid) or is refunded when it can no longer be fulfilled; anything else, a person looks.
  expired: ["needs_review", "paid", "refunding"],
  cancelled: ["needs_review", "paid", "refunding"],
};

/** States in which the worker has a step to take when `next_attempt_at` comes. */
export const WORKER_STATES: readonly OrderStatus[] = ["paid", "supplier_pending", "fulfilled", "failed", "refunding"];

/** Paid but not yet in a customer's hands or back on their card. */
export const OPEN_PAID_STATES: readonly OrderStatus[] = ["paid", "supplier_pending", "fulfilled", "needs_review", "failed", "refunding"];

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export class IllegalTransitionError extends Error {
  override readonly name = "IllegalTransitionError";
  constructor(
    readonly orderId: string,
    readonly from: OrderStatus,
    readonly to: OrderStatus,
  ) {
    super(`order ${orderId}: ${from} → ${to} is not a legal transition`);
  }
}

/** The order was not in the state the caller expected: someone else moved it first. */
export class StaleTransitionError extends Error {
  override readonly name = "StaleTransitionError";
  constructor(
    readonly orderId: string,
    readonly expected: OrderStatus,
    readonly actual: OrderStatus | undefined,
  ) {
    super(`order ${orderId}: expected ${expected}, found ${actual ?? "no order"}`);
  }
}

export type OrderRow = typeof orders.$inferSelect;
export type OrderPatch = Partial<Omit<OrderRow, "id" | "status" | "createdAt" | "customerId">>;

export interface TransitionRequest {
  orderId: string;
  /** The state the caller saw; the transition applies only if the order is still in it. */
  from: OrderStatus;
  to: OrderStatus;
  cause: string;
  actor: string;
  detail?: Record<string, unknown> | null;
  /** Other columns written in the same statement (payment intent, supplier order id, schedule…). */
  patch?: OrderPatch;
  /** More writes that must commit with the transition (the codes that make an order `fulfilled`). */
  also?: (tx: Tx) => void;
}

export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export interface StateMachineDeps {
  db: Db;
  now: () => number;
  logger: Logger;
}

/**
 * Moves an order from `from` to `to` in one transaction: the status update (guarded by `from`) and its
 * event row commit together or not at all. Throws IllegalTransitionError or StaleTransitionError.
 */
export function transition(deps: StateMachineDeps, request: TransitionRequest): OrderRow {
  const { db, logger } = deps;
  const { orderId, from, to } = request;
  if (!canTransition(from, to)) {
    const error = new IllegalTransitionError(orderId, from, to);
    logger.error({ order_id: orderId, from, to, cause: request.cause, actor: request.actor }, error.message);
    throw error;
  }
  const at = deps.now();
  const { update, insertEvent, select } = statements(db);
  const values: Record<string, unknown> = {
    nextAttemptAt: WORKER_STATES.includes(to) ? at : null,
    attempts: 0,
    lastError: null,
    // Each stay in review is announced to ops once the alert is really sent (ops/monitors.ts re-raises until then).
    ...(to === "needs_review" ? { reviewAlertedAt: null } : {}),
    // Leaving review ends a fraud hold (released, refunded): a later stay in review is not one.
    ...(from === "needs_review" ? { riskHeldAt: null } : {}),
    ...request.patch,
    status: to,
    updatedAt: at,
  };
  return db.transaction((tx) => {
    const changed = update(values, orderId, from);
    if (!changed) {
      const actual = select.get({ id: orderId });
      throw new StaleTransitionError(orderId, from, actual?.status);
    }
    insertEvent.run(orderId, at, from, to, request.cause, request.actor, request.detail ? JSON.stringify(request.detail) : null);
    request.also?.(tx);
    logger.info({ order_id: orderId, from, to, cause: request.cause, actor: request.actor }, "order transition");
    return select.get({ id: orderId })!;
  });
}

/** Prepared once per database: the event insert and the read-back (the query builder per call was costly). */
const statements = perDatabase((db) => ({
  select: db.select().from(orders).where(eq(orders.id, sql.placeholder("id"))).prepare(),
  insertEvent: db.$client.prepare<unknown[]>(
    "INSERT INTO order_events (order_id, at, from_status, to_status, cause, actor, detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
  ),
  update: (values: Record<string, unknown>, orderId: string, from: OrderStatus) => updateOrderRow(db, values, orderId, from),
}));

/** Appends a note to the event log without changing the status (a refund seen on a delivered order, a resend…). */
export function recordOrderNote(
  deps: StateMachineDeps,
  note: { orderId: string; status: OrderStatus; cause: string; actor: string; detail?: Record<string, unknown> | null; patch?: OrderPatch },
): void {
  const at = deps.now();
  deps.db.transaction((tx) => {
    if (note.patch) tx.update(orders).set({ ...note.patch, updatedAt: at }).where(eq(orders.id, note.orderId)).run();
    tx.insert(orderEvents)
      .values({ orderId: note.orderId, at, fromStatus: note.status, toStatus: note.status, cause: note.cause, actor: note.actor, detail: note.detail ?? null })
      .run();
  });
}

export type NewOrder = Omit<typeof orders.$inferInsert, "status" | "createdAt" | "updatedAt" | "nextAttemptAt" | "attempts">;

/** The birth of an order: inserted as `awaiting_payment`, with its first event, in one transaction. */
export function createOrder(deps: StateMachineDeps, order: NewOrder, actor: string): OrderRow {
  const at = deps.now();
  return deps.db.transaction((tx) => {
    const row = tx
      .insert(orders)
      .values({ ...order, status: "awaiting_payment", createdAt: at, updatedAt: at, nextAttemptAt: null, attempts: 0 })
      .returning()
      .get();
    tx.insert(orderEvents)
      .values({ orderId: row.id, at, fromStatus: null, toStatus: "awaiting_payment", cause: "created", actor, detail: null })
      .run();
    deps.logger.info({ order_id: row.id, sku: row.sku, amount: row.amount, currency: row.currency }, "order created");
    return row;
  });
}
