// The worker's side of supplier webhooks: each stored event makes its order due now, so the supplier
// step re-fetches it. The event body itself is never trusted for codes or status. The wake-up is also kept in
// orders.woken_at, so a step already in flight for the order does not schedule over it (orders/row-writer.ts).
import { perDatabase } from "../db/connection.js";
import { orderIdOfReference } from "../lib/ids.js";
import type { PipelineDeps } from "./pipeline.js";

export function processSupplierEvents(deps: Pick<PipelineDeps, "db" | "now" | "logger">, limit = 500): number {
  const { unprocessed, wakeOrder, markProcessed } = statements(deps.db);
  const rows = unprocessed.all(limit);
  deps.db.$client.transaction(() => {
    for (const row of rows) {
      const now = deps.now();
      // A reference may carry an attempt suffix (<order id>-2 after a failover): the order is its prefix.
      const woken = row.reference ? wakeOrder.run(now, now, now, orderIdOfReference(row.reference)).changes : 0;
      markProcessed.run(now, woken > 0 ? "order_due" : "ignored", row.id);
    }
  })();
  return rows.length;
}

const statements = perDatabase((db) => ({
    unprocessed: db.$client.prepare<[number], { id: string; reference: string | null }>(
      "SELECT id, reference FROM supplier_events WHERE processed_at IS NULL ORDER BY received_at LIMIT ?",
    ),
    // Only orders still waiting on the supplier; the worker re-fetches the supplier's order.
    wakeOrder: db.$client.prepare<[number, number, number, string]>(
      "UPDATE orders SET next_attempt_at = ?, woken_at = ?, updated_at = ? WHERE id = ? AND status IN ('paid', 'supplier_pending')",
    ),
  markProcessed: db.$client.prepare<[number, string, string]>("UPDATE supplier_events SET processed_at = ?, outcome = ? WHERE id = ?"),
}));
