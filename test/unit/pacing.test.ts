import { describe, expect, it } from "vitest";
import { createPacer } from "../../src/bot/pacing.js";

/** A pacer on a virtual clock: sleeping moves the clock, so the schedule can be checked exactly. */
function virtualPacer(options = {}) {
  let clock = 0;
  const sent: Array<{ chat: number; at: number }> = [];
  const pacer = createPacer({ now: () => clock, sleep: async (ms) => void (clock = Math.max(clock, clock + ms)), ...options });
  return {
    pacer,
    sent,
    async send(chat: number, at?: number) {
      if (at !== undefined) clock = Math.max(clock, at);
      const start = clock;
      await pacer.reserve(chat);
      sent.push({ chat, at: Math.max(clock, start) });
    },
  };
}

describe("pacing", () => {
  it("never lets more than 30 messages into any 1.1-second window", async () => {
    const { send, sent } = virtualPacer();
    // 600 deliveries at once, 6 per chat over 100 chats, reserved in order.
    const reservations = [];
    for (let i = 0; i < 600; i++) reservations.push(await reservedAt(send, i % 100));
    const times = sent.map((s) => s.at).sort((a, b) => a - b);
    for (let i = 0; i + 30 < times.length; i++) expect(times[i + 30]! - times[i]!).toBeGreaterThanOrEqual(1_100);
    expect(reservations.length).toBe(600);
  });

  it("keeps a second between messages to one private chat, three seconds in a group", async () => {
    const { send, sent } = virtualPacer();
    for (let i = 0; i < 5; i++) await send(42);
    for (let i = 0; i < 3; i++) await send(-100);
    const private42 = sent.filter((s) => s.chat === 42).map((s) => s.at);
    const group = sent.filter((s) => s.chat === -100).map((s) => s.at);
    for (let i = 1; i < private42.length; i++) expect(private42[i]! - private42[i - 1]!).toBeGreaterThanOrEqual(1_050);
    for (let i = 1; i < group.length; i++) expect(group[i]! - group[i - 1]!).toBeGreaterThanOrEqual(3_000);
  });

  it("does not hold up a message that breaks no limit", async () => {
    const { pacer } = virtualPacer();
    await pacer.reserve(1);
    await pacer.reserve(2);
    expect(pacer.stats.delayed).toBe(0);
  });

  it("only paces calls that create messages", async () => {
    const pacer = createPacer({ privateGapMs: 60_000 });
    const calls: string[] = [];
    const prev = async (method: string) => {
      calls.push(method);
      return { ok: true as const, result: true };
    };
    await pacer.transformer(prev as never, "sendMessage", { chat_id: 1, text: "a" } as never);
    const started = Date.now();
    await pacer.transformer(prev as never, "editMessageText", { chat_id: 1, message_id: 1, text: "b" } as never);
    await pacer.transformer(prev as never, "answerCallbackQuery", { callback_query_id: "x" } as never);
    expect(Date.now() - started).toBeLessThan(100);
    expect(calls).toEqual(["sendMessage", "editMessageText", "answerCallbackQuery"]);
  });
});

async function reservedAt(send: (chat: number) => Promise<void>, chat: number) {
  await send(chat);
  return chat;
}
