// The one way an order goes to manual review: the transition (with its reason in the event log and as the
// order's last error), an alert to the ops chat, and a word to the customer that a person is looking.
import type { NotifyCustomer } from "../customers/notify.js";
import type { OrderStatus } from "../db/schema.js";
import type { AlertKind, Alerts } from "../ops/alerts.js";
import { transition, type OrderPatch, type OrderRow, type StateMachineDeps, type Tx } from "./state-machine.js";

export interface ReviewDeps extends StateMachineDeps {
  alerts: Alerts;
  notify: NotifyCustomer;
}

export interface ReviewRequest {
  /** The event log's cause (machine-readable: "retries_exhausted", "payment_mismatch", …). */
  cause: string;
  /** What a person reads in /review, /order and the alert. */
  reason: string;
  actor: string;
  /** The alert's kind (default needs_review) and its line (default "<order>: <reason>"). */
  alert?: { kind: AlertKind; text?: string };
  detail?: Record<string, unknown>;
  patch?: OrderPatch;
  /** More writes that commit with the transition (codes stored while the order goes to review). */
  also?: (tx: Tx) => void;
  /** Tell the customer a person is looking (default); false when they were just told something else. */
  tellCustomer?: boolean;
}

/** Moves the order (in the state the caller saw) to `needs_review`; throws StaleTransitionError when it moved on. */
export function sendToReview(deps: ReviewDeps, order: Pick<OrderRow, "id" | "status" | "customerId" | "chatId" | "amount" | "currency">, request: ReviewRequest): OrderRow {
  const kind = request.alert?.kind ?? "needs_review";
  const moved = transition(deps, {
    orderId: order.id,
    from: order.status as OrderStatus,
    to: "needs_review",
    cause: request.cause,
    actor: request.actor,
    detail: { reason: request.reason, ...request.detail },
    patch: { ...request.patch, lastError: request.reason },
    // The alert commits with the move (the outbox is in the same database): no order in review that ops never hear of.
    also: (tx) => {
      request.also?.(tx);
      deps.alerts.raise({ kind, orderId: order.id, text: request.alert?.text ?? `${order.id}: ${request.reason}` });
    },
  });
  if (request.tellCustomer !== false) deps.notify(moved, "review-customer");
  return moved;
}
