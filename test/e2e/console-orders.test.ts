// The console's bulk actions on orders, through the real bot: /review paged and redrawn after an action, /retry all
// (only the causes a retry may fix, asked first), the Retry all button under the review alert, the automatic retry
// of orders held for the supplier's balance once a top-up is seen, and /export as a CSV parsed back. A stranger can
// do none of it.
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPORT_COLUMNS } from "../../src/orders/export.js";
import { getOrder, getOrderEvents } from "../../src/orders/repository.js";
import { stripHtml } from "../../src/sandbox/fake-telegram.js";
import {
  ADMIN_ID,
  OPS_CHAT_ID,
  STEAM_20,
  STEAM_50,
  askBot,
  buttonData,
  confirmAsAdmin,
  openOrder,
  opsMessage,
  paidOrder,
  startHarness,
  tapAndWait,
  waitForStatus,
  type Harness,
} from "../helpers/harness.js";

const OPS = { chatId: OPS_CHAT_ID };
const STRANGER = 666;
let h: Harness;
const heldForBalance: string[] = [];
const supplierDown: string[] = [];
let untrusted: string;
let mismatch: string;
let delivered: string;

beforeAll(async () => {
  h = await startHarness({
    simulator: { behaviours: { "steam-50-usd": { outcome: "empty_code" }, "psn-25-usd": { outcome: "error", status: 503, code: "unavailable" } } },
    shop: { pipeline: { backoffBaseMs: 20 } },
  });
  h.customer(ADMIN_ID);
  h.customer(STRANGER);
  delivered = await paidOrder(h, 9000, STEAM_20);
  await waitForStatus(h, delivered, "delivered");
  // The supplier's account is empty: its balance is read once like that (the monitors' check), then orders fail on it.
  h.supplier.balance.amount = 0;
  await h.shop.monitors.check();
  for (let i = 0; i < 5; i++) heldForBalance.push(await paidOrder(h, 9001 + i, STEAM_20));
  for (const id of heldForBalance) await waitForStatus(h, id, "needs_review");
  // Other causes, with money in the account: the supplier down for PlayStation cards, a code it sent that cannot be trusted.
  h.supplier.balance.amount = 125_000_00;
  for (let i = 0; i < 2; i++) supplierDown.push(await paidOrder(h, 9010 + i, ["/start buy_psn-25-usd"]));
  untrusted = await paidOrder(h, 9020, STEAM_50);
  const c = h.customer(9021);
  const opened = await openOrder(h, c, ["/start buy_xbox-15-usd"]);
  mismatch = opened.orderId;
  await h.stripe.completeCheckout(opened.sessionId, { amount_total: 100 });
  for (const id of [...heldForBalance, ...supplierDown, untrusted, mismatch]) await waitForStatus(h, id, "needs_review");
});
afterAll(async () => {
  await h.close();
});

const events = (id: string, cause: string) => getOrderEvents(h.shop.db, id).filter((e) => e.cause === cause);

describe("/review", () => {
  it("is paged, with the buttons of each order and Retry all for those a retry may fix", async () => {
    const list = await askBot(h, ADMIN_ID, "/review", "In review (9) · page 1/2", OPS);
    expect(stripHtml(list.text).match(/ORD-\w{8}/g)).toHaveLength(8);
    expect(buttonData(list, "Retry all (7)")).toBe("ops:retry_all");
    await tapAndWait(h, ADMIN_ID, list, buttonData(list, "Next ➡️"));
    const second = await h.telegram.waitFor(OPS_CHAT_ID, (m) => m.message_id === list.message_id && stripHtml(m.text).includes("page 2/2"));
    expect(stripHtml(second.text).match(/ORD-\w{8}/g)).toHaveLength(1);
  });

  it("is redrawn after an action taken from it: a refund confirmed takes the order off the list", async () => {
    const list = await askBot(h, ADMIN_ID, "/review", "In review (9)", OPS);
    await tapAndWait(h, ADMIN_ID, list, `af:${mismatch}`);
    await confirmAsAdmin(h, `Refund order ${mismatch}?`, OPS_CHAT_ID);
    await h.telegram.waitFor(OPS_CHAT_ID, (m) => m.message_id === list.message_id && stripHtml(m.text).includes("In review (8)") && !m.text.includes(mismatch));
    await waitForStatus(h, mismatch, "refunded");
  });

  it("the review alert carries a Retry all button", async () => {
    const alert = await opsMessage(h, "Orders need review");
    expect(buttonData(alert, "🔁 Retry all")).toBe("ops:retry_all");
  });
});

describe("/retry all", () => {
  it("asks first with the orders and amounts, then retries only the ones a retry may fix", async () => {
    const question = await askBot(h, ADMIN_ID, "/retry all", "Retry 7 order(s) in review?", OPS);
    const text = stripHtml(question.text);
    for (const id of [...heldForBalance, ...supplierDown]) expect(text).toContain(id);
    expect(text).not.toContain(untrusted);
    expect(text).toMatch(/Total \$\d{3}\.\d\d/);
    expect(text).toContain("insufficient_balance");
    expect(text).toContain("retries_exhausted");
    // The supplier is back for PlayStation cards, and the account has money again.
    h.supplier.setBehaviour("psn-25-usd", undefined);
    h.supplier.balance.amount = 125_000_00;
    await confirmAsAdmin(h, "Retry 7 order(s) in review?", OPS_CHAT_ID);
    await h.telegram.waitFor(OPS_CHAT_ID, (m) => m.message_id === question.message_id && stripHtml(m.text).includes("7 of 7 retried"));
    for (const id of [...heldForBalance, ...supplierDown]) {
      await waitForStatus(h, id, "delivered");
      expect(events(id, "admin_retry_all")[0]!.actor).toBe(`admin:${ADMIN_ID}`);
    }
    expect(getOrder(h.shop.db, untrusted)!.status).toBe("needs_review");
    expect(events(untrusted, "admin_retry_all")).toHaveLength(0);
  });

  it("the orders held for the balance are retried by themselves once a top-up is seen, with one alert", async () => {
    h.supplier.balance.amount = 0;
    await h.shop.monitors.check();
    const held = [await paidOrder(h, 9030, STEAM_20), await paidOrder(h, 9031, STEAM_20)];
    for (const id of held) await waitForStatus(h, id, "needs_review");
    h.supplier.balance.amount = 125_000_00;
    await h.shop.monitors.check();
    for (const id of held) await waitForStatus(h, id, "delivered");
    for (const id of held) expect(events(id, "auto_retry_balance")[0]!.actor).toBe("system");
    // Alerts go out 3 s apart (a group takes 20 a minute): others may be waiting before this one.
    const alert = await opsMessage(h, "Supplier balance topped up", 30_000);
    expect(stripHtml(alert.text)).toContain("2 order(s) held for lack of balance retried automatically");
    expect(buttonData(alert, "Retry all")).toBe("ops:retry_all");
    // The untrusted answer is not a balance matter: left for a person.
    expect(getOrder(h.shop.db, untrusted)!.status).toBe("needs_review");
  });
});

describe("/export", () => {
  it("sends a CSV of the orders, parsed back: one row each, the columns accounting needs, never a code", async () => {
    const before = h.telegram.version;
    h.telegram.sendText(ADMIN_ID, "/export", OPS);
    const file = await h.telegram.waitFor(OPS_CHAT_ID, (m) => m.version > before && Boolean(m.document));
    expect(file.document!.file_name).toMatch(/^orders-start-to-\d{4}-\d\d-\d\d\.csv$/);
    const content = file.document!.content!;
    const rows = parse(content, { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(rows[0]!)).toEqual([...EXPORT_COLUMNS]);
    const count = h.shop.db.$client.prepare<[], { n: number }>("SELECT count(*) AS n FROM orders").get()!.n;
    expect(rows).toHaveLength(count);
    expect(stripHtml(file.text)).toContain(`${count} order(s)`);
    const row = rows.find((r) => r["order_id"] === delivered)!;
    expect(row).toMatchObject({ customer_id: "9000", sku: "steam-20-usd", product: "Steam Wallet 20 USD", quantity: "1", amount: "21.99", currency: "USD", payment_method: "stripe", status: "delivered", supplier_reference: delivered });
    expect(row["created_at"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // Stripe refunds what it charged: the 1.00 that did not match the order.
    expect(rows.find((r) => r["order_id"] === mismatch)).toMatchObject({ status: "refunded", refunded_amount: "1.00", amount: "16.49" });
    // No code or PIN that was delivered is anywhere in the file.
    for (const id of [delivered, ...heldForBalance, ...supplierDown]) {
      for (const item of h.supplier.orderByReference(id)?.items ?? []) {
        expect(content).not.toContain(item.code!);
        if (item.pin) expect(content).not.toContain(item.pin);
      }
    }
  });

  it("takes a range of days, and explains a wrong one", async () => {
    const before = h.telegram.version;
    h.telegram.sendText(ADMIN_ID, "/export 2000-01-01 2000-01-31", OPS);
    const file = await h.telegram.waitFor(OPS_CHAT_ID, (m) => m.version > before && Boolean(m.document));
    expect(file.document!.file_name).toBe("orders-2000-01-01-to-2000-01-31.csv");
    expect(parse(file.document!.content!, { columns: true })).toHaveLength(0);
    await askBot(h, ADMIN_ID, "/export 2026-02-30", "Dates are YYYY-MM-DD", OPS);
  });
});

describe("for a stranger", () => {
  it("the review's and the alerts' buttons do nothing", async () => {
    const list = await askBot(h, ADMIN_ID, "/review", "In review", OPS);
    await tapAndWait(h, STRANGER, list, "ops:retry_all");
    await tapAndWait(h, STRANGER, list, "rv:0");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(h.telegram.messages(OPS_CHAT_ID).filter((m) => m.message_id > list.message_id && m.from === "bot")).toHaveLength(0);
    expect(getOrder(h.shop.db, untrusted)!.status).toBe("needs_review");
  });

  it.each(["/review", "/retry all", "/export"])("%s gives no hint that it exists", async (command) => {
    const answer = await askBot(h, STRANGER, command, /./);
    expect(stripHtml(answer.text)).toBe("I don't know that command. /help lists what I can do.");
  });
});
