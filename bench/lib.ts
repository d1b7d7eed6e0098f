// Shared by the benchmarks: percentiles, a result line that run-all.ts collects, and order seeding.
import { createOrder } from "../src/orders/state-machine.js";
import { getProduct } from "../src/catalog/catalog.js";
import { snapshotOf } from "../src/payments/checkout.js";
import { customers, orders } from "../src/db/schema.js";
import { eq } from "drizzle-orm";
import type { Harness } from "../test/helpers/harness.js";

export interface BenchRow {
  benchmark: string;
  measure: string;
  value: string;
  baseline?: string;
  ratio?: string;
  target: string;
  met: boolean | null;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** Prints rows as a table, and one machine-readable line for run-all.ts. */
export function report(rows: BenchRow[]): void {
  printTable(rows);
  console.log(`BENCH_RESULT ${JSON.stringify(rows)}`);
}

export function printTable(rows: BenchRow[]): void {
  const header = ["benchmark", "measure", "value", "baseline", "ratio", "target", "met"];
  const cells = rows.map((r) => [r.benchmark, r.measure, r.value, r.baseline ?? "", r.ratio ?? "", r.target, r.met === null ? "n/a" : r.met ? "yes" : "NO"]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((cell, i) => cell.padEnd(widths[i]!)).join(" | ")} |`;
  console.log([line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.map(line)].join("\n"));
}

let seq = 0;
/** Orders waiting for payment, each with its own customer and Checkout Session id, inserted directly. */
export function seedUnpaidOrders(h: Harness, count: number, sku = "steam-20-usd", firstCustomer = 500_000): Array<{ orderId: string; chatId: number; sessionId: string }> {
  const db = h.shop.db;
  const product = getProduct(db, sku)!;
  const now = Date.now();
  const seeded: Array<{ orderId: string; chatId: number; sessionId: string }> = [];
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const chatId = firstCustomer + i;
      h.telegram.addUser({ id: chatId, first_name: `Bench ${chatId}` });
      db.insert(customers).values({ id: chatId, chatId, language: "en", createdAt: now, updatedAt: now }).onConflictDoNothing().run();
      const orderId = `ORD-B${String(seq++).padStart(7, "0")}`;
      const sessionId = `cs_test_bench_${orderId}`;
      createOrder(
        { db, now: Date.now, logger: h.shop.logger },
        { id: orderId, customerId: chatId, chatId, sku, product: snapshotOf(product), quantity: 1, recipient: null, amount: product.priceAmount, currency: product.priceCurrency, expiresAt: now + 1_800_000 },
        "bench",
      );
      db.update(orders).set({ stripeSessionId: sessionId }).where(eq(orders.id, orderId)).run();
      seeded.push({ orderId, chatId, sessionId });
    }
  });
  return seeded;
}

/** The signed checkout.session.completed Stripe would send for a seeded order. */
export function paidEvent(h: Harness, order: { orderId: string; sessionId: string }, amount = 2199) {
  return h.stripe.signedEvent("checkout.session.completed", {
    id: order.sessionId,
    object: "checkout.session",
    client_reference_id: order.orderId,
    metadata: { order_id: order.orderId },
    payment_status: "paid",
    status: "complete",
    amount_total: amount,
    currency: "usd",
    payment_intent: `pi_bench_${order.orderId}`,
  });
}

export async function postAll<T>(items: T[], concurrency: number, send: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await send(items[next++]!);
    }),
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
