// Per-product routing: which source an order's current attempt uses, the request its adapter gets, and the
// safe failover to the next source. The order row keeps the source index and the attempt's reference, so a
// restart continues the same attempt and a look-up always asks with that attempt's reference.
import { attemptReference } from "../lib/ids.js";
import { recordOrderNote, type OrderRow } from "../orders/state-machine.js";
import { describeSource, sourcesOf, type ProductSource } from "../supplier/sources.js";
import type { AttemptLookup, SupplierAdapter } from "../supplier/types.js";
import type { PipelineDeps } from "./pipeline.js";

const ACTOR = "worker";

export interface Attempt {
  index: number;
  source: ProductSource;
  /** Undefined when the source's supplier is not configured (the catalog changed since the order was made). */
  adapter: SupplierAdapter | undefined;
  reference: string;
  request: AttemptLookup;
  /** "reloadly product 5 · 25": for the event log, /order and the logs. */
  label: string;
}

export function currentAttempt(deps: Pick<PipelineDeps, "suppliers">, order: OrderRow): Attempt {
  const sources = sourcesOf(order.product);
  const index = Math.min(order.sourceIndex, sources.length - 1);
  const source = sources[index]!;
  const reference = order.supplierReference ?? attemptReference(order.id, index);
  return {
    index,
    source,
    adapter: deps.suppliers.get(source.supplier),
    reference,
    label: describeSource(source, order.sku),
    request: {
      reference,
      orderId: order.id,
      sku: order.sku,
      kind: order.product.kind,
      quantity: order.quantity,
      recipient: order.recipient,
      source,
      supplierOrderId: order.supplierOrderId,
    },
  };
}

export function hasNextSource(order: OrderRow): boolean {
  return order.sourceIndex + 1 < sourcesOf(order.product).length;
}

/**
 * Moves the order to its next source, when it has one: the new attempt starts from scratch (its own reference,
 * nothing requested yet) and the event log says which source was left and why. The caller has established that
 * the current source did not and will not fulfil. Returns false when there is no next source.
 */
export function failOver(deps: PipelineDeps, order: OrderRow, attempt: Attempt, reason: { code: string; message: string }): boolean {
  if (!hasNextSource(order)) return false;
  const nextIndex = order.sourceIndex + 1;
  const next = sourcesOf(order.product)[nextIndex]!;
  const now = deps.now();
  const patch = {
    sourceIndex: nextIndex,
    supplierName: null,
    supplierReference: attemptReference(order.id, nextIndex),
    supplierRequestedAt: null,
    supplierOrderId: null,
    supplierPendingUntil: null,
    supplierCostAmount: null,
    supplierCostCurrency: null,
    attempts: 0,
    lastError: `${attempt.source.supplier}: ${reason.code}`,
    nextAttemptAt: now,
  };
  const detail = {
    from_source: attempt.index + 1,
    from: attempt.label,
    from_reference: attempt.reference,
    reason: reason.code,
    message: reason.message,
    to_source: nextIndex + 1,
    to: describeSource(next, order.sku),
    to_reference: patch.supplierReference,
  };
  // The status stays (`paid`, or `supplier_pending` when the supplier's order ended failed): the state machine
  // never moves an order backwards. The worker places a `supplier_pending` order whose attempt has no supplier
  // order yet (supplier-step.ts), with a fresh polling window for the new source.
  recordOrderNote(deps, {
    orderId: order.id,
    status: order.status,
    cause: `failover:${reason.code}`,
    actor: ACTOR,
    detail,
    patch: order.status === "supplier_pending" ? { ...patch, supplierPendingUntil: now + deps.settings.pollWindowMs } : patch,
  });
  deps.metrics.failovers.inc({ supplier: attempt.source.supplier, reason: reason.code });
  deps.logger.warn({ order_id: order.id, from: attempt.label, to: detail.to, reason: reason.code }, "moved to the next source");
  return true;
}
