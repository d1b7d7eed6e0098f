// Loose ends customers and operators trip over (issue 19), each through the real shop against the fakes: a
// double tap inside the checkout, a shop name with HTML in it, paying a re-opened Stars order, a customer who
// unblocks the bot, codes that expire.
import { afterEach, describe, expect, it } from "vitest";
import { stripHtml } from "../../src/sandbox/fake-telegram.js";
import { startHarness, waitUntil, type Harness } from "../helpers/harness.js";

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe("a fast double tap inside the checkout", () => {
  it("is not an error: the second edit finds the message as it is, and the quantity buttons still work", async () => {
    h = await startHarness();
    const c = h.customer(19_001);
    c.say("/start buy_steam-20-usd");
    const card = await c.expect("Steam Wallet 20 USD");
    const buy = card.buttons.flat().find((b) => b.text.startsWith("🛒"))!.callback_data!;
    // Two taps on Buy before the bot answered the first: both edit the card into the same question.
    const first = h.telegram.tap(c.id, card.message_id, buy);
    const second = h.telegram.tap(c.id, card.message_id, buy);
    await waitUntil(() => h.telegram.callbackAnswers.has(first) && h.telegram.callbackAnswers.has(second), 5000, "both taps answered");
    await c.expect("how many codes?");
    c.tap("1 ×");
    const checkout = await c.expect(/Order ORD-\w{8}/);
    expect(checkout.buttons.flat().some((b) => b.url)).toBe(true);
    const everything = c.messages().map((m) => stripHtml(m.text)).join("\n");
    expect(everything).not.toContain("Something went wrong");
    expect([...h.telegram.callbackAnswers.values()].map((a) => a.text ?? "")).not.toContain("Something went wrong on our side. Nothing was charged twice; please try again.");
    expect(h.logs.filter((line) => line.includes('"update failed"'))).toEqual([]);
  });
});
