// Retrying many orders in review at once: "Retry all" (an admin, after "Are you sure?") and the shop's own retry of
// the orders held for the supplier's balance once a top-up is seen. Only causes a retry may fix are taken
// (orders/review-queue.ts); each order goes through the same checks as a single retry (a fraud hold, a Stars charge
// refunded meanwhile), and one refused does not stop the others.
import { listRetryableInReview } from "../orders/review-queue.js";
import { retryInReview, type AdminDeps } from "./admin-actions.js";

export interface BulkRetryResult {
  retried: string[];
  refused: Array<{ id: string; message: string }>;
}

/** Retries the given orders (those still in review), one by one. */
export async function retryOrders(deps: AdminDeps, orderIds: readonly string[], by: { cause: string; actor: string }): Promise<BulkRetryResult> {
  const result: BulkRetryResult = { retried: [], refused: [] };
  for (const id of orderIds) {
    try {
      const outcome = await retryInReview(deps, id, by);
      if (outcome.ok) result.retried.push(id);
      else result.refused.push({ id, message: outcome.message });
    } catch (error) {
      // Moved on meanwhile (a stale transition): nothing to retry.
      result.refused.push({ id, message: (error as Error).message });
    }
  }
  return result;
}

/**
 * The supplier's balance was topped up: orders that went to review for lack of balance at that supplier are retried,
 * once for this top-up (if the balance still does not cover one, it goes back to review and waits for the next).
 */
export async function retryHeldForBalance(deps: AdminDeps, supplier: string): Promise<BulkRetryResult> {
  const held = listRetryableInReview(deps.pipeline.db, ["insufficient_balance"]).filter((order) => (order.supplierName ?? "generic") === supplier);
  if (held.length === 0) return { retried: [], refused: [] };
  const result = await retryOrders(deps, held.map((order) => order.id), { cause: "auto_retry_balance", actor: "system" });
  deps.pipeline.logger.info({ supplier, retried: result.retried.length, refused: result.refused.length }, "orders held for the supplier's balance retried after a top-up");
  return result;
}
