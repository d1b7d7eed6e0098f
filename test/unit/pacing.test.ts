import { describe, expect, it } from "vitest";
import { createPacer, type Lane, type PacerOptions } from "../../src/bot/pacing.js";

/**
 * A pacer on a virtual clock: sleeping moves the clock (to the next planned arrival first, which may wake
 * the pacer early), so a schedule of many seconds is checked exactly and in no time. The clock moves in a
 * macrotask, after the sends just released have recorded their time; a sleep cut short moves it not at all.
 */
function virtualPacer(options: PacerOptions = {}) {
  let clock = 0;
  const planned: Array<{ at: number; run: () => void }> = [];
  const sent: Array<{ chat: number; lane: Lane; at: number; queuedAt: number }> = [];
  const pacer = createPacer({
    now: () => clock,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) =>
        setImmediate(() => {
          // Woken early (a message arrived): the time did not pass.
          if (signal.aborted) return resolve();
          planned.sort((a, b) => a.at - b.at);
          const next = planned[0];
          if (next && next.at <= clock + ms) {
            planned.shift();
            clock = Math.max(clock, next.at);
            next.run();
          } else clock += ms;
          resolve();
        }),
      ),
    ...options,
  });
  const send = (chat: number, lane: Lane = "interactive") => {
    const queuedAt = clock;
    return pacer.reserve(chat, lane).then(() => void sent.push({ chat, lane, at: clock, queuedAt }));
  };
  return {
    pacer,
    sent,
    send,
    /** A message that arrives at `at` (virtual ms), while the pacer sleeps. */
    later(at: number, chat: number, lane: Lane): Promise<void> {
      return new Promise((resolve) => planned.push({ at, run: () => void send(chat, lane).then(resolve) }));
    },
    /** Moves the clock while nothing waits. */
    idleUntil(at: number) {
      clock = Math.max(clock, at);
    },
  };
}

/** The most messages in any window of `ms` (half-open, as Telegram counts). */
function mostInWindow(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= ms) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe("pacing", () => {
  it("never lets more than 30 messages into any second, and keeps close to 30 a second", async () => {
    const { send, sent } = virtualPacer();
    // 600 deliveries at once, 6 per chat over 100 chats.
    await Promise.all(Array.from({ length: 600 }, (_, i) => send(i % 100, "delivery")));
    const times = sent.map((s) => s.at);
    // 30 a second with 30 ms to spare for network jitter.
    expect(mostInWindow(times, 1_030)).toBeLessThanOrEqual(30);
    const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
    expect(600 / seconds).toBeGreaterThanOrEqual(28);
  });

  it("lets a quiet chat take a short burst at once, then one a second; a group one every three seconds", async () => {
    const { send, sent } = virtualPacer();
    for (let i = 0; i < 6; i++) await send(42);
    for (let i = 0; i < 3; i++) await send(-100, "alerts");
    const private42 = sent.filter((s) => s.chat === 42).map((s) => s.at);
    const group = sent.filter((s) => s.chat === -100).map((s) => s.at);
    expect(private42.slice(0, 3)).toEqual([0, 0, 0]);
    for (let i = 3; i < private42.length; i++) expect(private42[i]! - private42[i - 1]!).toBeGreaterThanOrEqual(1_050);
    for (let i = 1; i < group.length; i++) expect(group[i]! - group[i - 1]!).toBeGreaterThanOrEqual(3_000);
  });

  it("gives a chat its burst back after it has been quiet, and no sooner", async () => {
    const v = virtualPacer();
    for (let i = 0; i < 3; i++) await v.send(7);
    // Two gaps later the chat has two messages of burst again, not three.
    v.idleUntil(2 * 1_050);
    await Promise.all([v.send(7), v.send(7), v.send(7)]);
    const times = v.sent.map((s) => s.at);
    expect(times.slice(3)).toEqual([2_100, 2_100, 3_150]);
  });

  it("does not hold up a message that breaks no limit", async () => {
    const { pacer } = virtualPacer();
    await pacer.reserve(1);
    await pacer.reserve(2);
    await pacer.reserve(2, "delivery");
    expect(pacer.stats.delayed).toBe(0);
  });

  it("sends a customer's reply before a backlog of deliveries: within a slot or two of its arrival", async () => {
    const v = virtualPacer();
    const deliveries = Array.from({ length: 300 }, (_, i) => v.send(10_000 + i, "delivery"));
    // Customers write while the backlog drains: a reply every 250 ms for 5 s, each to a quiet chat.
    const replies = Array.from({ length: 20 }, (_, i) => v.later(500 + i * 250, 1 + i, "interactive"));
    await Promise.all([...deliveries, ...replies]);
    const waits = v.sent.filter((s) => s.lane === "interactive").map((s) => s.at - s.queuedAt);
    expect(waits).toHaveLength(20);
    // A send slot is 35 ms: the wait is for the next slot, the window's burst (3 slots at once, once a
    // window) and a delivery whose share is due.
    expect(Math.max(...waits)).toBeLessThanOrEqual(4 * 35);
    // No slot goes unused meanwhile: the backlog drains at the full rate, less the replies' slots.
    const last = Math.max(...v.sent.map((s) => s.at));
    expect(v.sent.length / (last / 1000)).toBeGreaterThanOrEqual(28);
  });

  it("keeps deliveries their share under a flood of replies, and alerts and broadcasts theirs", async () => {
    const v = virtualPacer();
    // Far more replies than Telegram would take (to distinct chats), with every other lane waiting too.
    const all = [
      ...Array.from({ length: 2_000 }, (_, i) => v.send(1 + i, "interactive")),
      ...Array.from({ length: 200 }, (_, i) => v.send(100_000 + i, "delivery")),
      ...Array.from({ length: 20 }, (_, i) => v.send(200_000 + i, "alerts")),
      ...Array.from({ length: 20 }, (_, i) => v.send(300_000 + i, "broadcast")),
    ];
    await Promise.all(all);
    // In the first 300 sends, while every lane still has messages waiting: 30 %, 5 % and 5 %.
    const first = v.sent.slice(0, 300);
    const count = (lane: Lane) => first.filter((s) => s.lane === lane).length;
    expect(count("delivery")).toBeGreaterThanOrEqual(85);
    expect(count("alerts")).toBeGreaterThanOrEqual(14);
    expect(count("broadcast")).toBeGreaterThanOrEqual(14);
    expect(count("interactive")).toBeGreaterThanOrEqual(300 - 90 - 15 - 15 - 3);
  });

  it("lets deliveries take every slot the replies leave free", async () => {
    const v = virtualPacer();
    const deliveries = Array.from({ length: 100 }, (_, i) => v.send(10_000 + i, "delivery"));
    const replies = Array.from({ length: 10 }, (_, i) => v.send(1 + i, "interactive"));
    await Promise.all([...deliveries, ...replies]);
    // Three deliveries went at once before the replies came; then the replies, but for the deliveries' share.
    expect(v.sent.slice(0, 3).every((s) => s.lane === "delivery")).toBe(true);
    expect(v.sent.slice(0, 17).filter((s) => s.lane === "interactive")).toHaveLength(10);
    // No slot goes unused: 110 messages at 30 a 1.05 s.
    const last = Math.max(...v.sent.map((s) => s.at));
    expect(last).toBeLessThanOrEqual((110 / 30) * 1_050);
  });

  it("does not let a chat that must wait hold up the lane behind it", async () => {
    const v = virtualPacer();
    // Five deliveries to one customer first in the queue, then one each to ten others.
    const sends = [...Array.from({ length: 5 }, () => v.send(500, "delivery")), ...Array.from({ length: 10 }, (_, i) => v.send(600 + i, "delivery"))];
    await Promise.all(sends);
    const others = v.sent.filter((s) => s.chat !== 500).map((s) => s.at);
    expect(Math.max(...others)).toBeLessThan(1_000);
    const same = v.sent.filter((s) => s.chat === 500).map((s) => s.at);
    expect(same).toHaveLength(5);
    // A burst of three, then a gap per message.
    expect(same[4]! - same[0]!).toBeGreaterThanOrEqual(2 * 1_050);
  });

  it("counts a chat's messages across lanes", async () => {
    const v = virtualPacer();
    await Promise.all([v.send(9, "delivery"), v.send(9, "delivery"), v.send(9, "delivery"), v.send(9, "interactive")]);
    const times = v.sent.map((s) => s.at).sort((a, b) => a - b);
    expect(times[3]! - times[0]!).toBeGreaterThanOrEqual(1_050);
  });

  it("only paces calls that create messages", async () => {
    const pacer = createPacer({ privateGapMs: 60_000, privateBurst: 1 });
    const calls: string[] = [];
    const prev = async (method: string) => {
      calls.push(method);
      return { ok: true as const, result: true };
    };
    const paced = pacer.transformer("interactive");
    await paced(prev as never, "sendMessage", { chat_id: 1, text: "a" } as never);
    const started = Date.now();
    await paced(prev as never, "editMessageText", { chat_id: 1, message_id: 1, text: "b" } as never);
    await paced(prev as never, "answerCallbackQuery", { callback_query_id: "x" } as never);
    expect(Date.now() - started).toBeLessThan(100);
    expect(calls).toEqual(["sendMessage", "editMessageText", "answerCallbackQuery"]);
  });
});
