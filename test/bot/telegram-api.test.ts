// The pacer and its lanes over real HTTP, against the fake Bot API enforcing Telegram's documented limits
// (30 a second overall; per chat a burst of 3, then one a second; 20 a minute in a group; 429 beyond).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPacer } from "../../src/bot/pacing.js";
import { createLaneApi } from "../../src/bot/telegram-api.js";
import { startFakeTelegram, type FakeTelegram } from "../../src/sandbox/fake-telegram.js";

const TOKEN = "123456:TEST-token-for-the-lanes";
let telegram: FakeTelegram;
beforeEach(async () => {
  telegram = await startFakeTelegram({ token: TOKEN, limits: {} });
  for (let id = 1; id <= 300; id++) telegram.addUser({ id, first_name: `User ${id}` });
  telegram.addGroup(-100);
});
afterEach(async () => {
  await telegram.close();
});

const sends = () => telegram.calls.filter((call) => call.method === "sendMessage");
const throttled = () => sends().filter((call) => call.status === 429);

describe("the fake Bot API enforces Telegram's limits", () => {
  it("takes a burst of 3 to a quiet chat, then answers 429 with retry_after (auto-retry waits it)", async () => {
    const api = createLaneApi(TOKEN, { apiRoot: telegram.apiRoot }, false, "interactive");
    const started = Date.now();
    await Promise.all(Array.from({ length: 5 }, (_, i) => api.sendMessage(1, `m${i}`)));
    // Two refused at first; after a second one of them fits, the other is refused again.
    expect(throttled().length).toBeGreaterThanOrEqual(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(telegram.messages(1)).toHaveLength(5);
  });

  it("answers 429 beyond 30 messages a second overall", async () => {
    const statuses = await Promise.all(Array.from({ length: 40 }, (_, i) => rawSend(100 + i)));
    expect(statuses.filter((status) => status === 429)).toHaveLength(10);
  });

  it("answers 429 beyond 20 messages a minute in a group", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push(await rawSend(-100));
    expect(statuses.filter((status) => status === 429)).toHaveLength(2);
  });
});

describe("the pacer against it", () => {
  it("sends every lane's messages without a single 429, close to 30 a second", async () => {
    const pacer = createPacer();
    const lane = (name: "interactive" | "delivery" | "alerts") => createLaneApi(TOKEN, { apiRoot: telegram.apiRoot }, pacer, name);
    const [replies, deliveries, alerts] = [lane("interactive"), lane("delivery"), lane("alerts")];
    const started = Date.now();
    await Promise.all([
      ...Array.from({ length: 100 }, (_, i) => deliveries.sendMessage(1 + (i % 50), `code ${i}`)),
      ...Array.from({ length: 5 }, (_, i) => deliveries.sendMessage(77, `code for 77 #${i}`)),
      ...Array.from({ length: 20 }, (_, i) => replies.sendMessage(150 + i, `reply ${i}`)),
      ...Array.from({ length: 3 }, (_, i) => alerts.sendMessage(-100, `alert ${i}`)),
    ]);
    const seconds = (Date.now() - started) / 1000;
    // The pacer keeps 50 ms of the second to spare; a machine busy with other work can delay one request
    // more than a later one by that much, and the fake then counts 31 in a second: a stray 429 at most.
    expect(throttled().length).toBeLessThanOrEqual(3);
    expect(sends().filter((call) => call.status === 200)).toHaveLength(128);
    // 128 messages at 30 a 1.05 s is 4.5 s; the three to the group take 6.2 s (one per 3.1 s).
    expect(seconds).toBeGreaterThanOrEqual(6);
    expect(seconds).toBeLessThan(12);
    // One chat's messages arrive in the order they were sent.
    expect(telegram.messages(77).map((m) => m.text)).toEqual(Array.from({ length: 5 }, (_, i) => `code for 77 #${i}`));
  });

  it("answers customers within a slot or two while a backlog of deliveries drains, and the backlog keeps its pace", async () => {
    const pacer = createPacer();
    const replies = createLaneApi(TOKEN, { apiRoot: telegram.apiRoot }, pacer, "interactive");
    const deliveries = createLaneApi(TOKEN, { apiRoot: telegram.apiRoot }, pacer, "delivery");
    const started = Date.now();
    const backlog = Promise.all(Array.from({ length: 150 }, (_, i) => deliveries.sendMessage(1 + (i % 100), `code ${i}`)));
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const at = Date.now();
      // Each customer gets a burst of two (a reply and its follow-up) to a quiet chat: neither waits a gap.
      await Promise.all([replies.sendMessage(200 + i, "Pick a category"), replies.sendMessage(200 + i, "…")]);
      latencies.push(Date.now() - at);
    }
    await backlog;
    const seconds = (Date.now() - started) / 1000;
    expect(throttled().length).toBeLessThanOrEqual(3);
    // Behind 150 deliveries in one queue a reply would wait up to 5 s; in its own lane, a slot or two. (A
    // stray 429 costs a reply its retry_after, a second: the median, and the pacer's own account, say more.)
    const sorted = [...latencies].sort((a, b) => a - b);
    expect(sorted[5]!, `reply latencies ${latencies.join(", ")} ms`).toBeLessThan(250);
    const { interactive, delivery } = pacer.stats.lanes;
    expect(delivery.maxWaitMs).toBeGreaterThan(3_000);
    expect(interactive.maxWaitMs).toBeLessThan(delivery.maxWaitMs / 5);
    expect(170 / seconds).toBeGreaterThanOrEqual(20);
  });
});

/** A sendMessage straight to the fake (no grammY, no retry): its HTTP status; a 429 must say when to retry. */
async function rawSend(chatId: number): Promise<number> {
  const response = await fetch(`${telegram.apiRoot}/bot${TOKEN}/sendMessage`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ chat_id: chatId, text: "x" }),
  });
  const body = (await response.json()) as { parameters?: { retry_after?: number } };
  if (response.status === 429) expect(body.parameters?.retry_after).toBeGreaterThanOrEqual(1);
  return response.status;
}
