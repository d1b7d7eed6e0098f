// Per-product sources through the real shop: Amazon.com 25 USD is routed stock → Reloadly → generic
// (catalog.example.json). Each source fails in turn, for real (an empty stock, the Reloadly simulator's
// behaviours, the generic simulator's), and the order moves on only when that is safe; every move is in the
// event log, in /order and in /metrics; one supplier order fulfils one shop order.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { getProduct } from "../../src/catalog/catalog.js";
import { createCodeFingerprinter } from "../../src/lib/crypto.js";
import { importStockFile } from "../../src/ops/stock-import.js";
import { getDeliveredItems, getOrder, getOrderEvents } from "../../src/orders/repository.js";
import { stripHtml } from "../../src/sandbox/fake-telegram.js";
import type { ReloadlyBehaviourInput } from "../../src/supplier/reloadly/simulator.js";
import { availableStock } from "../../src/supplier/stock/store.js";
import { ADMIN_ID, ENCRYPTION_KEY, confirmAsAdmin, opsMessage, paidOrder, startHarness, waitForStatus, type Harness, type HarnessOptions } from "../helpers/harness.js";

const AMAZON = ["/start buy_amazon-us-25"] as const;
let h: Harness;
let dir: string | undefined;

async function start(options: HarnessOptions & { reloadly5?: ReloadlyBehaviourInput } = {}) {
  const { reloadly5, ...rest } = options;
  h = await startHarness({
    ...rest,
    shop: { pipeline: { backoffBaseMs: 20, backoffMaxMs: 100 }, ...rest.shop },
    reloadly: { ...(reloadly5 ? { giftCardBehaviours: { 5: reloadly5 } } : {}), ...rest.reloadly },
  });
  h.customer(ADMIN_ID);
  return h;
}
afterEach(async () => {
  await h?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function stockDeps() {
  return { db: h.shop.db, sealer: h.shop.pipeline.sealer, fingerprint: createCodeFingerprinter(Buffer.from(ENCRYPTION_KEY, "hex")), now: Date.now };
}

function stock(pool: string, codes: string[]) {
  return importStockFile(stockDeps(), pool, "codes.txt", codes.join("\n"));
}

function events(orderId: string) {
  return getOrderEvents(h.shop.db, orderId).map((e) => `${e.toStatus}:${e.cause}`);
}

function failovers(orderId: string) {
  return getOrderEvents(h.shop.db, orderId)
    .filter((e) => e.cause.startsWith("failover:"))
    .map((e) => `${String(e.detail!["from"])} → ${String(e.detail!["to"])} (${String(e.detail!["reason"])})`);
}

/** The delivered codes, opened with the order's own key context. */
function deliveredCodes(orderId: string): string[] {
  return getDeliveredItems(h.shop.db, orderId).map((item) => h.shop.pipeline.sealer.open(item.codeEnc, orderId));
}

async function metric(name: string): Promise<string> {
  const text = await (await fetch(`${h.shopUrl}/metrics`)).text();
  return text.split("\n").filter((line) => line.startsWith(name)).join("\n");
}

/** Supplier orders that exist for this shop order, anywhere: the generic's, Reloadly's, the stock's. */
function supplierOrders(orderId: string): string[] {
  const found: string[] = [];
  for (const [reference, times] of h.supplier.createdByReference) if (reference.startsWith(orderId)) found.push(`generic ${reference} ×${times}`);
  for (const [identifier, times] of h.reloadly.createdByIdentifier) if (identifier.startsWith(orderId)) found.push(`reloadly ${identifier} ×${times}`);
  const reserved = h.shop.db.$client.prepare("SELECT DISTINCT reserved_for AS r FROM stock_codes WHERE order_id = ?").all(orderId) as Array<{ r: string }>;
  for (const row of reserved) found.push(`stock ${row.r}`);
  return found;
}

describe("a product routed stock → Reloadly → generic", () => {
  it("sells from the shop's own stock first: the imported code, sealed to the order, and no supplier asked", async () => {
    await start();
    expect(stock("amazon-us-25", ["AMZN-STOCK-0001", "AMZN-STOCK-0002"])).toMatchObject({ added: 2, available: 2 });
    const orderId = await paidOrder(h, 7001, AMAZON);
    await waitForStatus(h, orderId, "delivered");
    const [code] = deliveredCodes(orderId);
    expect(["AMZN-STOCK-0001", "AMZN-STOCK-0002"]).toContain(code);
    await h.customer(7001).expect(code!);
    expect(getDeliveredItems(h.shop.db, orderId)[0]!.source).toBe("stock");
    expect(supplierOrders(orderId)).toEqual([`stock ${orderId}`]);
    expect(getOrderEvents(h.shop.db, orderId).find((e) => e.toStatus === "fulfilled")!.detail).toMatchObject({ source: 1, via: "stock amazon-us-25", reference: orderId });
    expect(availableStock(h.shop.db, "amazon-us-25", Date.now())).toBe(1);
    expect(h.logs.join("")).not.toContain(code);
  });

  it("moves to Reloadly when the stock is empty, with a reference of its own, and logs and counts why", async () => {
    await start();
    const orderId = await paidOrder(h, 7002, AMAZON);
    await waitForStatus(h, orderId, "delivered");
    const card = h.reloadly.orderByIdentifier(`${orderId}-2`)!;
    expect(card.status).toBe("SUCCESSFUL");
    expect(deliveredCodes(orderId)).toEqual([card.cards[0]!.cardNumber]);
    expect(failovers(orderId)).toEqual(["stock amazon-us-25 → reloadly product 5 · 25 (out_of_stock)"]);
    expect(supplierOrders(orderId)).toEqual([`reloadly ${orderId}-2 ×1`]);
    expect(getOrder(h.shop.db, orderId)).toMatchObject({ sourceIndex: 1, supplierName: "reloadly", supplierReference: `${orderId}-2`, supplierCostCurrency: "USD" });
    expect(await metric("shop_supplier_failovers_total")).toContain('shop_supplier_failovers_total{supplier="stock",reason="out_of_stock"} 1');
  });

  it("moves on to the generic supplier when Reloadly refuses for balance; /order shows both moves", async () => {
    await start({ reloadly5: { outcome: "insufficient_balance" } });
    const orderId = await paidOrder(h, 7003, AMAZON);
    await waitForStatus(h, orderId, "delivered");
    const issued = h.supplier.orderByReference(`${orderId}-3`)!;
    expect(deliveredCodes(orderId)).toEqual([issued.items[0]!.code]);
    expect(failovers(orderId)).toEqual([
      "stock amazon-us-25 → reloadly product 5 · 25 (out_of_stock)",
      "reloadly product 5 · 25 → generic amazon-us-25 (insufficient_balance)",
    ]);
    expect(supplierOrders(orderId)).toEqual([`generic ${orderId}-3 ×1`]);
    await opsMessage(h, "reloadly product 5 · 25 refused for lack of balance");
    h.telegram.sendText(ADMIN_ID, `/order ${orderId}`);
    const view = stripHtml((await h.telegram.waitFor(ADMIN_ID, (m) => m.text.includes("Source 3/3"))).text);
    expect(view).toContain(`Source 3/3: generic amazon-us-25 · reference ${orderId}-3`);
    expect(view).toContain("paid → paid · failover:insufficient_balance · worker · reloadly product 5 · 25 → generic amazon-us-25");
    expect(await metric("shop_supplier_failovers_total")).toContain('shop_supplier_failovers_total{supplier="reloadly",reason="insufficient_balance"} 1');
  });

  it("moves on when Reloadly's order ends FAILED, and when it ends REFUNDED after processing", async () => {
    // Reloadly sends no webhooks: a processing order is polled (every second here).
    await start({ reloadly5: { outcome: "failed" }, env: { SUPPLIER_POLL_INTERVAL_MS: "1000" } });
    const failed = await paidOrder(h, 7004, AMAZON);
    await waitForStatus(h, failed, "delivered");
    expect(failovers(failed)[1]).toBe("reloadly product 5 · 25 → generic amazon-us-25 (supplier_failed:FAILED)");
    // Reloadly's order exists but failed: the generic's is the one that fulfils.
    expect(supplierOrders(failed)).toEqual([`generic ${failed}-3 ×1`, `reloadly ${failed}-2 ×1`]);
    expect(h.reloadly.orderByIdentifier(`${failed}-2`)!.status).toBe("FAILED");

    h.reloadly.setBehaviour("giftcards", 5, { outcome: "refunded", resolveAfterPolls: 1 });
    const refunded = await paidOrder(h, 7005, AMAZON);
    await waitForStatus(h, refunded, "supplier_pending");
    await waitForStatus(h, refunded, "delivered", 15_000);
    expect(failovers(refunded)[1]).toBe("reloadly product 5 · 25 → generic amazon-us-25 (supplier_failed:REFUNDED)");
    expect(events(refunded)).toContain("supplier_pending:failover:supplier_failed:REFUNDED");
    expect(h.reloadly.orderByIdentifier(`${refunded}-2`)!.status).toBe("REFUNDED");
  });

  it("never moves on after Reloadly times out having created the order: the look-up finds it and it is delivered", async () => {
    await start({ env: { SUPPLIER_TIMEOUT_MS: "300" }, reloadly5: { outcome: "timeout_after_create", hangMs: 2_000 } });
    const orderId = await paidOrder(h, 7006, AMAZON);
    await waitForStatus(h, orderId, "delivered");
    expect(deliveredCodes(orderId)).toEqual([h.reloadly.orderByIdentifier(`${orderId}-2`)!.cards[0]!.cardNumber]);
    expect(failovers(orderId)).toHaveLength(1);
    expect(supplierOrders(orderId)).toEqual([`reloadly ${orderId}-2 ×1`]);
    expect(h.reloadly.requests.some((r) => r.path.startsWith(`/giftcards/reports/transactions?customIdentifier=${orderId}-2`))).toBe(true);
  });

  it("moves on after Reloadly's 5xx only once the retries ran out and a look-up proves no order exists there", async () => {
    await start({ reloadly5: { outcome: "server_error", status: 503 } });
    const orderId = await paidOrder(h, 7007, AMAZON);
    await waitForStatus(h, orderId, "delivered");
    const posts = h.reloadly.requests.filter((r) => r.method === "POST" && r.path === "/giftcards/orders");
    expect(posts.map((r) => r.status)).toEqual([503, 503, 503]);
    const lookups = h.reloadly.requests.filter((r) => r.path.startsWith(`/giftcards/reports/transactions?customIdentifier=${orderId}-2`));
    expect(lookups.length).toBeGreaterThanOrEqual(3);
    expect(failovers(orderId)[1]).toBe("reloadly product 5 · 25 → generic amazon-us-25 (no_order_after_retries)");
    expect(supplierOrders(orderId)).toEqual([`generic ${orderId}-3 ×1`]);
  });

  it("refunds when the last source fails too", async () => {
    await start({ reloadly5: { outcome: "out_of_stock" }, simulator: { behaviours: { "amazon-us-25": { outcome: "fail", code: "operator_rejected" } } } });
    const orderId = await paidOrder(h, 7008, AMAZON);
    await waitForStatus(h, orderId, "refunded");
    expect(failovers(orderId)).toEqual([
      "stock amazon-us-25 → reloadly product 5 · 25 (out_of_stock)",
      "reloadly product 5 · 25 → generic amazon-us-25 (PRODUCT_NOT_AVAILABLE)",
    ]);
    expect(events(orderId).slice(-3)).toEqual(["failed:supplier_failed", "refunding:refund_started", "refunded:refund_created"]);
    expect(h.stripe.refunds).toHaveLength(1);
  });

  it("sells a Reloadly-only product and an airtime top-up through Reloadly", async () => {
    await start();
    const orderId = await paidOrder(h, 7009, ["/start buy_itunes-de-25-eur"]);
    await waitForStatus(h, orderId, "delivered");
    expect(deliveredCodes(orderId)).toEqual([h.reloadly.orderByIdentifier(orderId)!.cards[0]!.cardNumber]);
    expect(getOrder(h.shop.db, orderId)).toMatchObject({ supplierName: "reloadly", supplierReference: orderId, sourceIndex: 0 });
  });
});

describe("the shop's own stock", () => {
  it("shows a stock-only product out of stock while its pool is empty, and for sale after an import", async () => {
    await start();
    expect(getProduct(h.shop.db, "spotify-10-usd")!.inStock).toBe(false);
    const customer = h.customer(7101);
    customer.say("/start buy_spotify-10-usd");
    await customer.expect("This product is not available any more");
    stock("spotify-10-usd", ["SPOT-0001"]);
    expect(getProduct(h.shop.db, "spotify-10-usd")!.inStock).toBe(true);
    const orderId = await paidOrder(h, 7102, ["/start buy_spotify-10-usd"]);
    await waitForStatus(h, orderId, "delivered");
    expect(deliveredCodes(orderId)).toEqual(["SPOT-0001"]);
    // The last code sold: the product is out of stock again.
    expect(getProduct(h.shop.db, "spotify-10-usd")!.inStock).toBe(false);
  });

  it("returns a refunded order's unused stock code to stock", async () => {
    // A PIN product whose imported codes came without PINs: the order is not delivered, an admin refunds it.
    dir = mkdtempSync(join(tmpdir(), "routing-catalog-"));
    const catalog = join(dir, "catalog.json");
    writeFileSync(
      catalog,
      JSON.stringify({
        products: [
          {
            sku: "pin-card-10", name: "PIN Card 10 USD", category: "Gift cards", kind: "code", face_value: { amount: 1000, currency: "USD" },
            price: { amount: 1099, currency: "USD" }, requires_pin: true, instructions: "Enter the code and the PIN.", sources: [{ supplier: "stock" }],
          },
        ],
      }),
    );
    await start({ env: { CATALOG_PATH: catalog } });
    stock("pin-card-10", ["NOPIN-0001"]);
    const orderId = await paidOrder(h, 7103, ["/start buy_pin-card-10"]);
    await waitForStatus(h, orderId, "needs_review");
    expect(availableStock(h.shop.db, "pin-card-10", Date.now())).toBe(0);
    h.telegram.sendText(ADMIN_ID, `/refund ${orderId}`);
    await confirmAsAdmin(h, `Refund order ${orderId}?`);
    await waitForStatus(h, orderId, "refunded");
    expect(events(orderId)).toContain("refunded:stock_returned");
    expect(availableStock(h.shop.db, "pin-card-10", Date.now())).toBe(1);
  });
});
