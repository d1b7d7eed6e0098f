// The supplier step: place the order (reference = our order id), or look it up, and act on the answer.
// Safe to repeat at any point: after any request may have left, the next attempt asks by reference first.
import { deliveredItems, type OrderStatus } from "../db/schema.js";
import { transition, type OrderRow, type Tx } from "../orders/state-machine.js";
import { updateOrderFields } from "../orders/repository.js";
import { SupplierError, type SupplierOrder } from "../supplier/types.js";
import { scheduleRetry, type PipelineDeps } from "./pipeline.js";
import { sendToReview } from "../orders/review.js";
import { validateCompletedOrder } from "./validate.js";

const ACTOR = "worker";

/** Runs the step due for an order in `paid` or `supplier_pending`. */
export async function runSupplierStep(deps: PipelineDeps, order: OrderRow): Promise<void> {
  if (order.status === "paid") return placeOrLookUp(deps, order);
  if (order.status === "supplier_pending") return poll(deps, order);
}

async function placeOrLookUp(deps: PipelineDeps, order: OrderRow): Promise<void> {
  let answer: SupplierOrder | null = null;
  try {
    if (order.supplierRequestedAt !== null) {
      // An earlier attempt may have created it (timeout, reset, crash): never place it twice.
      answer = order.supplierOrderId
        ? await deps.supplier.getOrder(order.supplierOrderId)
        : await deps.supplier.findOrderByReference(order.id);
    }
    if (!answer) {
      updateOrderFields(deps.db, order.id, "paid", { supplierRequestedAt: deps.now() }, deps.now());
      answer = await deps.supplier.placeOrder({ sku: order.sku, quantity: order.quantity, reference: order.id, recipient: order.recipient });
    }
  } catch (error) {
    return handleSupplierError(deps, order, error);
  }
  applySupplierAnswer(deps, order, answer);
}

async function poll(deps: PipelineDeps, order: OrderRow): Promise<void> {
  let answer: SupplierOrder | null;
  try {
    answer = order.supplierOrderId ? await deps.supplier.getOrder(order.supplierOrderId) : await deps.supplier.findOrderByReference(order.id);
  } catch (error) {
    if (error instanceof SupplierError && (error.kind === "retryable" || error.kind === "ambiguous")) {
      return schedulePoll(deps, order, `poll failed: ${error.code}`);
    }
    return handleSupplierError(deps, order, error);
  }
  if (!answer) {
    return void sendToReview(deps, order, { cause: "supplier_lost_order", reason: "the supplier has no order with our reference", actor: ACTOR });
  }
  applySupplierAnswer(deps, order, answer);
}

/** Acts on what the supplier says the order is now (from the POST answer, a lookup or a poll). */
export function applySupplierAnswer(deps: PipelineDeps, order: OrderRow, answer: SupplierOrder): void {
  if (answer.reference !== order.id) {
    return void sendToReview(deps, order, { cause: "supplier_reference_mismatch", reason: `the supplier answered for reference ${answer.reference}`, actor: ACTOR });
  }
  const supplierFields = {
    supplierOrderId: answer.order_id,
    supplierCostAmount: answer.cost?.amount ?? null,
    supplierCostCurrency: answer.cost?.currency ?? null,
  };
  switch (answer.status) {
    case "pending": {
      if (order.status === "supplier_pending") return schedulePoll(deps, order, null, supplierFields);
      const now = deps.now();
      const moved = transition(deps, {
        orderId: order.id,
        from: order.status,
        to: "supplier_pending",
        cause: "supplier_pending",
        actor: ACTOR,
        detail: { supplier_order_id: answer.order_id },
        patch: {
          ...supplierFields,
          supplierPendingUntil: now + deps.settings.pollWindowMs,
          nextAttemptAt: now + deps.settings.pollIntervalMs,
        },
      });
      maybeTellCustomerItIsSlow(deps, moved);
      return;
    }
    case "failed": {
      transition(deps, {
        orderId: order.id,
        from: order.status,
        to: "failed",
        cause: "supplier_failed",
        actor: ACTOR,
        detail: { supplier_order_id: answer.order_id, error: answer.error?.code ?? "unknown" },
        patch: { ...supplierFields, lastError: `supplier: ${answer.error?.code ?? "failed"}` },
      });
      return;
    }
    case "completed": {
      const validation = validateCompletedOrder(order.product, order.quantity, answer, order.sku);
      if (!validation.ok) {
        return void sendToReview(deps, order, { cause: "supplier_answer_untrusted", reason: validation.reason, actor: ACTOR, patch: supplierFields });
      }
      const now = deps.now();
      transition(deps, {
        orderId: order.id,
        from: order.status,
        to: "fulfilled",
        cause: "supplier_completed",
        actor: ACTOR,
        detail: { supplier_order_id: answer.order_id, items: validation.items.length },
        patch: { ...supplierFields, supplierConfirmation: validation.confirmation, fulfilledAt: now },
        also: (tx) => storeItems(deps, tx, order.id, validation.items, "supplier", now),
      });
      return;
    }
  }
}

/** Seals and stores codes; replaces none that are already there (a replayed answer changes nothing). */
export function storeItems(
  deps: Pick<PipelineDeps, "sealer">,
  tx: Tx,
  orderId: string,
  items: Array<{ code: string; pin: string | null; serial: string | null; expiresAt: string | null }>,
  source: string,
  now: number,
): void {
  items.forEach((item, position) => {
    tx.insert(deliveredItems)
      .values({
        orderId,
        position,
        codeEnc: deps.sealer.seal(item.code, orderId),
        pinEnc: item.pin ? deps.sealer.seal(item.pin, orderId) : null,
        serialEnc: item.serial ? deps.sealer.seal(item.serial, orderId) : null,
        expiresAt: item.expiresAt,
        source,
        createdAt: now,
      })
      .onConflictDoNothing()
      .run();
  });
}

function handleSupplierError(deps: PipelineDeps, order: OrderRow, error: unknown): void {
  if (!(error instanceof SupplierError)) {
    deps.metrics.stepErrors.inc({ step: "supplier" });
    deps.logger.error({ order_id: order.id, err: error }, "unexpected error in the supplier step");
    return retryOrReview(deps, order, `unexpected: ${(error as Error).message}`);
  }
  deps.logger.warn({ order_id: order.id, kind: error.kind, code: error.code, status: error.httpStatus }, "supplier call failed");
  switch (error.kind) {
    case "retryable":
    case "ambiguous":
      return retryOrReview(deps, order, `${error.code}: ${error.message}`, error.retryAfterMs);
    case "insufficient_balance":
      return void sendToReview(deps, order, {
        cause: "insufficient_balance",
        reason: error.message,
        actor: ACTOR,
        alert: { kind: "insufficient_balance", text: `${order.id}: the supplier refused for lack of balance` },
      });
    case "rejected":
      transition(deps, {
        orderId: order.id,
        from: order.status,
        to: "failed",
        cause: `supplier_rejected:${error.code}`,
        actor: ACTOR,
        detail: { code: error.code, message: error.message },
        patch: { lastError: `supplier: ${error.code}` },
      });
      return;
    case "fatal":
      return void sendToReview(deps, order, { cause: `supplier_error:${error.code}`, reason: error.message, actor: ACTOR });
  }
}

function retryOrReview(deps: PipelineDeps, order: OrderRow, lastError: string, retryAfterMs?: number): void {
  const attempt = order.attempts + 1;
  if (attempt >= deps.settings.maxAttempts) {
    return void sendToReview(deps, order, { cause: "retries_exhausted", reason: `${attempt} attempts failed; last: ${lastError}`, actor: ACTOR });
  }
  scheduleRetry(deps, order, "supplier", lastError, retryAfterMs);
  maybeTellCustomerItIsSlow(deps, order);
}

function schedulePoll(deps: PipelineDeps, order: OrderRow, lastError: string | null, extra: Partial<OrderRow> = {}): void {
  const now = deps.now();
  if (order.supplierPendingUntil !== null && now >= order.supplierPendingUntil) {
    const window = deps.settings.pollWindowMs;
    const span = window >= 60_000 ? `${Math.round(window / 60_000)} minutes` : `${Math.round(window / 1000)} seconds`;
    return void sendToReview(deps, order, { cause: "supplier_pending_too_long", reason: `still pending after ${span} of polling`, actor: ACTOR });
  }
  const next = Math.min(now + deps.settings.pollIntervalMs, order.supplierPendingUntil ?? Infinity);
  updateOrderFields(deps.db, order.id, "supplier_pending", { ...extra, attempts: order.attempts + 1, lastError, nextAttemptAt: next }, now);
}

function maybeTellCustomerItIsSlow(deps: PipelineDeps, order: OrderRow): void {
  if (order.slowNoticeAt !== null) return;
  const now = deps.now();
  if (order.status !== "supplier_pending" && now - (order.paidAt ?? now) < deps.settings.slowNoticeMs) return;
  updateOrderFields(deps.db, order.id, order.status, { slowNoticeAt: now }, now);
  deps.notify(order, "supplier-slow");
}
