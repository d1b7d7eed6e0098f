// A refunded order's stock codes go back on the shelf when they never reached the customer: every path that
// makes an order `refunded` (the refund step, a hold resolved, a refund seen in Stripe, a refund by hand) calls this.
import { refreshStockAvailability } from "../catalog/stock-availability.js";
import { recordOrderNote, type OrderRow, type StateMachineDeps } from "./state-machine.js";
import { releaseStock } from "../supplier/stock/store.js";

/** Releases the order's reserved stock codes unless it was ever delivered; returns how many came back. */
export function returnUnusedStock(deps: StateMachineDeps, order: Pick<OrderRow, "id" | "deliveredAt" | "telegramMessageId">): number {
  // Delivered once means the customer saw the codes: they are sold, refund or not.
  if (order.deliveredAt !== null || order.telegramMessageId !== null) return 0;
  const released = releaseStock(deps.db, order.id);
  if (released === 0) return 0;
  recordOrderNote(deps, { orderId: order.id, status: "refunded", cause: "stock_returned", actor: "worker", detail: { codes: released } });
  refreshStockAvailability(deps.db, deps.now());
  deps.logger.info({ order_id: order.id, codes: released }, "unused stock codes returned to stock");
  return released;
}
