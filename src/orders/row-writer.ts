// Writes columns of an order row guarded by its status, with one prepared UPDATE per set of columns
// written. Only the state machine (for the status) and repository.updateOrderFields (never the status) use it.
// A wake-up (orders.woken_at, set by a supplier webhook) that came while the order's step ran is never pushed
// back by that step's own schedule: a `next_attempt_at` written here is no later than the wake, which it takes.
import type BetterSqlite3 from "better-sqlite3";
import { getTableColumns } from "drizzle-orm";
import { perDatabase, type Db } from "../db/connection.js";
import { orders, type OrderStatus } from "../db/schema.js";

const COLUMNS = getTableColumns(orders);
const statementsByShape = perDatabase(() => new Map<string, BetterSqlite3.Statement<unknown[]>>());

/** UPDATE orders SET <values> WHERE id = ? AND status = ?; true when the row was in that status. */
export function updateOrderRow(db: Db, values: Record<string, unknown>, orderId: string, status: OrderStatus): boolean {
  // One pass over the values: this runs several times per order (profiled in docs/BENCHMARKS.md).
  const keys: string[] = [];
  let takesWake = false;
  let setsWake = false;
  for (const key in values) {
    if (values[key] === undefined || !(key in COLUMNS)) continue;
    keys.push(key);
    if (key === "nextAttemptAt") takesWake = true;
    else if (key === "wokenAt") setsWake = true;
  }
  if (setsWake) takesWake = false;
  const byShape = statementsByShape(db);
  const shape = keys.join(",");
  let statement = byShape.get(shape);
  if (!statement) {
    const assignments = keys.map((key) =>
      key === "nextAttemptAt" && takesWake
        ? `"next_attempt_at" = CASE WHEN ? IS NOT NULL AND "woken_at" IS NOT NULL THEN min(?, "woken_at") ELSE ? END`
        : `"${COLUMNS[key as keyof typeof COLUMNS].name}" = ?`,
    );
    if (takesWake) assignments.push(`"woken_at" = NULL`);
    statement = db.$client.prepare<unknown[]>(`UPDATE orders SET ${assignments.join(", ")} WHERE id = ? AND status = ?`);
    byShape.set(shape, statement);
  }
  const params: unknown[] = [];
  for (const key of keys) {
    const value = values[key];
    const mapped = value === null ? null : (COLUMNS[key as keyof typeof COLUMNS].mapToDriverValue(value) as unknown);
    params.push(mapped);
    if (key === "nextAttemptAt" && takesWake) params.push(mapped, mapped);
  }
  params.push(orderId, status);
  return statement.run(...params).changes > 0;
}
