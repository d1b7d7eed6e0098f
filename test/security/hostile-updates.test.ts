// Fabricated Telegram updates: nonsense callback data, very long texts, unknown commands, chats the bot
// has never seen, group chats. No crash, every tap answered, nothing ordered, and the bot still answers.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, waitUntil, type Harness } from "../helpers/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const orders = () => (h.shop.db.$client.prepare("SELECT count(*) AS n FROM orders").get() as { n: number }).n;

describe("fabricated updates", () => {
  it("answers every callback query, whatever its data, and orders nothing", async () => {
    const ids: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.oneof(
          fc.string({ maxLength: 64 }),
          fc.constantFrom("b:steam-20-usd:1:1", "b:steam-20-usd:99:2199", "b:../../etc:1:1", "x:ORD-ZZZZZZZZ", "ar:ORD-00000000", "af:ORD-00000000", "ac:ORD-00000000", "lang:xx", "os:99999", "q:0", "c:%00:0"),
        ),
        async (userId, data) => {
          h.telegram.addUser({ id: userId, first_name: "Stranger" });
          ids.push(h.telegram.tap(userId, 999_999, data));
        },
      ),
      { numRuns: 120 },
    );
    await waitUntil(() => ids.every((id) => h.telegram.callbackAnswers.has(id)), 20_000, "every tap answered");
    expect(orders()).toBe(0);
  });

  it("survives very long texts, unknown commands and odd chats, and keeps answering", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2 ** 40 }),
        fc.oneof(fc.string({ minLength: 1, maxLength: 5000 }), fc.string({ minLength: 1, maxLength: 40 }).map((s) => `/${s}`), fc.constantFrom("/start buy_", "/start paid_ORD-00000000", "/start paid_../", "/start " + "x".repeat(500), "/order", "/retry ORD-00000000")),
        async (userId, text) => {
          h.telegram.sendText(userId, text);
        },
      ),
      { numRuns: 120 },
    );
    // Updates the shop cannot attribute to a private chat: a channel post, an edited message, a group message.
    h.telegram.pushUpdate({ channel_post: { message_id: 1, chat: { id: -1009, type: "channel", title: "c" }, date: 0, text: "/start" } });
    h.telegram.pushUpdate({ edited_message: { message_id: 1, chat: { id: 5, type: "private", first_name: "x" }, from: { id: 5, is_bot: false, first_name: "x" }, date: 0, edit_date: 0, text: "hi" } });
    h.telegram.pushUpdate({ message: { message_id: 2, chat: { id: -1005, type: "group", title: "g" }, from: { id: 6, is_bot: false, first_name: "y" }, date: 0, text: "/stats" } });
    const probe = h.customer(8_000_001);
    probe.say("/help");
    await probe.expect("This bot sells gift cards", 20_000);
    expect(orders()).toBe(0);
    expect(h.logs.join("").includes('"level":60')).toBe(false);
  });
});
