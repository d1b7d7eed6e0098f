// Retention under traffic: after real purchases (card and Stars, supplier webhooks, a checkout left half-way),
// rows older than RETENTION_DAYS are pruned by the shop's own job, and orders with their log and codes stay.
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connection.js";
import { pruneOldRows, RETENTION_RULES } from "../../src/db/retention.js";
import { reconcileStarsLedger } from "../../src/payments/stars-inbox.js";
import { openOrder, startHarness, waitForStatus, waitUntil, type Harness } from "../helpers/harness.js";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const DAY = 86_400_000;
const PRUNED = ["stripe_events", "supplier_events", "stars_payments", "conversation_states"];
const KEPT = ["orders", "order_events", "delivered_items", "customers"];

function counts(): Record<string, number> {
  return Object.fromEntries([...PRUNED, ...KEPT].map((table) => [table, (h.shop.db.$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n]));
}

/** Moves every recorded time of the pruned tables `days` into the past, as if the traffic had happened then. */
function age(days: number): void {
  const shift = days * DAY;
  h.shop.db.$client.exec(`
    UPDATE stripe_events SET received_at = received_at - ${shift}, processed_at = processed_at - ${shift};
    UPDATE supplier_events SET received_at = received_at - ${shift}, processed_at = processed_at - ${shift};
    UPDATE stars_payments SET received_at = received_at - ${shift}, processed_at = processed_at - ${shift};
    UPDATE conversation_states SET updated_at = updated_at - ${shift};`);
}

async function traffic(): Promise<string[]> {
  const ids: string[] = [];
  // Card payments, one of them completed by the supplier's webhook.
  for (const [index, sku] of ["steam-20-usd", "psn-25-usd", "razer-gold-10-usd"].entries()) {
    const c = h.customer(19_800 + index);
    const { orderId, sessionId } = await openOrder(h, c, [`/start buy_${sku}`]);
    await h.stripe.completeCheckout(sessionId);
    ids.push(orderId);
  }
  // A Stars payment.
  const s = h.customer(19_810);
  const before = h.telegram.version;
  s.say("/start buy_xbox-15-usd");
  await h.telegram.waitFor(s.id, (m) => m.version > before && m.buttons.flat().some((b) => b.text.startsWith("🛒")));
  s.tap(/^🛒/);
  const checkout = await h.telegram.waitFor(s.id, (m) => m.version > before && m.buttons.flat().some((b) => b.text.startsWith("⭐")));
  h.telegram.tap(s.id, checkout.message_id, checkout.buttons.flat().find((b) => b.text.startsWith("⭐"))!.callback_data!);
  const invoice = await h.telegram.waitFor(s.id, (m) => Boolean(m.invoice));
  await h.telegram.payInvoice(s.id, invoice.message_id);
  ids.push((invoice.invoice as { payload: string }).payload);
  // A checkout left at the quantity question.
  const a = h.customer(19_820);
  a.say("/start buy_steam-50-usd");
  await a.expect("Steam Wallet 50 USD");
  a.tap(/^🛒/);
  await a.expect("how many codes?");
  for (const id of ids) await waitForStatus(h, id, "delivered", 15_000);
  return ids;
}

describe("retention", () => {
  it("prunes processed events, settled Stars charges and abandoned checkouts past RETENTION_DAYS; orders stay", async () => {
    h = await startHarness({ env: { PAYMENT_METHODS: "stripe,stars", RETENTION_DAYS: "30" }, simulator: { behaviours: { "psn-25-usd": { outcome: "pending", resolveAfterMs: 50 } } } });
    await traffic();
    await waitUntil(() => counts()["supplier_events"]! > 0 && counts()["conversation_states"]! > 0, 5000, "a supplier webhook and a stored checkout");
    // Telegram's Stars ledger has been read past this payment (the shop does it every STARS_RECONCILE_INTERVAL_MS).
    await reconcileStarsLedger(h.shop.pipeline);
    const before = counts();
    for (const table of PRUNED) expect(before[table], table).toBeGreaterThan(0);

    // Younger than RETENTION_DAYS: nothing goes.
    age(29);
    expect(pruneOldRows(h.shop.db, Date.now(), 30)).toEqual({});
    expect(counts()).toEqual(before);

    // Older: the shop's retention job (it runs at start, then every 6 hours) deletes them.
    age(2);
    await h.restart();
    await waitUntil(() => PRUNED.every((table) => counts()[table] === 0), 5000, `the pruned tables to be empty (${JSON.stringify(counts())})`);
    const after = counts();
    for (const table of KEPT) expect(after[table], table).toBe(before[table]);
  });

  it("keeps what is not done, however old: an unprocessed event, a Stars charge still owed back or never returned", () => {
    const db = openDatabase(":memory:");
    const old = Date.now() - 400 * DAY;
    db.$client.prepare("INSERT INTO stripe_events (id, type, payload, received_at, processed_at) VALUES (?, 'charge.refunded', '{}', ?, ?)").run("evt_waiting", old, null);
    db.$client.prepare("INSERT INTO stripe_events (id, type, payload, received_at, processed_at) VALUES (?, 'checkout.session.completed', '{}', ?, ?)").run("evt_done", old, old);
    const star = db.$client.prepare(
      "INSERT INTO stars_payments (charge_id, order_id, user_id, amount, currency, source, received_at, processed_at, refund_due_at, refund_attempts, refunded_at) VALUES (?, 'ORD-00000000', 1, 10, 'XTR', 'update', ?, ?, ?, ?, ?)",
    );
    star.run("owed", old, old, old, 2, null);
    star.run("given-up", old, old, null, 5, null);
    star.run("returned", old, old, null, 1, old);
    star.run("paid", old, old, null, 0, null);
    expect(pruneOldRows(db, Date.now(), 90)).toEqual({ stripe_events: 1, stars_payments: 2 });
    expect(db.$client.prepare("SELECT id FROM stripe_events").all()).toEqual([{ id: "evt_waiting" }]);
    expect(db.$client.prepare("SELECT charge_id FROM stars_payments ORDER BY charge_id").all()).toEqual([{ charge_id: "given-up" }, { charge_id: "owed" }]);
  });
});

describe("the email outbox", () => {
  it("loses its settled emails past RETENTION_DAYS; one still queued or being sent stays, however old", () => {
    const db = openDatabase(":memory:");
    const old = Date.now() - 100 * DAY;
    const insert = db.$client.prepare(
      "INSERT INTO email_outbox (order_id, customer_id, purpose, to_enc, body_enc, status, created_at, sent_at, given_up_at) VALUES (?, 1, 'delivery', 'sealed', ?, ?, ?, ?, ?)",
    );
    insert.run("ORD-SENT0001", null, "sent", old, old, null);
    insert.run("ORD-GIVEN001", null, "given_up", old, null, old);
    insert.run("ORD-QUEUED01", "sealed", "queued", old, null, null);
    insert.run("ORD-SENDING1", "sealed", "sending", old, null, null);
    insert.run("ORD-SENT0002", null, "sent", Date.now(), Date.now(), null);
    expect(pruneOldRows(db, Date.now(), 90)).toEqual({ email_outbox: 2 });
    expect(db.$client.prepare("SELECT order_id FROM email_outbox ORDER BY order_id").all()).toEqual([{ order_id: "ORD-QUEUED01" }, { order_id: "ORD-SENDING1" }, { order_id: "ORD-SENT0002" }]);
  });
});

describe("the retention rules", () => {
  it("name only tables of records, never orders, their log, their codes or disputes", () => {
    expect(RETENTION_RULES.map((rule) => rule.table).sort()).toEqual([...PRUNED, "email_outbox"].sort());
  });
});
