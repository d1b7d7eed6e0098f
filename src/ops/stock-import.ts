// Importing codes the operator bought in bulk, shared by the ops-chat upload (`/stock add <sku>` on a file)
// and `npm run stock -- add <sku> <file>`: read, import, refresh what is for sale, and a report that names
// counts and line numbers but never a code.
import { refreshStockAvailability, stockPoolsInUse } from "../catalog/stock-availability.js";
import { MAX_STOCK_FILE_BYTES, parseStockFile } from "../supplier/stock/parse.js";
import { availableStock, importStock, stockCounts, type ImportReport, type StockDeps } from "../supplier/stock/store.js";

export const STOCK_POOL_PATTERN = /^[a-z0-9][a-z0-9._-]{1,63}$/i;

export interface StockImportResult extends ImportReport {
  /** Unexpired codes in the pool after the import. */
  available: number;
  /** Products that sell from this pool (none: the codes wait until a product lists it as a source). */
  usedBy: string[];
}

export class StockImportError extends Error {
  override readonly name = "StockImportError";
}

/** Imports a .csv or .txt file's codes into a pool; throws a StockImportError a person can act on. */
export function importStockFile(deps: StockDeps, pool: string, fileName: string, content: Buffer | string): StockImportResult {
  if (!STOCK_POOL_PATTERN.test(pool)) throw new StockImportError(`"${pool}" is not a valid sku: 2–64 letters, digits, dots, dashes or underscores`);
  if (!/\.(csv|txt)$/i.test(fileName)) throw new StockImportError("send the codes as a .csv or .txt file, one code per line (code;pin;expires)");
  const size = typeof content === "string" ? Buffer.byteLength(content) : content.length;
  if (size > MAX_STOCK_FILE_BYTES) throw new StockImportError(`the file is larger than ${MAX_STOCK_FILE_BYTES / 1024 / 1024} MB; split it`);
  const text = typeof content === "string" ? content : content.toString("utf8");
  const parsed = parseStockFile(text);
  if (parsed.entries.length === 0 && parsed.invalidLines.length === 0) throw new StockImportError("the file holds no codes");
  const report = importStock(deps, pool, parsed);
  refreshStockAvailability(deps.db, deps.now());
  return { ...report, available: availableStock(deps.db, pool, deps.now()), usedBy: stockPoolsInUse(deps.db).get(pool) ?? [] };
}

/** One plain-text report line per fact: what was added, what was refused and why. */
export function describeImport(result: StockImportResult): string[] {
  const lines = [`Stock of ${result.pool}: ${result.added} code(s) added; ${result.available} available now.`];
  if (result.duplicates > 0) lines.push(`${result.duplicates} duplicate(s) rejected (already in stock, sold before, or twice in the file).`);
  if (result.expired > 0) lines.push(`${result.expired} expired code(s) rejected.`);
  if (result.invalid > 0) {
    const shown = result.invalidLines.slice(0, 20).join(", ");
    lines.push(`${result.invalid} unreadable line(s): ${shown}${result.invalidLines.length > 20 ? ", …" : ""} (expected code;pin;YYYY-MM-DD).`);
  }
  if (result.usedBy.length === 0) lines.push(`No enabled product sells from "${result.pool}" yet: add { "supplier": "stock" } to its sources in the catalog.`);
  return lines;
}

/** Counts per pool for /stock and `npm run stock -- list`, including pools in use that are empty. */
export function describeStock(deps: Pick<StockDeps, "db" | "now">, threshold: number): string[] {
  const counts = new Map(stockCounts(deps.db, deps.now()).map((row) => [row.pool, row]));
  const inUse = stockPoolsInUse(deps.db);
  const pools = [...new Set([...inUse.keys(), ...counts.keys()])].sort();
  if (pools.length === 0) return ["No stock yet. Send a .csv or .txt file with the caption /stock add <sku>."];
  return pools.map((pool) => {
    const row = counts.get(pool) ?? { available: 0, sold: 0, expired: 0 };
    const low = threshold > 0 && row.available < threshold && inUse.has(pool) ? " ⚠️ low" : "";
    const users = inUse.get(pool);
    return `${pool}: ${row.available} available${low} · ${row.sold} sold · ${row.expired} expired${users ? "" : " · no product uses it"}`;
  });
}
