import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../src/db/connection.js";
import { customers, orderEvents, orders, type OrderStatus } from "../../src/db/schema.js";
import type { Alert, Alerts } from "../../src/ops/alerts.js";
import { createMonitors } from "../../src/ops/monitors.js";
import { startSupplierSimulator, type SupplierSimulator } from "../../src/supplier/simulator.js";
import { createHttpSupplier } from "../../src/supplier/http-client.js";
import { createGenericAdapter } from "../../src/supplier/generic-adapter.js";
import { createReloadlyAdapter } from "../../src/supplier/reloadly/adapter.js";
import { createReloadlyClient } from "../../src/supplier/reloadly/client.js";
import { startReloadlySimulator } from "../../src/supplier/reloadly/simulator.js";
import type { SupplierAdapter } from "../../src/supplier/types.js";
import { createLogger } from "../../src/logger.js";
import { manualClock } from "../../src/lib/clock.js";

let dir: string;
let db: Db;
let sim: SupplierSimulator;
let raised: Alert[];
const clock = manualClock(Date.UTC(2026, 10, 27, 12));
const alerts: Alerts = { raise: (alert) => void raised.push(alert) };

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "mon-"));
  db = openDatabase(join(dir, "m.sqlite"));
  db.insert(customers).values({ id: 1, chatId: 1, language: "en", createdAt: 0, updatedAt: 0 }).run();
  sim = await startSupplierSimulator({ apiKey: "k", webhookSecret: "s".repeat(16) });
  raised = [];
});
afterEach(async () => {
  db.$client.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

function monitors(settings = {}) {
  const generic = createGenericAdapter(createHttpSupplier({ baseUrl: sim.url, apiKey: "k", timeoutMs: 2000 }));
  return createMonitors({ db, suppliers: new Map([["generic", generic]]), alerts, logger: createLogger("silent"), now: clock.now, settings });
}

let n = 0;
function order(status: OrderStatus, fields: Partial<typeof orders.$inferInsert> = {}): string {
  const id = `ORD-M${String(n++).padStart(7, "0")}`;
  db.insert(orders).values({
    id, customerId: 1, chatId: 1, sku: "s", quantity: 1, amount: 100, currency: "USD", status,
    product: { sku: "s", name: "S", category: "c", kind: "code", faceValue: { amount: 1, currency: "USD" }, unitPrice: { amount: 100, currency: "USD" }, requiresPin: false, instructions: "", recipientRule: null },
    expiresAt: 0, createdAt: clock.now(), updatedAt: clock.now(), ...fields,
  }).run();
  return id;
}
/** One step in an order's event log. */
function step(id: string, from: OrderStatus | null, to: OrderStatus, cause: string, at = clock.now()): void {
  db.insert(orderEvents).values({ orderId: id, at, fromStatus: from, toStatus: to, cause, actor: "worker" }).run();
}
/** An order the supplier finished with: fulfilled, or failed there (a supplier failure or a supplier-side review). */
function finished(to: "fulfilled" | "failed" | "needs_review", at = clock.now()): string {
  const id = order(to);
  step(id, "paid", to, to === "fulfilled" ? "supplier_completed" : to === "failed" ? "supplier_failed" : "retries_exhausted", at);
  return id;
}
const kinds = () => raised.map((a) => a.kind);

describe("alert thresholds", () => {
  it("slow supplier: alerts over 3 s on average, not under", async () => {
    const m = monitors();
    [2900, 3000, 3050].forEach((ms) => m.observeSupplierCall(ms));
    await m.check();
    expect(kinds()).not.toContain("slow_supplier");
    [3500, 4000].forEach((ms) => m.observeSupplierCall(ms));
    await m.check();
    expect(kinds()).toContain("slow_supplier");
  });

  it("failure rate: alerts over 2 % in the last 30 minutes, not at 2 %", async () => {
    const m = monitors();
    for (let i = 0; i < 49; i++) finished("fulfilled");
    finished("needs_review"); // 1 of 50 = 2 %
    await m.check();
    expect(kinds()).not.toContain("failure_rate");
    finished("failed"); // 2 of 51 ≈ 3.9 %
    await m.check();
    expect(kinds()).toContain("failure_rate");
  });

  it("failure rate: failures older than the window do not count", async () => {
    const m = monitors();
    finished("needs_review", clock.now() - 31 * 60_000);
    finished("fulfilled");
    await m.check();
    expect(kinds()).not.toContain("failure_rate");
  });

  it("failure rate: counts each order once, and money that did not match its order is no supplier failure", async () => {
    const m = monitors();
    // 10 orders delivered as usual: paid → fulfilled → delivered.
    for (let i = 0; i < 10; i++) {
      const id = finished("fulfilled");
      step(id, "fulfilled", "delivered", "sent");
    }
    // 1 order failed at the supplier, went to review twice, and was delivered after an admin's retry.
    const retried = order("delivered");
    step(retried, "paid", "needs_review", "retries_exhausted");
    step(retried, "needs_review", "paid", "admin_retry");
    step(retried, "paid", "needs_review", "supplier_pending_too_long");
    step(retried, "needs_review", "paid", "admin_retry");
    step(retried, "paid", "fulfilled", "supplier_completed");
    step(retried, "fulfilled", "delivered", "sent");
    // 2 payments that did not match their orders: review, never sent to the supplier.
    step(order("needs_review"), "awaiting_payment", "needs_review", "payment_mismatch");
    step(order("needs_review"), "expired", "needs_review", "paid_after_close");
    const report = await m.check();
    expect(report.failureRate).toEqual({ failed: 1, finished: 11, rate: 1 / 11 });
    expect(raised.find((a) => a.kind === "failure_rate")!.text).toMatch(/^1 of 11 orders failed at the supplier in the last 30 minutes \(9\.1 %/);
  });

  it("stuck orders: alerts for an order paid and undelivered for 10 minutes, not 9", async () => {
    const m = monitors();
    const fresh = order("supplier_pending", { paidAt: clock.now() - 9 * 60_000 });
    const stuck = order("paid", { paidAt: clock.now() - 10 * 60_000 - 1 });
    order("delivered", { paidAt: clock.now() - 60 * 60_000 });
    const report = await m.check();
    expect(report.stuckOrderIds).toEqual([stuck]);
    expect(raised.filter((a) => a.kind === "stuck_orders").map((a) => a.orderId)).toEqual([stuck]);
    expect(fresh).toBeDefined();
  });

  it("low balance: alerts under 20 % of the average over the days with sales in the last 7, not above", async () => {
    // 3 days with sales in the last 7: 3,000.00 in all → a typical day is 1,000.00; 20 % is 200.00.
    for (const [daysAgo, cost] of [[1, 150_000], [2, 100_000], [6, 50_000]] as const) {
      order("delivered", { fulfilledAt: clock.now() - daysAgo * 86_400_000, supplierCostAmount: cost, supplierCostCurrency: "USD" });
    }
    // Older than 7 days, and spend in another currency: not part of the USD balance's baseline.
    order("delivered", { fulfilledAt: clock.now() - 8 * 86_400_000, supplierCostAmount: 9_000_000, supplierCostCurrency: "USD" });
    order("delivered", { fulfilledAt: clock.now() - 86_400_000, supplierCostAmount: 9_000_000, supplierCostCurrency: "EUR" });
    sim.balance.amount = 20_001;
    const m = monitors();
    expect((await m.check()).balances.find((b) => b.currency === "USD")?.dailySpend).toBe(100_000);
    expect(kinds()).not.toContain("low_balance");
    sim.balance.amount = 19_999;
    await m.check();
    expect(kinds()).toContain("low_balance");
  });

  it("low balance: a shop that has sold on one day takes that day as typical, not a seventh of it", async () => {
    order("delivered", { fulfilledAt: clock.now() - 3_600_000, supplierCostAmount: 50_000, supplierCostCurrency: "USD" });
    sim.balance.amount = 9_000; // under 20 % of 500.00, over 20 % of 500.00 / 7
    const report = await monitors().check();
    expect(report.balances.find((b) => b.currency === "USD")?.dailySpend).toBe(50_000);
    expect(raised.find((a) => a.kind === "low_balance")?.text).toMatch(/balance \$90\.00 is under 20 % of a typical day's spend \(\$500\.00\)/);
  });

  it("low balance: a configured daily spend wins over the average", async () => {
    sim.balance.amount = 5_000;
    const m = monitors({ dailySpendOverride: 20_000 });
    await m.check();
    expect(kinds()).not.toContain("low_balance");
    const strict = monitors({ dailySpendOverride: 30_000 });
    await strict.check();
    expect(kinds()).toContain("low_balance");
  });

  it("low balance: each supplier account against its own typical spend, in its own currency", async () => {
    const reloadlySim = await startReloadlySimulator({ clientId: "c", clientSecret: "s", balance: { amount: 15_000, currency: "USD" } });
    try {
      const client = createReloadlyClient({ clientId: "c", clientSecret: "s", authUrl: reloadlySim.authUrl, giftcardsUrl: reloadlySim.giftcardsUrl, topupsUrl: reloadlySim.topupsUrl, timeoutMs: 2000 });
      const reloadly = createReloadlyAdapter(client, { senderName: "t", balanceFrom: "giftcards" });
      const generic = createGenericAdapter(createHttpSupplier({ baseUrl: sim.url, apiKey: "k", timeoutMs: 2000 }));
      // One day with sales: 1,000.00 at Reloadly (20 % = 200.00 > 150.00 left); 100.00 at the generic supplier (plenty left).
      order("delivered", { fulfilledAt: clock.now() - 86_400_000, supplierName: "reloadly", supplierCostAmount: 100_000, supplierCostCurrency: "USD" });
      order("delivered", { fulfilledAt: clock.now() - 86_400_000, supplierName: "generic", supplierCostAmount: 10_000, supplierCostCurrency: "USD" });
      const m = createMonitors({ db, suppliers: new Map<"generic" | "reloadly", SupplierAdapter>([["generic", generic], ["reloadly", reloadly]]), alerts, logger: createLogger("silent"), now: clock.now });
      const report = await m.check();
      expect(report.balances).toEqual([
        { account: "generic", amount: sim.balance.amount, currency: "USD", dailySpend: 10_000 },
        { account: "reloadly", amount: 15_000, currency: "USD", dailySpend: 100_000 },
      ]);
      expect(raised.filter((a) => a.kind === "low_balance").map((a) => a.text)).toEqual([
        "reloadly: balance $150.00 is under 20 % of a typical day's spend ($1,000.00)",
      ]);
    } finally {
      await reloadlySim.close();
    }
  });

  it("webhooks: any failure in the last hour alerts; none, no alert", async () => {
    const m = monitors();
    await m.check();
    expect(kinds()).not.toContain("webhook_failures");
    m.observeWebhookFailure("supplier", "supplier webhook bad signature");
    await m.check();
    expect(raised.find((a) => a.kind === "webhook_failures")!.text).toContain("1 supplier webhook(s) failed");
  });
});
