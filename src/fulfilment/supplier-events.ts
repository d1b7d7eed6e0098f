// The worker's side of supplier webhooks: each stored event makes its order due now, so the supplier
// step re-fetches it. The event body itself is never trusted for codes or status.
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { orders, supplierEvents } from "../db/schema.js";
import type { PipelineDeps } from "./pipeline.js";

export function processSupplierEvents(deps: Pick<PipelineDeps, "db" | "now" | "logger">, limit = 500): number {
  const rows = deps.db.select().from(supplierEvents).where(isNull(supplierEvents.processedAt)).orderBy(asc(supplierEvents.receivedAt)).limit(limit).all();
  for (const row of rows) {
    const now = deps.now();
    const woken = row.reference
      ? deps.db
          .update(orders)
          .set({ nextAttemptAt: now, updatedAt: now })
          .where(and(eq(orders.id, row.reference), inArray(orders.status, ["paid", "supplier_pending"])))
          .run().changes
      : 0;
    const outcome = woken > 0 ? "order_due" : "ignored";
    deps.db.update(supplierEvents).set({ processedAt: now, outcome }).where(eq(supplierEvents.id, row.id)).run();
  }
  return rows.length;
}
