// Writes columns of an order row guarded by its status, with one prepared UPDATE per set of columns
// written. Only the state machine (for the status) and repository.updateOrderFields (never the status) use it.
import type BetterSqlite3 from "better-sqlite3";
import { getTableColumns } from "drizzle-orm";
import { perDatabase, type Db } from "../db/connection.js";
import { orders, type OrderStatus } from "../db/schema.js";

const COLUMNS = getTableColumns(orders);
const statementsByShape = perDatabase(() => new Map<string, BetterSqlite3.Statement<unknown[]>>());

/** UPDATE orders SET <values> WHERE id = ? AND status = ?; true when the row was in that status. */
export function updateOrderRow(db: Db, values: Record<string, unknown>, orderId: string, status: OrderStatus): boolean {
  const keys = Object.keys(values).filter((key) => values[key] !== undefined && key in COLUMNS);
  const byShape = statementsByShape(db);
  const shape = keys.join(",");
  let statement = byShape.get(shape);
  if (!statement) {
    const assignments = keys.map((key) => `"${COLUMNS[key as keyof typeof COLUMNS].name}" = ?`).join(", ");
    statement = db.$client.prepare<unknown[]>(`UPDATE orders SET ${assignments} WHERE id = ? AND status = ?`);
    byShape.set(shape, statement);
  }
  const params = keys.map((key) => {
    const value = values[key];
    return value === null ? null : (COLUMNS[key as keyof typeof COLUMNS].mapToDriverValue(value) as unknown);
  });
  return statement.run(...params, orderId, status).changes > 0;
}
