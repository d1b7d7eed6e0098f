// The sandbox's own API across a restart: + New never hands out a customer id that already has orders in the
// database, and a customer the page remembers comes back with the language the shop speaks to them.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "../../src/sandbox/sandbox.js";

const dir = mkdtempSync(join(tmpdir(), "sandbox-api-"));
const env = { HTTP_PORT: "0", SANDBOX_DATABASE_PATH: join(dir, "sandbox.sqlite"), LOG_LEVEL: "silent" };
let sandbox: Sandbox | undefined;
afterAll(async () => {
  await sandbox?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function post(path: string, body: unknown): Promise<{ id: number; language_code: string }> {
  const response = await fetch(`${sandbox!.url}/sandbox/api/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  return (await response.json()) as { id: number; language_code: string };
}

/** Opens an unpaid order for the customer, as they would in the chat. */
async function order(id: number): Promise<string> {
  const telegram = sandbox!.telegram;
  telegram.sendText(id, "/start buy_steam-5-usd");
  const card = await telegram.waitFor(id, (m) => m.buttons.flat().some((b) => b.text.startsWith("🛒")));
  telegram.tap(id, card.message_id, card.buttons.flat().find((b) => b.text.startsWith("🛒"))!.callback_data!);
  const ask = await telegram.waitFor(id, (m) => m.buttons.flat().some((b) => b.callback_data === "q:1"));
  telegram.tap(id, ask.message_id, "q:1");
  const checkout = await telegram.waitFor(id, (m) => /ORD-\w{8}/.test(m.text));
  return /ORD-\w{8}/.exec(checkout.text)![0];
}

describe("the sandbox across a restart", () => {
  it("+ New does not reuse a customer id that has orders; a remembered customer keeps their language", async () => {
    sandbox = await startSandbox({ env });
    const first = await post("customers", { language: "pt-BR" });
    expect(first.language_code).toBe("pt-br"); // as Telegram reports it
    const orderId = await order(first.id);
    const state = (await (await fetch(`${sandbox.url}/sandbox/api/state?since=-1`)).json()) as { customers: Array<{ id: number; language: string }> };
    expect(state.customers.find((c) => c.id === first.id)!.language).toBe("pt-BR");
    await sandbox.stop();

    sandbox = await startSandbox({ env });
    const next = await post("customers", { language: "en" });
    expect(next.id).toBeGreaterThan(first.id);
    expect(sandbox.shop.db.$client.prepare("SELECT count(*) AS n FROM orders WHERE customer_id = ?").get(next.id)).toEqual({ n: 0 });
    // The page adopts the customer it remembers: the shop's database says which language they speak.
    const adopted = await post("customers", { id: first.id });
    expect(adopted.language_code).toBe("pt-br");
    expect(sandbox.shop.db.$client.prepare("SELECT customer_id FROM orders WHERE id = ?").get(orderId)).toEqual({ customer_id: first.id });
  }, 60_000);
});

describe("the sandbox offers Telegram Stars too", () => {
  it("the checkout has a Stars button; its invoice is paid through pre_checkout_query and successful_payment, and the code arrives", async () => {
    await sandbox?.stop();
    sandbox = await startSandbox({ env: { ...env, SANDBOX_DATABASE_PATH: join(dir, "stars.sqlite") } });
    const telegram = sandbox.telegram;
    const customer = await post("customers", { language: "en" });
    const orderId = await order(customer.id);
    const checkout = await telegram.waitFor(customer.id, (m) => m.text.includes(orderId) && m.buttons.flat().some((b) => b.text.startsWith("⭐ Pay")));
    expect(checkout.buttons.flat().map((b) => b.text)).toEqual(expect.arrayContaining(["💳 Pay $5.79", "⭐ Pay 450 Stars"]));
    telegram.tap(customer.id, checkout.message_id, checkout.buttons.flat().find((b) => b.text.startsWith("⭐"))!.callback_data!);
    const invoice = await telegram.waitFor(customer.id, (m) => Boolean(m.invoice));
    expect(invoice.buttons.flat()).toEqual([expect.objectContaining({ pay: true })]);
    const paid = await post("pay-invoice", { userId: customer.id, messageId: invoice.message_id });
    expect(paid).toEqual({ ok: true });
    const delivery = await telegram.waitFor(customer.id, (m) => m.text.includes("How to redeem"));
    expect(delivery.text).toContain(orderId);
    expect(telegram.calls.filter((call) => call.method === "answerPreCheckoutQuery").map((call) => call.params["ok"])).toEqual([true]);
    // Paying it again is refused by the shop's pre-checkout answer, as Telegram would show it.
    const again = await post("pay-invoice", { userId: customer.id, messageId: invoice.message_id });
    expect(again).toEqual({ ok: false, error_message: "This order is already paid or closed." });
  }, 60_000);

  it("its pages have a favicon", async () => {
    const page = await (await fetch(`${sandbox!.url}/`)).text();
    expect(page).toContain('<link rel="icon" href="/favicon.svg"');
    for (const path of ["/favicon.svg", "/favicon.ico"]) {
      const icon = await fetch(`${sandbox!.url}${path}`);
      expect(icon.status).toBe(200);
      expect(icon.headers.get("content-type")).toBe("image/svg+xml");
      expect(await icon.text()).toMatch(/^<svg /);
    }
  });
});
