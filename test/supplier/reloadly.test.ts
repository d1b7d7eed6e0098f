// What integrators most often get wrong with Reloadly, each checked against the Reloadly simulator over HTTP:
// one token per product cached until it expires, TOKEN_EXPIRED renewed once, the versioned media types,
// errors with errorCode null, cards that come later, amounts in the right currency, paging, one request per
// identifier at a time.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createReloadlyAdapter, toMinor, type ReloadlyAdapter } from "../../src/supplier/reloadly/adapter.js";
import { classifyReloadlyError, createReloadlyClient } from "../../src/supplier/reloadly/client.js";
import { GIFTCARDS_MEDIA_TYPE, TOPUPS_MEDIA_TYPE } from "../../src/supplier/reloadly/schemas.js";
import { startReloadlySimulator, type ReloadlySimulator } from "../../src/supplier/reloadly/simulator.js";
import { SupplierError, type AttemptRequest } from "../../src/supplier/types.js";

let sim: ReloadlySimulator;
let adapter: ReloadlyAdapter;
let n = 0;

function connect(secret = "secret"): ReloadlyAdapter {
  const client = createReloadlyClient({ clientId: "client", clientSecret: secret, authUrl: sim.authUrl, giftcardsUrl: sim.giftcardsUrl, topupsUrl: sim.topupsUrl, timeoutMs: 1_000 });
  return createReloadlyAdapter(client, { senderName: "Test Shop", balanceFrom: "giftcards" });
}

beforeEach(async () => {
  sim = await startReloadlySimulator({ clientId: "client", clientSecret: "secret" });
  adapter = connect();
});
afterEach(async () => {
  await sim.close();
});

function giftCard(productId = 5, unitPrice = 25, quantity = 1): AttemptRequest {
  const reference = `ORD-RELOAD${String(n++).padStart(2, "0")}`;
  return { reference, orderId: reference, sku: "x", kind: "code", quantity, recipient: null, source: { supplier: "reloadly", product_id: productId, unit_price: unitPrice } };
}

function topup(operatorId = 173, recipient = "+50936377111", countryCode?: string): AttemptRequest {
  const reference = `ORD-TOPUP0${String(n++).padStart(2, "0")}`;
  return { reference, orderId: reference, sku: "y", kind: "topup", quantity: 1, recipient, source: { supplier: "reloadly", operator_id: operatorId, amount: 10, use_local_amount: false, ...(countryCode ? { country_code: countryCode } : {}) } };
}

async function failure(promise: Promise<unknown>): Promise<SupplierError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(SupplierError);
  return error as SupplierError;
}

describe("Reloadly", () => {
  it("fetches one token per product (audience = the product's URL), reuses it, and sends each product's media type", async () => {
    for (let i = 0; i < 3; i++) await adapter.placeOrder(giftCard());
    for (let i = 0; i < 2; i++) await adapter.placeOrder(topup());
    await adapter.getBalances();
    expect(Object.fromEntries(sim.tokensIssued)).toEqual({ [sim.giftcardsUrl]: 1, [sim.topupsUrl]: 1 });
    const calls = sim.requests.filter((r) => !r.path.startsWith("/auth"));
    expect(calls.filter((r) => r.path.startsWith("/giftcards")).every((r) => r.accept === GIFTCARDS_MEDIA_TYPE)).toBe(true);
    expect(calls.filter((r) => r.path.startsWith("/topups")).every((r) => r.accept === TOPUPS_MEDIA_TYPE)).toBe(true);
    expect(calls.every((r) => r.status === 200)).toBe(true);
  });

  it("on 401 TOKEN_EXPIRED gets a new token and tries once more; the order is created once", async () => {
    await adapter.getBalances();
    sim.expireTokens();
    const request = giftCard();
    const order = await adapter.placeOrder(request);
    expect(order.status).toBe("completed");
    expect(sim.tokensIssued.get(sim.giftcardsUrl)).toBe(2);
    expect(sim.createdByIdentifier.get(request.reference)).toBe(1);
    expect(sim.requests.filter((r) => r.method === "POST" && r.path === "/giftcards/orders").map((r) => r.status)).toEqual([401, 200]);
  });

  it("a token that expires early on a create (the token_expired behaviour) is renewed the same way", async () => {
    sim.setBehaviour("topups", 173, { outcome: "token_expired" });
    const request = topup();
    expect((await adapter.placeOrder(request)).status).toBe("completed");
    expect(sim.createdByIdentifier.get(request.reference)).toBe(1);
  });

  it("refuses with the right kind when the credentials are wrong, and creates nothing", async () => {
    const wrong = connect("not-the-secret");
    const request = giftCard();
    const error = await failure(wrong.placeOrder(request));
    expect(error.kind).toBe("fatal");
    expect(error.code).toBe("auth_invalid_credentials");
    expect(sim.createdByIdentifier.size).toBe(0);
  });

  it("classifies errors whose errorCode is null by what they mean: invalid price and unknown product are ours to fix", async () => {
    const price = await failure(adapter.placeOrder(giftCard(5, 26)));
    expect([price.kind, price.httpStatus, price.message]).toEqual(["fatal", 400, "Reloadly: Invalid price, please ensure you selected the right price."]);
    const unknown = await failure(adapter.placeOrder(giftCard(999, 25)));
    expect([unknown.kind, unknown.httpStatus]).toEqual(["fatal", 404]);
    sim.setBehaviour("giftcards", 5, { outcome: "insufficient_balance" });
    expect((await failure(adapter.placeOrder(giftCard()))).kind).toBe("insufficient_balance");
    sim.setBehaviour("giftcards", 5, { outcome: "out_of_stock" });
    expect((await failure(adapter.placeOrder(giftCard()))).kind).toBe("rejected");
    const phone = await failure(adapter.placeOrder(topup(173, "+1234")));
    expect([phone.kind, phone.code]).toEqual(["rejected", "INVALID_RECIPIENT_PHONE"]);
    expect(sim.createdByIdentifier.size).toBe(0);
  });

  it("classifies by status and by whether the request may have created an order", () => {
    const body = (errorCode: string | null) => ({ errorCode, message: "m" });
    expect(classifyReloadlyError(503, body(null), true)).toEqual({ kind: "ambiguous", code: "http_503" });
    expect(classifyReloadlyError(503, body(null), false)).toEqual({ kind: "retryable", code: "http_503" });
    expect(classifyReloadlyError(429, body(null), true)).toEqual({ kind: "retryable", code: "rate_limited" });
    expect(classifyReloadlyError(400, body("CUSTOM_IDENTIFIER_ALREADY_USED"), true)).toEqual({ kind: "ambiguous", code: "reference_used" });
    expect(classifyReloadlyError(400, body("INSUFFICIENT_BALANCE"), true)).toEqual({ kind: "insufficient_balance", code: "insufficient_balance" });
    expect(classifyReloadlyError(401, body("INVALID_TOKEN"), true)).toEqual({ kind: "fatal", code: "INVALID_TOKEN" });
    expect(classifyReloadlyError(400, body(null), true)).toEqual({ kind: "fatal", code: "http_400" });
  });

  it("a 5xx after the order was created is ambiguous, and the look-up finds the order", async () => {
    sim.setBehaviour("giftcards", 5, { outcome: "server_error", created: true, status: 502 });
    const request = giftCard();
    const error = await failure(adapter.placeOrder(request));
    expect(error.kind).toBe("ambiguous");
    const found = await adapter.findOrder({ ...request, supplierOrderId: null });
    expect(found?.status).toBe("completed");
    expect(sim.createdByIdentifier.get(request.reference)).toBe(1);
  });

  it("treats SUCCESSFUL without its cards as pending until the cards come", async () => {
    sim.setBehaviour("giftcards", 200, { outcome: "cards_delayed", resolveAfterPolls: 3 });
    const request = giftCard(200, 10, 2);
    const placed = await adapter.placeOrder(request);
    expect(placed.status).toBe("pending");
    let order = placed;
    for (let i = 0; i < 3 && order.status === "pending"; i++) order = (await adapter.findOrder({ ...request, supplierOrderId: placed.order_id }))!;
    expect(order.status).toBe("completed");
    expect(order.items).toHaveLength(2);
    // Razer Gold cards come with a PIN.
    expect(order.items.every((item) => item.code && /^\d{7}$/.test(item.pin ?? ""))).toBe(true);
    expect(order.items.map((item) => item.code)).toEqual(sim.orderByIdentifier(request.reference)!.cards.map((card) => card.cardNumber));
  });

  it("ends FAILED and REFUNDED orders as failed", async () => {
    sim.setBehaviour("giftcards", 13, { outcome: "refunded" });
    const request = giftCard(13, 25);
    expect((await adapter.placeOrder(request)).status).toBe("pending");
    sim.settleAll();
    const refunded = await adapter.findOrder({ ...request, supplierOrderId: null });
    expect(refunded).toMatchObject({ status: "failed", error: { code: "REFUNDED" } });
  });

  it("reports what the account paid in its own currency, in minor units, whatever the card's currency", async () => {
    // App Store DE: a 25 EUR card; the account pays in USD (rate 1.08, 2.9 % discount, 0.50 fee).
    const order = await adapter.placeOrder(giftCard(14, 25));
    expect(order.cost).toEqual({ amount: 2672, currency: "USD" });
    const airtime = await adapter.placeOrder(topup());
    // 10 USD requested, 12 % commission: 8.80 paid; 1,325.00 HTG delivered.
    expect(airtime.cost).toEqual({ amount: 880, currency: "USD" });
    expect(airtime.confirmation).toMatchObject({ delivered: { amount: 132_500, currency: "HTG" } });
    expect(toMinor(17.52, "USD")).toBe(1752);
    expect(toMinor(1500, "JPY")).toBe(1500);
    expect(await adapter.getBalances()).toEqual([{ account: "reloadly", amount: sim.balance.amount, currency: "USD" }]);
  });

  it("reads the products page by page, pages starting at 1", async () => {
    const products = await adapter.listGiftCardProducts(2);
    expect(products.map((p) => p.productId)).toEqual(sim.products.map((p) => p.productId));
    expect(sim.requests.filter((r) => r.path.startsWith("/giftcards/products")).map((r) => new URL(r.path, "http://x").searchParams.get("page"))).toEqual(["1", "2", "3"]);
  });

  it("looks the operator's country up once when the source leaves it out, and not at all when it gives it", async () => {
    await adapter.placeOrder(topup());
    await adapter.placeOrder(topup());
    await adapter.placeOrder(topup(140, "+5215512345678", "MX"));
    expect(sim.requests.filter((r) => r.path.startsWith("/topups/operators/")).map((r) => r.path)).toEqual(["/topups/operators/173"]);
  });

  it("never has two requests with one identifier in flight", async () => {
    sim.setBehaviour("giftcards", 5, { outcome: "instant", latencyMs: 200 });
    const request = giftCard();
    const [first, second] = await Promise.allSettled([adapter.placeOrder(request), adapter.placeOrder(request)]);
    expect(first.status).toBe("fulfilled");
    expect(second.status).toBe("rejected");
    expect((second as PromiseRejectedResult).reason).toMatchObject({ kind: "retryable", code: "in_flight" });
    expect(sim.requests.filter((r) => r.method === "POST" && r.path === "/giftcards/orders")).toHaveLength(1);
  });

  it("refuses a reference longer than Reloadly's 150 characters before sending anything", async () => {
    const request = { ...giftCard(), reference: `ORD-${"X".repeat(150)}` };
    expect((await failure(adapter.placeOrder(request))).code).toBe("reference_too_long");
    expect(sim.requests.filter((r) => r.method === "POST" && r.path === "/giftcards/orders")).toHaveLength(0);
  });
});
