// The watchers behind the business's alert thresholds, checked on an interval:
// supplier response time over 3 s on average; order failure rate over 2 % in the last 30 minutes;
// each supplier balance (per account and currency) under 20 % of a typical day's spend there; orders paid and
// undelivered for 10 minutes; any webhook that failed to verify or to process in the last hour; a stock pool
// of the shop's own codes running low. A balance that went up (a top-up) retries the orders held for it.
import { and, eq, inArray, isNotNull, lte } from "drizzle-orm";
import { refreshStockAvailability, stockPoolsInUse } from "../catalog/stock-availability.js";
import type { Db } from "../db/connection.js";
import { orderEvents, orders, shopState } from "../db/schema.js";
import { formatMoney } from "../lib/money.js";
import type { Logger } from "../logger.js";
import { stockCounts } from "../supplier/stock/store.js";
import type { SupplierBalance, SupplierRegistry } from "../supplier/types.js";
import type { Alerts } from "./alerts.js";

export interface MonitorSettings {
  slowSupplierAvgMs: number;
  slowSupplierWindowMs: number;
  /** A few slow calls in a quiet hour are not an outage. */
  slowSupplierMinSamples: number;
  failureRate: number;
  failureWindowMs: number;
  stuckAfterMs: number;
  lowBalanceShare: number;
  /** A typical day's supplier spend in minor units, when set (for every account); otherwise the average over the last 7 days' days with sales. */
  dailySpendOverride: number | undefined;
  webhookWindowMs: number;
  /** A stock pool with fewer unexpired codes than this raises the low-stock alert (0 = never). */
  stockLowThreshold: number;
}

export const DEFAULT_MONITOR_SETTINGS: MonitorSettings = {
  slowSupplierAvgMs: 3_000,
  slowSupplierWindowMs: 5 * 60_000,
  slowSupplierMinSamples: 3,
  failureRate: 0.02,
  failureWindowMs: 30 * 60_000,
  stuckAfterMs: 10 * 60_000,
  lowBalanceShare: 0.2,
  dailySpendOverride: undefined,
  webhookWindowMs: 60 * 60_000,
  stockLowThreshold: 5,
};

export interface Monitors {
  /** Feed of supplier response times (from the HTTP client). */
  observeSupplierCall(durationMs: number): void;
  /** A webhook that failed to verify or to process. */
  observeWebhookFailure(source: "stripe" | "supplier", reason: string): void;
  /** Runs every check once; returns what each found (for tests and /stats). */
  check(): Promise<MonitorReport>;
}

export interface MonitorReport {
  supplierAvgMs: number | undefined;
  failureRate: { failed: number; finished: number; rate: number };
  stuckOrderIds: string[];
  /** Each supplier account's balance with its typical day's spend in that currency. */
  balances: Array<SupplierBalance & { dailySpend: number | undefined }>;
  webhookFailures: number;
  /** Stock pools in use with fewer codes than the threshold. */
  lowStock: Array<{ pool: string; available: number }>;
}

const DAY_MS = 86_400_000;

/** An order event that is a failure on the supplier's side (SQL over order_events). */
const SUPPLIER_FAILURE = `(to_status = 'failed' OR (to_status = 'needs_review' AND (cause IN ('retries_exhausted', 'insufficient_balance') OR cause LIKE 'supplier%')))`;

/** Supplier response times as they happen: the supplier client writes here, the slow-supplier check reads. */
export interface SupplierCallLog {
  record(durationMs: number): void;
  readonly calls: Array<{ at: number; ms: number }>;
}

export function createSupplierCallLog(now: () => number): SupplierCallLog {
  const calls: Array<{ at: number; ms: number }> = [];
  return {
    calls,
    record(durationMs) {
      calls.push({ at: now(), ms: durationMs });
      if (calls.length > 10_000) calls.shift();
    },
  };
}

export interface MonitorDeps {
  db: Db;
  suppliers: SupplierRegistry;
  alerts: Alerts;
  logger: Logger;
  now: () => number;
  /** Where the supplier client records its response times (a log of the monitors' own when not given). */
  supplierCalls?: SupplierCallLog;
  /**
   * A supplier's balance went up since the last check (a top-up), or is no longer low: retries the orders held for
   * its balance and says how many (fulfilment/bulk-retry.ts, passed in by the composition root).
   */
  onBalanceTopUp?: (supplier: string) => Promise<number>;
  settings?: Partial<MonitorSettings>;
}

/** The last balance reading of an account in a currency (shop_state), and whether it was low then. */
function balanceKey(balance: SupplierBalance): string {
  return `balance:${balance.account}:${balance.currency}`;
}

function readBalance(db: Db, balance: SupplierBalance): { amount: number; low: boolean } | undefined {
  const row = db.select({ value: shopState.value }).from(shopState).where(eq(shopState.key, balanceKey(balance))).get();
  if (!row) return undefined;
  try {
    const parsed = JSON.parse(row.value) as { amount?: unknown; low?: unknown };
    return typeof parsed.amount === "number" ? { amount: parsed.amount, low: parsed.low === true } : undefined;
  } catch {
    return undefined;
  }
}

function writeBalance(db: Db, balance: SupplierBalance, low: boolean, now: number): void {
  const value = JSON.stringify({ amount: balance.amount, low });
  db.insert(shopState).values({ key: balanceKey(balance), value, updatedAt: now }).onConflictDoUpdate({ target: shopState.key, set: { value, updatedAt: now } }).run();
}

export function createMonitors(deps: MonitorDeps): Monitors {
  const settings = { ...DEFAULT_MONITOR_SETTINGS, ...deps.settings };
  const callLog = deps.supplierCalls ?? createSupplierCallLog(deps.now);
  const supplierCalls = callLog.calls;
  const webhookFailures: Array<{ at: number; source: string; reason: string }> = [];
  const queries = {
    failureRate: deps.db.$client.prepare<[number], { failed: number; finished: number }>(
      `SELECT count(DISTINCT CASE WHEN ${SUPPLIER_FAILURE} THEN order_id END) AS failed, count(DISTINCT order_id) AS finished
       FROM order_events
       WHERE at >= ? AND from_status IS NOT to_status AND (to_status = 'fulfilled' OR ${SUPPLIER_FAILURE})`,
    ),
    // Orders from before per-source routing have no supplier name: they were the generic supplier's.
    spend: deps.db.$client.prepare<[number, string, string], { total: number | null; days: number }>(
      `SELECT sum(supplier_cost_amount) AS total, count(DISTINCT fulfilled_at / ${DAY_MS}) AS days
       FROM orders WHERE fulfilled_at >= ? AND coalesce(supplier_name, 'generic') = ? AND supplier_cost_currency = ? AND supplier_cost_amount IS NOT NULL`,
    ),
  };

  function prune(list: Array<{ at: number }>, windowMs: number): void {
    const cutoff = deps.now() - windowMs;
    while (list.length > 0 && list[0]!.at < cutoff) list.shift();
  }

  function supplierAverage(): number | undefined {
    prune(supplierCalls, settings.slowSupplierWindowMs);
    if (supplierCalls.length === 0) return undefined;
    return supplierCalls.reduce((sum, call) => sum + call.ms, 0) / supplierCalls.length;
  }

  /**
   * Orders the supplier finished with in the window, each counted once, and how many of them failed there (a
   * supplier failure, or review for a supplier-side cause). Money that did not match its order is not a supplier failure.
   */
  function failureRate(): MonitorReport["failureRate"] {
    const since = deps.now() - settings.failureWindowMs;
    const row = queries.failureRate.get(since)!;
    return { failed: row.failed, finished: row.finished, rate: row.finished === 0 ? 0 : row.failed / row.finished };
  }

  function stuckOrders(): string[] {
    const cutoff = deps.now() - settings.stuckAfterMs;
    return deps.db
      .select({ id: orders.id })
      .from(orders)
      .where(and(inArray(orders.status, ["paid", "supplier_pending", "fulfilled"]), isNotNull(orders.paidAt), lte(orders.paidAt, cutoff)))
      .all()
      .map((row) => row.id);
  }

  /**
   * A typical day's spend at one supplier account in one currency: the configured figure, or what that supplier
   * charged in the last 7 days divided by the days among them with sales (a shop two days old is not averaged
   * over seven).
   */
  function dailySpend(account: string, currency: string): number | undefined {
    if (settings.dailySpendOverride !== undefined) return settings.dailySpendOverride;
    const row = queries.spend.get(deps.now() - 7 * DAY_MS, account, currency);
    return row?.total ? row.total / Math.max(1, row.days) : undefined;
  }

  async function checkBalances(): Promise<MonitorReport["balances"]> {
    const report: MonitorReport["balances"] = [];
    for (const adapter of deps.suppliers.values()) {
      let balances: SupplierBalance[];
      try {
        balances = await adapter.getBalances();
      } catch (error) {
        deps.logger.warn({ err: error, supplier: adapter.name }, "could not read the supplier balance");
        continue;
      }
      const recovered: string[] = [];
      let toppedUp = false;
      for (const balance of balances) {
        const spend = dailySpend(balance.account, balance.currency);
        report.push({ ...balance, dailySpend: spend });
        const low = spend !== undefined && balance.amount < spend * settings.lowBalanceShare;
        if (low) {
          deps.alerts.raise({
            kind: "low_balance",
            subject: `${adapter.name}:${balance.account}:${balance.currency}`,
            text: `${balance.account}: balance ${formatMoney(balance)} is under ${settings.lowBalanceShare * 100} % of a typical day's spend (${formatMoney({ amount: Math.round(spend), currency: balance.currency })})`,
          });
        }
        // The last reading is kept in the database: a top-up made while the shop was down is seen after the restart.
        const previous = readBalance(deps.db, balance);
        writeBalance(deps.db, balance, low, deps.now());
        if (previous && balance.amount > previous.amount) toppedUp = true;
        if (previous?.low && !low) recovered.push(`${balance.account}: balance back to ${formatMoney(balance)}`);
      }
      if (!toppedUp && recovered.length === 0) continue;
      let retried = 0;
      try {
        retried = (await deps.onBalanceTopUp?.(adapter.name)) ?? 0;
      } catch (error) {
        deps.logger.error({ err: error, supplier: adapter.name }, "retrying the orders held for the supplier's balance failed");
      }
      // News when the balance is no longer low, or when orders waiting for it were sent again.
      if (recovered.length > 0 || retried > 0) {
        const retriedLine = retried > 0 ? `${retried} order(s) held for lack of balance retried automatically` : "no order was waiting for it";
        deps.alerts.raise({ kind: "balance_recovered", text: `${recovered.length > 0 ? recovered.join("; ") : `${adapter.name}: balance topped up`}; ${retriedLine}` });
      }
    }
    return report;
  }

  /** Stock pools that enabled products sell from, below the threshold (expired codes no longer count). */
  function checkStock(): MonitorReport["lowStock"] {
    const now = deps.now();
    refreshStockAvailability(deps.db, now);
    if (settings.stockLowThreshold <= 0) return [];
    const inUse = stockPoolsInUse(deps.db);
    if (inUse.size === 0) return [];
    const available = new Map(stockCounts(deps.db, now).map((row) => [row.pool, row.available]));
    const low = [...inUse.keys()].map((pool) => ({ pool, available: available.get(pool) ?? 0 })).filter((row) => row.available < settings.stockLowThreshold);
    for (const row of low) {
      deps.alerts.raise({ kind: "low_stock", subject: row.pool, text: `${row.pool}: ${row.available} code(s) left (threshold ${settings.stockLowThreshold}; used by ${inUse.get(row.pool)!.join(", ")})` });
    }
    return low;
  }

  return {
    observeSupplierCall(durationMs) {
      callLog.record(durationMs);
    },
    observeWebhookFailure(source, reason) {
      webhookFailures.push({ at: deps.now(), source, reason });
      if (webhookFailures.length > 1_000) webhookFailures.shift();
    },
    async check() {
      const average = supplierAverage();
      if (average !== undefined && average > settings.slowSupplierAvgMs && supplierCalls.length >= settings.slowSupplierMinSamples) {
        deps.alerts.raise({ kind: "slow_supplier", text: `average response ${(average / 1000).toFixed(1)} s over the last ${supplierCalls.length} calls (threshold ${settings.slowSupplierAvgMs / 1000} s)` });
      }
      const rate = failureRate();
      if (rate.failed > 0 && rate.rate > settings.failureRate) {
        deps.alerts.raise({ kind: "failure_rate", text: `${rate.failed} of ${rate.finished} orders failed at the supplier in the last ${settings.failureWindowMs / 60_000} minutes (${(rate.rate * 100).toFixed(1)} %, threshold ${settings.failureRate * 100} %)` });
      }
      const stuck = stuckOrders();
      for (const id of stuck) deps.alerts.raise({ kind: "stuck_orders", orderId: id, text: `paid and undelivered for over ${settings.stuckAfterMs / 60_000} minutes` });

      const balances = await checkBalances();
      const lowStock = checkStock();
      prune(webhookFailures, settings.webhookWindowMs);
      if (webhookFailures.length > 0) {
        const bySource = new Map<string, number>();
        for (const failure of webhookFailures) bySource.set(failure.source, (bySource.get(failure.source) ?? 0) + 1);
        const summary = [...bySource].map(([source, n]) => `${n} ${source}`).join(", ");
        deps.alerts.raise({ kind: "webhook_failures", text: `${summary} webhook(s) failed in the last hour; last: ${webhookFailures.at(-1)!.reason}` });
        webhookFailures.length = 0; // reported; the next alert needs new failures
      }
      return { supplierAvgMs: average, failureRate: rate, stuckOrderIds: stuck, balances, webhookFailures: webhookFailures.length, lowStock };
    },
  };
}
