// Cancelling unpaid orders: the Checkout Session is expired first, so that it can no longer be paid, then the order
// is closed. Used by the customer's Cancel button, by /ban, and for customers banned elsewhere (a dispute, a card).
import type { Db } from "../db/connection.js";
import type { Logger } from "../logger.js";
import { getOrder, listCustomerOrdersIn } from "../orders/repository.js";
import { StaleTransitionError, transition } from "../orders/state-machine.js";
import { listUnpaidOrdersOfBanned } from "../risk/bans.js";
import type { Stripe } from "./stripe-client.js";

export interface CancelDeps {
  db: Db;
  stripe: Stripe;
  logger: Logger;
  now: () => number;
}

/**
 * Cancels an unpaid order and closes its Checkout Session so it can no longer be paid. A session Stripe will not
 * expire (already paid, already expired) leaves the order to the Stripe event; throws when the order is still
 * unpaid then (Stripe could not be reached).
 */
export async function cancelUnpaidOrder(deps: CancelDeps, orderId: string, sessionId: string | null, actor: string, cause = "cancelled_by_customer"): Promise<void> {
  if (sessionId) {
    try {
      await deps.stripe.checkout.sessions.expire(sessionId);
    } catch (error) {
      // Already paid or already expired: the Stripe event decides; never cancel an order that may be paid.
      deps.logger.warn({ order_id: orderId, err: (error as Error).message }, "could not expire the Checkout Session");
      const current = getOrder(deps.db, orderId);
      if (current?.status !== "awaiting_payment") return;
      throw error;
    }
  }
  transition(deps, { orderId, from: "awaiting_payment", to: "cancelled", cause, actor });
}

/** What became of a banned customer's unpaid orders. */
export interface CancelledOrders {
  cancelled: string[];
  /** Still unpaid: Stripe could not be reached (a payment that arrives anyway is held by the fraud rules). */
  failed: string[];
}

/** Cancels every unpaid order of a customer (a ban): one at a time, each on its own. */
export async function cancelUnpaidOrdersOf(deps: CancelDeps, customerId: number, actor: string): Promise<CancelledOrders> {
  return cancelEach(deps, listCustomerOrdersIn(deps.db, customerId, "awaiting_payment"), actor);
}

/**
 * Unpaid orders of customers banned since they opened them (a dispute's automatic ban, a banned card): cancelled on
 * the timers' beat, since the ban itself is written inside a Stripe event's transaction, where no call may go out.
 */
export async function cancelUnpaidOrdersOfBanned(deps: CancelDeps): Promise<CancelledOrders> {
  return cancelEach(deps, listUnpaidOrdersOfBanned(deps.db), "system");
}

async function cancelEach(deps: CancelDeps, orders: ReadonlyArray<{ id: string; stripeSessionId: string | null }>, actor: string): Promise<CancelledOrders> {
  const result: CancelledOrders = { cancelled: [], failed: [] };
  for (const order of orders) {
    try {
      await cancelUnpaidOrder(deps, order.id, order.stripeSessionId, actor, "cancelled_by_ban");
      if (getOrder(deps.db, order.id)?.status === "cancelled") result.cancelled.push(order.id);
    } catch (error) {
      if (error instanceof StaleTransitionError) continue; // paid (or closed) meanwhile: the fraud rules see a payment
      deps.logger.warn({ order_id: order.id, err: (error as Error).message }, "could not cancel a banned customer's unpaid order");
      result.failed.push(order.id);
    }
  }
  return result;
}
