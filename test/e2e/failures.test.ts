// Every row of the failure table, produced for real: the supplier simulator's behaviours, a fake Bot API
// that answers 429/403, signed Stripe events replayed, and a clock the test moves.
import { afterEach, describe, expect, it } from "vitest";
import { getDeliveredItems, getOrder, getOrderEvents } from "../../src/orders/repository.js";
import { manualClock } from "../../src/lib/clock.js";
import { stripHtml } from "../../src/sandbox/fake-telegram.js";
import { startHoldingProxy, type HoldingProxy } from "../helpers/holding-proxy.js";
import { ADMIN_ID, OPS_CHAT_ID, RAZER_10, STEAM_20, STEAM_50, opsMessage, openOrder, paidOrder, startHarness, statusOf, waitForStatus, waitUntil, type Harness, type HarnessOptions } from "../helpers/harness.js";

let h: Harness;
const fast: HarnessOptions = { shop: { pipeline: { backoffBaseMs: 20, backoffMaxMs: 200 } } };
async function start(options: HarnessOptions = {}) {
  h = await startHarness({ ...fast, ...options, shop: { ...fast.shop, ...options.shop, pipeline: { ...fast.shop!.pipeline, ...options.shop?.pipeline } } });
  return h;
}
afterEach(async () => {
  await h?.close();
});

const STEAM = STEAM_20;
const RAZER = RAZER_10;

function causes(orderId: string): string[] {
  return getOrderEvents(h.shop.db, orderId).map((e) => `${e.toStatus}:${e.cause}`);
}

describe("supplier failures", () => {
  it("retries a 5xx with backoff and delivers, with one supplier order", async () => {
    await start({ simulator: { behaviours: { "steam-20-usd": { failFirst: { count: 2, status: 500, code: "internal" } } } } });
    const orderId = await paidOrder(h, 2001, STEAM);
    await waitForStatus(h, orderId, "delivered");
    expect(h.supplier.createdByReference.get(orderId)).toBe(1);
    expect(h.supplier.requests.filter((r) => r.method === "POST" && r.status === 500)).toHaveLength(2);
    expect(h.shop.metrics.registry.getSingleMetric("shop_retries_total")).toBeDefined();
  });

  it("honours Retry-After on a 429", async () => {
    await start({ simulator: { behaviours: { "steam-20-usd": { failFirst: { count: 1, status: 429, code: "rate_limited", retryAfter: 1 } } } } });
    const orderId = await paidOrder(h, 2002, STEAM);
    await waitUntil(() => getOrder(h.shop.db, orderId)?.attempts === 1);
    const row = getOrder(h.shop.db, orderId)!;
    expect(row.nextAttemptAt! - row.updatedAt).toBeGreaterThanOrEqual(1000);
    expect(row.lastError).toContain("rate_limited");
    await waitForStatus(h, orderId, "delivered");
  });

  it("after a timeout, finds the order by reference instead of placing it again", async () => {
    await start({ env: { SUPPLIER_TIMEOUT_MS: "300" }, simulator: { behaviours: { "steam-20-usd": { outcome: "hang", hangMs: 1500 } } } });
    const orderId = await paidOrder(h, 2003, STEAM);
    await waitForStatus(h, orderId, "delivered");
    expect(h.supplier.createdByReference.get(orderId)).toBe(1);
    expect(h.supplier.requests.some((r) => r.path === `/orders?reference=${orderId}`)).toBe(true);
    const code = h.supplier.orderByReference(orderId)!.items[0]!.code!;
    await h.customer(2003).expect(code);
  });

  it("after a dropped connection, finds the order by reference instead of placing it again", async () => {
    await start({ simulator: { behaviours: { "steam-20-usd": { outcome: "drop" } } } });
    const orderId = await paidOrder(h, 2004, STEAM);
    await waitForStatus(h, orderId, "delivered");
    expect(h.supplier.createdByReference.get(orderId)).toBe(1);
    expect(getOrder(h.shop.db, orderId)!.lastError).toBeNull();
  });

  it("sends the order to review with an alert when every attempt fails", async () => {
    await start({ simulator: { behaviours: { "steam-20-usd": { outcome: "error", status: 503, code: "unavailable" } } } });
    const orderId = await paidOrder(h, 2005, STEAM);
    await waitForStatus(h, orderId, "needs_review");
    expect(h.supplier.requests.filter((r) => r.method === "POST" && r.path === "/orders")).toHaveLength(3);
    const alert = await opsMessage(h, orderId);
    expect(stripHtml(alert.text)).toMatch(/3 attempts failed; last: unavailable/);
    expect(stripHtml(alert.text)).toContain("What to do");
    await h.customer(2005).expect("needs a quick check");
  });

  it("refunds through Stripe when the supplier answers failed, and tells the customer in their language", async () => {
    await start({ simulator: { behaviours: { "steam-20-usd": { outcome: "fail", code: "operator_rejected" } } } });
    const orderId = await paidOrder(h, 2006, ["Подарочные карты", "Steam Wallet ·", "Steam Wallet 20 USD"], "ru");
    await waitForStatus(h, orderId, "refunded");
    const order = getOrder(h.shop.db, orderId)!;
    expect(order.refundId).toMatch(/^re_test_/);
    expect(h.stripe.refunds).toHaveLength(1);
    expect(h.stripe.requests.find((r) => r.path === "/v1/refunds")!.idempotencyKey).toBe(`refund-${orderId}`);
    expect(getDeliveredItems(h.shop.db, orderId)).toHaveLength(0);
    await h.customer(2006, "ru").expect("возвращена");
    expect(causes(orderId)).toEqual(["awaiting_payment:created", "paid:checkout.session.completed", "failed:supplier_failed", "refunding:refund_started", "refunded:refund_created"]);
  });

  it("sends a refund Stripe refuses to review", async () => {
    await start({ simulator: { behaviours: { "steam-20-usd": { outcome: "fail", code: "operator_rejected" } } } });
    const customer = h.customer(2007);
    const orderId = await paidOrder(h, 2007, STEAM);
    // Stripe refuses: the payment intent is unknown to it.
    h.stripe.sessions.forEach((s) => {
      if (s.client_reference_id === orderId) s.payment_intent = "pi_gone";
    });
    await waitForStatus(h, orderId, "needs_review");
    expect(causes(orderId)).toContain("needs_review:refund_refused");
    await opsMessage(h, "Refund could not be made");
    expect(customer).toBeDefined();
  });

  it.each([
    ["an empty code", "empty_code", STEAM],
    ["a missing PIN", "missing_pin", RAZER],
  ] as const)("never delivers a completed order with %s: review and alert", async (_what, outcome, product) => {
    await start({ simulator: { behaviours: { [outcome === "missing_pin" ? "razer-gold-10-usd" : "steam-20-usd"]: { outcome } } } });
    const orderId = await paidOrder(h, 2008, product);
    await waitForStatus(h, orderId, "needs_review");
    expect(getDeliveredItems(h.shop.db, orderId)).toHaveLength(0);
    await opsMessage(h, orderId);
    expect(h.customer(2008).messages().some((m) => stripHtml(m.text).includes("How to redeem"))).toBe(false);
  });

  it("treats a 500 that carries insufficient_balance as a balance problem: alert at once, review, retried when an admin says so", async () => {
    await start({ simulator: { balance: { amount: 100, currency: "USD" }, balanceErrorAs500: true } });
    const orderId = await paidOrder(h, 2009, STEAM);
    await waitForStatus(h, orderId, "needs_review");
    expect(h.supplier.requests.filter((r) => r.method === "POST" && r.path === "/orders")).toHaveLength(1);
    await opsMessage(h, "Supplier balance too low");
    h.supplier.balance.amount = 1_000_000;
    h.customer(ADMIN_ID);
    h.telegram.sendText(ADMIN_ID, `/retry ${orderId}`);
    await h.telegram.waitFor(ADMIN_ID, (m) => m.text.includes("retrying"));
    await waitForStatus(h, orderId, "delivered");
    expect(causes(orderId)).toContain("paid:admin_retry");
    expect(getOrderEvents(h.shop.db, orderId).find((e) => e.cause === "admin_retry")!.actor).toBe(`admin:${ADMIN_ID}`);
  });
});

describe("pending supplier orders", () => {
  it("completes by the supplier's webhook", async () => {
    await start({ simulator: { behaviours: { "steam-20-usd": { outcome: "pending", resolveAfterMs: 150, webhook: "once" } } } });
    const orderId = await paidOrder(h, 2101, STEAM);
    await waitForStatus(h, orderId, "delivered");
    expect(causes(orderId)).toContain("supplier_pending:supplier_pending");
    expect(h.supplier.webhooksSent[0]!.status).toBe(200);
    await h.customer(2101).expect("on its way");
  });

  it("polls every 2 minutes when no webhook comes, and delivers", async () => {
    const clock = manualClock(Date.now());
    await start({ shop: { now: clock.now }, simulator: { behaviours: { "steam-20-usd": { outcome: "pending", resolveAfterPolls: 3, webhook: "none" } } } });
    const orderId = await paidOrder(h, 2102, STEAM);
    await waitForStatus(h, orderId, "supplier_pending");
    const entered = getOrder(h.shop.db, orderId)!;
    expect(entered.nextAttemptAt! - clock.now()).toBe(2 * 60_000);
    for (let poll = 1; poll <= 3; poll++) {
      clock.advance(2 * 60_000);
      h.shop.worker.wake();
      if (poll < 3) await waitUntil(() => getOrder(h.shop.db, orderId)!.attempts === poll);
    }
    await waitForStatus(h, orderId, "delivered");
    expect(h.supplier.requests.filter((r) => r.method === "GET" && r.path.startsWith("/orders/SUP-"))).toHaveLength(3);
  });

  it("goes to review with an alert after 10 minutes of polling", async () => {
    const clock = manualClock(Date.now());
    await start({ shop: { now: clock.now }, simulator: { behaviours: { "steam-20-usd": { outcome: "pending", webhook: "none" } } } });
    const orderId = await paidOrder(h, 2103, STEAM);
    await waitForStatus(h, orderId, "supplier_pending");
    for (let minute = 2; minute <= 10; minute += 2) {
      clock.advance(2 * 60_000);
      h.shop.worker.wake();
      if (minute < 10) await waitUntil(() => getOrder(h.shop.db, orderId)!.attempts === minute / 2);
    }
    await waitForStatus(h, orderId, "needs_review");
    expect(causes(orderId).at(-1)).toBe("needs_review:supplier_pending_too_long");
    await opsMessage(h, "still pending after 10 minutes");
  });

  it("ignores duplicate, late and out-of-order supplier webhooks beyond the first", async () => {
    await start({ simulator: { behaviours: { "steam-20-usd": { outcome: "pending", resolveAfterMs: 100, webhook: "out_of_order" }, "steam-50-usd": { outcome: "pending", resolveAfterMs: 100, webhook: "twice" } } } });
    const first = await paidOrder(h, 2104, STEAM);
    const second = await paidOrder(h, 2105, STEAM_50);
    await waitForStatus(h, first, "delivered");
    await waitForStatus(h, second, "delivered");
    await waitUntil(() => h.supplier.webhooksSent.length >= 4 && h.supplier.webhooksSent.every((w) => w.status === 200));
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const [orderId, chat] of [[first, 2104], [second, 2105]] as const) {
      expect(statusOf(h, orderId)).toBe("delivered");
      expect(h.customer(chat).messages().filter((m) => stripHtml(m.text).includes("How to redeem"))).toHaveLength(1);
      expect(getOrderEvents(h.shop.db, orderId).filter((e) => e.toStatus === "delivered")).toHaveLength(1);
    }
  });

  describe("a webhook that lands while the order's step is in flight is not lost", () => {
    let proxy: HoldingProxy;
    const wokenByWebhook = (orderId: string) =>
      h.shop.db.$client.prepare("SELECT 1 FROM supplier_events WHERE reference = ? AND outcome = 'order_due'").get(orderId) !== undefined;
    afterEach(async () => {
      await proxy?.close();
    });
    // The supplier's answer "pending" is on its way back (held by a slow network) when its webhook "completed"
    // arrives; the step then writes its own schedule. The code must follow at once, not a poll interval later.
    const startBehindProxy = async (clock?: ReturnType<typeof manualClock>) => {
      proxy = await startHoldingProxy(() => h.supplier.url);
      await start({
        env: { SUPPLIER_API_URL: proxy.url },
        ...(clock ? { shop: { now: clock.now } } : {}),
        simulator: { behaviours: { "steam-20-usd": { outcome: "pending", webhook: "once" } } },
      });
    };

    it("while the order is being placed", async () => {
      await startBehindProxy();
      const placed = proxy.holdNext((method, path) => method === "POST" && path === "/orders");
      const orderId = await paidOrder(h, 2107, STEAM);
      const answer = await placed;
      expect(JSON.parse(answer.body)).toMatchObject({ status: "pending" });
      h.supplier.resolvePending();
      await waitUntil(() => h.supplier.webhooksSent[0]?.status === 200);
      await waitUntil(() => wokenByWebhook(orderId), 5_000, "the webhook to wake the order");
      answer.release();
      // The poll interval is 2 minutes: delivered within seconds means the wake-up was kept.
      await waitForStatus(h, orderId, "delivered", 5_000);
      expect(causes(orderId)).toContain("supplier_pending:supplier_pending");
    });

    it("while the order is being polled", async () => {
      const clock = manualClock(Date.now());
      await startBehindProxy(clock);
      const orderId = await paidOrder(h, 2108, STEAM);
      await waitForStatus(h, orderId, "supplier_pending");
      const polled = proxy.holdNext((method, path) => method === "GET" && path.startsWith("/orders/SUP-"));
      clock.advance(2 * 60_000);
      h.shop.worker.wake();
      const answer = await polled;
      expect(JSON.parse(answer.body)).toMatchObject({ status: "pending" });
      h.supplier.resolvePending();
      await waitUntil(() => wokenByWebhook(orderId), 5_000, "the webhook to wake the order");
      answer.release();
      // The clock stands still: only the kept wake-up can bring the next poll.
      await waitForStatus(h, orderId, "delivered", 5_000);
    });
  });

  it("rejects a supplier webhook with a bad signature: 400, nothing stored", async () => {
    await start({ simulator: { behaviours: { "steam-20-usd": { outcome: "pending", resolveAfterMs: 50, webhook: "bad_signature" } } } });
    const orderId = await paidOrder(h, 2106, STEAM);
    await waitUntil(() => h.supplier.webhooksSent[0]?.status === 400);
    expect(h.shop.db.$client.prepare("SELECT count(*) AS n FROM supplier_events").get()).toEqual({ n: 0 });
    expect(statusOf(h, orderId)).toBe("supplier_pending");
  });
});

describe("Telegram failures", () => {
  it("keeps Telegram's pace itself: a burst to one chat gets no 429", async () => {
    await start({ shop: { pacing: {} } });
    h.telegram.limits = {}; // Telegram's figures: a burst of 3 to a quiet chat, then one a second
    const customer = h.customer(2200);
    const commands = ["/help", "/support", "/orders", "/help", "/support"];
    for (const command of commands) customer.say(command);
    await waitUntil(() => h.telegram.calls.filter((c) => c.method === "sendMessage" && c.status === 200).length === commands.length, 15_000);
    expect(h.telegram.calls.filter((c) => c.status === 429)).toHaveLength(0);
    const sends = h.telegram.calls.filter((c) => c.method === "sendMessage").map((c) => c.at);
    // Three at once (the burst), then one per gap.
    expect(sends[2]! - sends[0]!).toBeLessThan(1_000);
    expect(sends[4]! - sends[2]!).toBeGreaterThanOrEqual(2_000);
  });

  it("waits retry_after on a 429, then sends", async () => {
    await start();
    h.telegram.failNext("sendMessage", 1, { code: 429, description: "Too Many Requests: retry after 1", retry_after: 1 });
    const customer = h.customer(2201);
    customer.say("/start");
    const started = Date.now();
    await customer.expect("Pick a category");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("moves the order to delivery_failed on a 403, keeps the code for /orders, tells ops", async () => {
    await start();
    const customer = h.customer(2202);
    const orderId = await (async () => {
      const opened = await openOrder(h, customer, STEAM);
      h.telegram.blocked.add(2202);
      await h.stripe.completeCheckout(opened.sessionId);
      return opened.orderId;
    })();
    await waitForStatus(h, orderId, "delivery_failed");
    await opsMessage(h, "could not be delivered");
    expect(getDeliveredItems(h.shop.db, orderId)).toHaveLength(1);
    // The customer comes back: /orders shows the code from the encrypted store.
    h.telegram.blocked.delete(2202);
    customer.say("/orders");
    await customer.expect("Your orders");
    customer.tap(orderId);
    const code = h.supplier.orderByReference(orderId)!.items[0]!.code!;
    await customer.expect(code);
    // And an admin can resend it.
    h.customer(ADMIN_ID);
    h.telegram.sendText(ADMIN_ID, `/resend ${orderId}`);
    await waitForStatus(h, orderId, "delivered");
  });
});

describe("Stripe events", () => {
  it("a late duplicate of the payment after delivery changes nothing; an order never moves backwards", async () => {
    await start();
    const customer = h.customer(2301);
    const { orderId, sessionId } = await openOrder(h, customer, STEAM);
    const paid = h.stripe.pay(sessionId);
    await h.stripe.post(paid);
    await waitForStatus(h, orderId, "delivered");
    const expired = h.stripe.signedEvent("checkout.session.expired", { ...h.stripe.sessions.get(sessionId)!, status: "expired" });
    expect(await h.stripe.post(expired)).toBe(200);
    const replay = h.stripe.signedEvent("checkout.session.completed", JSON.parse(paid.payload).data.object);
    expect(await h.stripe.post(replay)).toBe(200);
    await waitUntil(() => (h.shop.db.$client.prepare("SELECT count(*) AS n FROM stripe_events WHERE processed_at IS NULL").get() as { n: number }).n === 0);
    expect(statusOf(h, orderId)).toBe("delivered");
    expect(h.supplier.createdByReference.get(orderId)).toBe(1);
  });

  it("records charge.refunded and charge.dispute.created on the order and tells ops", async () => {
    await start();
    const orderId = await paidOrder(h, 2302, STEAM);
    await waitForStatus(h, orderId, "delivered");
    const pi = getOrder(h.shop.db, orderId)!.stripePaymentIntentId!;
    await h.stripe.post(h.stripe.signedEvent("charge.refunded", { id: "ch_1", object: "charge", payment_intent: pi, amount_refunded: 2199, currency: "usd" }));
    await h.stripe.post(h.stripe.signedEvent("charge.dispute.created", { id: "dp_1", object: "dispute", payment_intent: pi, amount: 2199, currency: "usd", reason: "fraudulent" }));
    await waitUntil(() => getOrder(h.shop.db, orderId)!.disputedAt !== null);
    const order = getOrder(h.shop.db, orderId)!;
    expect(order.refundedAmount).toBe(2199);
    expect(order.status).toBe("delivered");
    expect(causes(orderId)).toEqual(expect.arrayContaining(["delivered:charge.refunded", "delivered:charge.dispute.created"]));
    await opsMessage(h, "Refund made in Stripe");
    await opsMessage(h, "Payment disputed");
  });

  it("keeps money paid for an expired order: review, not lost", async () => {
    await start();
    const customer = h.customer(2303);
    const { orderId, sessionId } = await openOrder(h, customer, STEAM);
    const session = h.stripe.sessions.get(sessionId)!;
    await h.stripe.post(h.stripe.signedEvent("checkout.session.expired", { ...session, status: "expired" }));
    await waitForStatus(h, orderId, "expired");
    await h.stripe.completeCheckout(sessionId);
    await waitForStatus(h, orderId, "needs_review");
    await opsMessage(h, "paid after the order was expired");
    expect(OPS_CHAT_ID).toBeLessThan(0);
  });
});

describe("the worker's schedule", () => {
  it("sleeps while a step is in flight instead of looking at the database again and again", async () => {
    await start({ env: { SUPPLIER_TIMEOUT_MS: "5000" }, simulator: { behaviours: { "steam-20-usd": { outcome: "hang", hangMs: 1_500 } } } });
    const orderId = await paidOrder(h, 2402, STEAM);
    await waitUntil(() => h.supplier.createdByReference.get(orderId) === 1);
    const before = h.shop.worker.ticks;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // The worker's idle tick is 100 ms here: about 10 looks a second. A spinning worker makes thousands.
    expect(h.shop.worker.ticks - before).toBeLessThan(40);
    await waitForStatus(h, orderId, "delivered");
  });
});

describe("unexpected errors in a step", () => {
  it("retries with backoff (not at full speed), logs at error level, counts them in /metrics, then review with an alert", async () => {
    await start({ shop: { pipeline: { backoffBaseMs: 150, backoffMaxMs: 300, maxStepErrors: 3 } } });
    // From outside the code: the database refuses to record any delivery (as a failing disk would).
    h.shop.db.$client.exec(
      "CREATE TRIGGER refuse_delivered BEFORE UPDATE OF status ON orders WHEN NEW.status = 'delivered' BEGIN SELECT RAISE(ABORT, 'disk I/O error (injected)'); END",
    );
    const orderId = await paidOrder(h, 2401, STEAM);
    await waitForStatus(h, orderId, "needs_review", 15_000);
    expect(causes(orderId).at(-1)).toBe("needs_review:step_error");
    expect(getOrder(h.shop.db, orderId)!.lastError).toMatch(/the delivery step failed unexpectedly 3 times; last: disk I\/O error \(injected\)/);
    // Three attempts, each after a backoff: the code went out three times (at least once is the promise), not hundreds.
    const code = h.supplier.orderByReference(orderId)!.items[0]!.code!;
    const sends = h.telegram.calls.filter((c) => c.method === "sendMessage" && String(c.params["text"]).includes(code)).map((c) => c.at);
    expect(sends).toHaveLength(3);
    for (let i = 1; i < sends.length; i++) expect(sends[i]! - sends[i - 1]!).toBeGreaterThanOrEqual(70);
    const errors = h.logs.map((line) => JSON.parse(line) as { level: number; msg: string; order_id?: string }).filter((l) => l.level === 50 && l.order_id === orderId);
    expect(errors.filter((l) => l.msg.startsWith("unexpected error in an order step"))).toHaveLength(3);
    const metrics = await (await fetch(`${h.shopUrl}/metrics`)).text();
    expect(metrics).toContain('shop_step_errors_total{step="delivery"} 3');
    const alert = await opsMessage(h, "Orders stopped by an unexpected error");
    expect(stripHtml(alert.text)).toContain(orderId);
    await h.customer(2401).expect("needs a quick check");
  });

  it("when even the retry cannot be written (the database refuses every write to the order), waits in memory instead of spinning", async () => {
    await start({ shop: { pipeline: { backoffBaseMs: 300, backoffMaxMs: 600 } } });
    h.shop.db.$client.exec(
      "CREATE TRIGGER refuse_fulfilled BEFORE UPDATE ON orders WHEN OLD.status = 'fulfilled' BEGIN SELECT RAISE(ABORT, 'disk I/O error (injected)'); END",
    );
    const orderId = await paidOrder(h, 2403, STEAM);
    await waitForStatus(h, orderId, "fulfilled");
    const code = () => h.supplier.orderByReference(orderId)?.items[0]?.code ?? "none";
    const sends = () => h.telegram.calls.filter((c) => c.method === "sendMessage" && String(c.params["text"]).includes(code())).length;
    await waitUntil(() => sends() >= 1);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // Backoff of 150–600 ms: a handful of attempts in 1.5 s, not one per tick.
    expect(sends()).toBeLessThanOrEqual(8);
    expect(h.logs.some((line) => line.includes("its retry could not be written"))).toBe(true);
    // The disk recovers: the next attempt delivers.
    h.shop.db.$client.exec("DROP TRIGGER refuse_fulfilled");
    await waitForStatus(h, orderId, "delivered");
  });
});
