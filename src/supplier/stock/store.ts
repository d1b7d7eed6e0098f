// The shop's own code stock in SQLite: import (encrypted, deduplicated by a keyed fingerprint, expired codes
// refused), reservation for one attempt in one transaction (each code sold exactly once), release of a refunded
// order's unused codes, and counts per pool. No plain code is stored or logged.
import type { Db } from "../../db/connection.js";
import { perDatabase } from "../../db/connection.js";
import type { Sealer } from "../../lib/crypto.js";
import { utcDay, type ParsedStockFile, type StockEntry } from "./parse.js";

export interface StockDeps {
  db: Db;
  sealer: Sealer;
  /** createCodeFingerprinter(CODE_ENCRYPTION_KEY). */
  fingerprint: (code: string) => string;
  now: () => number;
}

export interface ImportReport {
  pool: string;
  added: number;
  /** Already in stock or sold before, or twice in the file. */
  duplicates: number;
  /** Past their expiry date: never stocked. */
  expired: number;
  invalid: number;
  invalidLines: number[];
}

export interface StockCounts {
  pool: string;
  available: number;
  /** Reserved for an order (sold once the order is delivered). */
  sold: number;
  /** Never sold, now past their date. */
  expired: number;
}

/** The context a stock code is sealed under: a ciphertext moved to another row does not open. */
function sealContext(fingerprint: string): string {
  return `stock:${fingerprint}`;
}

interface CodeRow {
  id: number;
  code_enc: string;
  pin_enc: string | null;
  expires_on: string | null;
  fingerprint: string;
}

const statements = perDatabase((db: Db) => ({
  insert: db.$client.prepare<[string, string, string | null, string | null, string, number]>(
    `INSERT INTO stock_codes (pool, code_enc, pin_enc, expires_on, fingerprint, imported_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(fingerprint) DO NOTHING`,
  ),
  reservedFor: db.$client.prepare<[string], CodeRow>("SELECT id, code_enc, pin_enc, expires_on, fingerprint FROM stock_codes WHERE reserved_for = ? ORDER BY id"),
  // Soonest expiry first, so that nothing goes stale while newer codes sell.
  available: db.$client.prepare<[string, string, number], CodeRow>(
    `SELECT id, code_enc, pin_enc, expires_on, fingerprint FROM stock_codes
     WHERE pool = ? AND reserved_for IS NULL AND (expires_on IS NULL OR expires_on >= ?)
     ORDER BY expires_on IS NULL, expires_on, id LIMIT ?`,
  ),
  reserve: db.$client.prepare<[string, string, number, number]>(
    "UPDATE stock_codes SET reserved_for = ?, order_id = ?, reserved_at = ? WHERE id = ? AND reserved_for IS NULL",
  ),
  release: db.$client.prepare<[string]>("UPDATE stock_codes SET reserved_for = NULL, order_id = NULL, reserved_at = NULL WHERE order_id = ?"),
  countAvailable: db.$client.prepare<[string, string], { n: number }>(
    "SELECT count(*) AS n FROM stock_codes WHERE pool = ? AND reserved_for IS NULL AND (expires_on IS NULL OR expires_on >= ?)",
  ),
  counts: db.$client.prepare<[string, string], StockCounts>(
    `SELECT pool,
            sum(CASE WHEN reserved_for IS NULL AND (expires_on IS NULL OR expires_on >= ?) THEN 1 ELSE 0 END) AS available,
            sum(CASE WHEN reserved_for IS NOT NULL THEN 1 ELSE 0 END) AS sold,
            sum(CASE WHEN reserved_for IS NULL AND expires_on < ? THEN 1 ELSE 0 END) AS expired
     FROM stock_codes GROUP BY pool ORDER BY pool`,
  ),
}));

/** Adds a file's codes to a pool in one transaction; duplicates and expired codes are counted, not added. */
export function importStock(deps: StockDeps, pool: string, file: ParsedStockFile): ImportReport {
  const today = utcDay(deps.now());
  const report: ImportReport = { pool, added: 0, duplicates: 0, expired: 0, invalid: file.invalidLines.length, invalidLines: file.invalidLines };
  const { insert } = statements(deps.db);
  deps.db.$client
    .transaction((entries: StockEntry[]) => {
      for (const entry of entries) {
        if (entry.expiresOn !== null && entry.expiresOn < today) {
          report.expired += 1;
          continue;
        }
        const fingerprint = deps.fingerprint(entry.code);
        const context = sealContext(fingerprint);
        const pin = entry.pin === null ? null : deps.sealer.seal(entry.pin, context);
        const changes = insert.run(pool, deps.sealer.seal(entry.code, context), pin, entry.expiresOn, fingerprint, deps.now()).changes;
        if (changes > 0) report.added += 1;
        else report.duplicates += 1;
      }
    })
    .immediate(file.entries);
  return report;
}

export interface ReservedCode {
  code: string;
  pin: string | null;
  expiresOn: string | null;
}

function open(deps: StockDeps, rows: CodeRow[]): ReservedCode[] {
  return rows.map((row) => {
    const context = sealContext(row.fingerprint);
    return { code: deps.sealer.open(row.code_enc, context), pin: row.pin_enc ? deps.sealer.open(row.pin_enc, context) : null, expiresOn: row.expires_on };
  });
}

/**
 * Reserves `quantity` codes of a pool for one attempt, in one immediate transaction: all of them or none.
 * Asked again for the same reference it returns the codes already reserved (a restart, a replay); null when the
 * pool has too few unexpired codes.
 */
export function reserveStock(deps: StockDeps, request: { pool: string; reference: string; orderId: string; quantity: number }): ReservedCode[] | null {
  const s = statements(deps.db);
  const rows = deps.db.$client
    .transaction((): CodeRow[] | null => {
      const already = s.reservedFor.all(request.reference);
      if (already.length > 0) return already;
      const candidates = s.available.all(request.pool, utcDay(deps.now()), request.quantity);
      if (candidates.length < request.quantity) return null;
      const at = deps.now();
      for (const row of candidates) {
        // Inside an immediate transaction nobody else writes; the guard keeps "sold once" true even so.
        if (s.reserve.run(request.reference, request.orderId, at, row.id).changes !== 1) throw new Error("stock code taken while reserving");
      }
      return candidates;
    })
    .immediate();
  return rows === null ? null : open(deps, rows);
}

/** The codes reserved for an attempt's reference (empty when none). */
export function findReserved(deps: StockDeps, reference: string): ReservedCode[] {
  return open(deps, statements(deps.db).reservedFor.all(reference));
}

/** Puts an order's reserved codes back in stock; the caller knows they never reached the customer. */
export function releaseStock(db: Db, orderId: string): number {
  return statements(db).release.run(orderId).changes;
}

export function availableStock(db: Db, pool: string, nowMs: number): number {
  return statements(db).countAvailable.get(pool, utcDay(nowMs))?.n ?? 0;
}

/** Counts per pool, for /stock and the low-stock alert. */
export function stockCounts(db: Db, nowMs: number): StockCounts[] {
  const today = utcDay(nowMs);
  return statements(db).counts.all(today, today);
}
