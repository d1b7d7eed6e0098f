// The supplier step: place the order at the current source (reference = the attempt's reference), or look it
// up, and act on the answer; move to the product's next source only when that is safe (attempts.ts).
// Safe to repeat at any point: after any request may have left, the next attempt asks by reference first.
import { refreshStockAvailability } from "../catalog/stock-availability.js";
import { transition, type OrderRow } from "../orders/state-machine.js";
import { claimSupplierRequest, getOrderState, getOrder, insertDeliveredItems, updateOrderFields } from "../orders/repository.js";
import { resolveHold } from "../orders/hold.js";
import { sendToReview } from "../orders/review.js";
import { NOTHING_CREATED, SupplierError, type SupplierOrder } from "../supplier/types.js";
import { currentAttempt, failOver, hasNextSource, type Attempt } from "./attempts.js";
import { scheduleRetry, type PipelineDeps } from "./pipeline.js";
import { validateCompletedOrder } from "./validate.js";

const ACTOR = "worker";

/** Runs the step due for an order in `paid` or `supplier_pending`. */
export async function runSupplierStep(deps: PipelineDeps, order: OrderRow): Promise<void> {
  // A pending order without a supplier order is one that moved to its next source: it is placed there.
  if (order.status === "paid" || (order.status === "supplier_pending" && order.supplierOrderId === null)) return placeOrLookUp(deps, order);
  if (order.status === "supplier_pending") return poll(deps, order);
}

async function placeOrLookUp(deps: PipelineDeps, order: OrderRow): Promise<void> {
  const attempt = currentAttempt(deps, order);
  if (!attempt.adapter) return unconfigured(deps, order, attempt);
  let answer: SupplierOrder | null = null;
  let phase: "lookup" | "place" = "lookup";
  try {
    if (order.supplierRequestedAt !== null) {
      // An earlier attempt may have created it (timeout, reset, crash): never place it twice.
      answer = await attempt.adapter.findOrder(attempt.request);
      if (!answer && order.attempts >= deps.settings.maxAttempts) {
        // The retries ran out, and the look-up proves no order exists under this attempt's reference.
        const reason = { code: "no_order_after_retries", message: `no order under ${attempt.reference} after ${order.attempts} attempts; last: ${order.lastError ?? "unknown"}` };
        const held = heldNow(deps, order);
        if (held) return void resolveHold(deps, held, "no_supplier_order", ACTOR);
        if (failOver(deps, order, attempt, reason)) return;
        return void sendToReview(deps, order, { cause: "retries_exhausted", reason: `${order.attempts} attempts failed; last: ${order.lastError ?? "unknown"}`, actor: ACTOR });
      }
    }
    if (!answer) {
      // Held (refunded, disputed) with no supplier order: nothing was bought, and nothing will be.
      const held = heldNow(deps, order);
      if (held) return void resolveHold(deps, held, "no_supplier_order", ACTOR);
      phase = "place";
      // The fence: only an order still in this state, unheld and passed by the fraud rules is ordered; one that
      // moved on while this step started is left alone.
      const claim = { supplierName: attempt.source.supplier, supplierReference: attempt.reference };
      if (!claimSupplierRequest(deps.db, order.id, order.status, claim, deps.now())) return;
      answer = await attempt.adapter.placeOrder(attempt.request);
    }
  } catch (error) {
    return handleSupplierError(deps, order, attempt, error, phase);
  }
  applySupplierAnswer(deps, order, answer, attempt);
}

async function poll(deps: PipelineDeps, order: OrderRow): Promise<void> {
  const attempt = currentAttempt(deps, order);
  if (!attempt.adapter) return unconfigured(deps, order, attempt);
  let answer: SupplierOrder | null;
  try {
    answer = await attempt.adapter.findOrder(attempt.request);
  } catch (error) {
    if (error instanceof SupplierError && (error.kind === "retryable" || error.kind === "ambiguous")) {
      return schedulePoll(deps, order, `poll failed: ${error.code}`);
    }
    return handleSupplierError(deps, order, attempt, error, "lookup");
  }
  if (!answer) {
    const held = heldNow(deps, order);
    if (held) return void resolveHold(deps, held, "no_supplier_order", ACTOR);
    return void sendToReview(deps, order, { cause: "supplier_lost_order", reason: `the supplier has no order with our reference ${attempt.reference}`, actor: ACTOR });
  }
  applySupplierAnswer(deps, order, answer, attempt);
}

/** The order's current source names a supplier this shop no longer has configured. */
function unconfigured(deps: PipelineDeps, order: OrderRow, attempt: Attempt): void {
  const message = `the supplier "${attempt.source.supplier}" of source ${attempt.index + 1} is not configured`;
  // Nothing was ever asked of it: the next source is safe. Otherwise an order may exist there: a person looks.
  if (order.supplierRequestedAt === null && failOver(deps, order, attempt, { code: "supplier_not_configured", message })) return;
  return void sendToReview(deps, order, { cause: "supplier_not_configured", reason: message, actor: ACTOR });
}

/** Acts on what the supplier says the order is now (from the POST answer, a lookup or a poll). */
export function applySupplierAnswer(deps: PipelineDeps, order: OrderRow, answer: SupplierOrder, attempt: Attempt = currentAttempt(deps, order)): void {
  if (answer.reference !== attempt.reference) {
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
        detail: { supplier_order_id: answer.order_id, ...sourceDetail(order, attempt) },
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
      const held = heldNow(deps, order);
      if (held) return void resolveHold(deps, held, "supplier_failed", ACTOR, { supplier_order_id: answer.order_id, error: answer.error?.code ?? "unknown" }, { patch: supplierFields });
      // Failed (or refunded) for good at this source: it did not and will not fulfil, so the next one may.
      const code = answer.error?.code ?? "failed";
      if (failOver(deps, order, attempt, { code: `supplier_failed:${code}`, message: `${answer.order_id} ended ${code}` })) return;
      transition(deps, {
        orderId: order.id,
        from: order.status,
        to: "failed",
        cause: "supplier_failed",
        actor: ACTOR,
        detail: { supplier_order_id: answer.order_id, error: answer.error?.code ?? "unknown", ...sourceDetail(order, attempt) },
        patch: { ...supplierFields, lastError: `supplier: ${answer.error?.code ?? "failed"}` },
      });
      return;
    }
    case "completed": {
      const validation = validateCompletedOrder(order.product, order.quantity, answer, attempt.adapter?.skuOf(attempt.request) ?? order.sku);
      if (!validation.ok) {
        return void sendToReview(deps, order, { cause: "supplier_answer_untrusted", reason: validation.reason, actor: ACTOR, patch: supplierFields });
      }
      const now = deps.now();
      const itemSource = attempt.source.supplier === "generic" ? "supplier" : attempt.source.supplier;
      const held = heldNow(deps, order);
      if (held) {
        // The code was bought: kept, encrypted, never sent.
        resolveHold(deps, held, "code_ready", ACTOR, { supplier_order_id: answer.order_id, ...sourceDetail(order, attempt) }, {
          patch: { ...supplierFields, supplierConfirmation: validation.confirmation, fulfilledAt: now },
          also: () => storeItems(deps, order.id, validation.items, itemSource, now),
        });
        if (attempt.source.supplier === "stock") refreshStockAvailability(deps.db, now);
        return;
      }
      transition(deps, {
        orderId: order.id,
        from: order.status,
        to: "fulfilled",
        cause: "supplier_completed",
        actor: ACTOR,
        detail: { supplier_order_id: answer.order_id, items: validation.items.length, ...sourceDetail(order, attempt) },
        patch: { ...supplierFields, supplierConfirmation: validation.confirmation, fulfilledAt: now },
        also: () => storeItems(deps, order.id, validation.items, itemSource, now),
      });
      if (attempt.source.supplier === "stock") refreshStockAvailability(deps.db, now);
      return;
    }
  }
}

/** The order as it is now, when a hold was placed on it (possibly while this step waited on the supplier). */
function heldNow(deps: PipelineDeps, order: OrderRow): OrderRow | undefined {
  // Asked before every supplier order: the hold alone is read, the row only when there is one.
  const hold = getOrderState(deps.db, order.id);
  if (!hold?.holdReason || hold.status !== order.status) return undefined;
  return getOrder(deps.db, order.id);
}

/** Which source answered, in the event log, for products with more than one. */
function sourceDetail(order: OrderRow, attempt: Attempt): Record<string, unknown> {
  return order.product.sources?.length ? { source: attempt.index + 1, via: attempt.label, reference: attempt.reference } : {};
}

/**
 * Seals and stores codes; replaces none that are already there (a replayed answer changes nothing). Called inside
 * the transition's transaction (`also`): the prepared statement runs on the same connection, so in it.
 */
export function storeItems(
  deps: Pick<PipelineDeps, "sealer" | "db">,
  orderId: string,
  items: Array<{ code: string; pin: string | null; serial: string | null; expiresAt: string | null }>,
  source: string,
  now: number,
): void {
  insertDeliveredItems(
    deps.db,
    items.map((item, position) => ({
      orderId,
      position,
      codeEnc: deps.sealer.seal(item.code, orderId),
      pinEnc: item.pin ? deps.sealer.seal(item.pin, orderId) : null,
      serialEnc: item.serial ? deps.sealer.seal(item.serial, orderId) : null,
      expiresAt: item.expiresAt,
      source,
      createdAt: now,
    })),
  );
}

function handleSupplierError(deps: PipelineDeps, order: OrderRow, attempt: Attempt, error: unknown, phase: "lookup" | "place"): void {
  if (!(error instanceof SupplierError)) {
    deps.metrics.stepErrors.inc({ step: "supplier" });
    deps.logger.error({ order_id: order.id, err: error }, "unexpected error in the supplier step");
    return retryOrReview(deps, order, `unexpected: ${(error as Error).message}`);
  }
  deps.logger.warn({ order_id: order.id, supplier: attempt.source.supplier, kind: error.kind, code: error.code, status: error.httpStatus }, "supplier call failed");
  // A refusal of the placement proves nothing was created there: the next source is safe at once. (An error
  // of a look-up proves nothing about the order, so it never moves on.)
  const refusedPlacement = phase === "place" && NOTHING_CREATED.has(error.kind);
  const movedOn = () => refusedPlacement && failOver(deps, order, attempt, { code: error.code, message: error.message });
  switch (error.kind) {
    case "retryable":
    case "ambiguous":
      return retryOrReview(deps, order, `${error.code}: ${error.message}`, error.retryAfterMs);
    case "insufficient_balance": {
      const text = `${order.id}: ${attempt.label} refused for lack of balance`;
      if (movedOn()) {
        deps.alerts.raise({ kind: "insufficient_balance", orderId: order.id, text: `${text}; moved to the next source` });
        return;
      }
      return void sendToReview(deps, order, { cause: "insufficient_balance", reason: error.message, actor: ACTOR, alert: { kind: "insufficient_balance", text } });
    }
    case "rejected":
      if (movedOn()) return;
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
      if (movedOn()) {
        deps.alerts.raise({ kind: "source_refused", orderId: order.id, text: `${order.id}: ${attempt.label} refused (${error.code}: ${error.message}); moved to the next source` });
        return;
      }
      return void sendToReview(deps, order, { cause: `supplier_error:${error.code}`, reason: error.message, actor: ACTOR });
  }
}

function retryOrReview(deps: PipelineDeps, order: OrderRow, lastError: string, retryAfterMs?: number): void {
  const attempt = order.attempts + 1;
  const max = deps.settings.maxAttempts;
  // With another source to go to, a few more runs may look the order up: a look-up that finds nothing is
  // the proof that makes moving on safe (placeOrLookUp).
  const mayProveAbsence = hasNextSource(order) && attempt < 2 * max;
  if (attempt >= max && !mayProveAbsence) {
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
