// The alerter over a real SQLite outbox: grouping, cooldowns, pacing, a refused alert isolated, lines cut to
// Telegram's limits, a restart that sends what a crash left, and a firing condition that does not flood the log.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../src/db/connection.js";
import { MESSAGE_LIMIT, visibleLength } from "../../src/lib/telegram-text.js";
import { createLogger } from "../../src/logger.js";
import { createAlerter, DEFAULT_MIN_GAP_MS, formatAlert, type Alerter, type AlerterOptions } from "../../src/ops/alerts.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits for a condition (a loaded machine may take its time; the test asserts what, not how fast). */
async function until(probe: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!probe()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
const OPS = -100_111;

let dir: string;
let db: Db;
let logs: Array<{ level: number; msg: string; [key: string]: unknown }>;
const alerters: Alerter[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "alerts-"));
  db = openDatabase(join(dir, "a.sqlite"));
  logs = [];
});
afterEach(() => {
  for (const alerter of alerters.splice(0)) alerter.stop();
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

const logger = () =>
  createLogger(
    "debug",
    new Writable({
      write(chunk, _encoding, done) {
        logs.push(JSON.parse(chunk.toString()));
        done();
      },
    }),
  );

/** A Telegram-like refusal, as grammY's GrammyError carries it. */
function telegramError(error_code: number, description: string, parameters: Record<string, number> = {}): Error {
  return Object.assign(new Error(`Call to 'sendMessage' failed! (${error_code}: ${description})`), { error_code, description, parameters });
}

/** An ops chat that takes messages as Telegram does: at most 4096 characters. */
function chat(refuse?: (text: string, chatId: number) => Error | undefined) {
  const sent: Array<{ chatId: number; text: string; at: number }> = [];
  const send = async (chatId: number, text: string) => {
    const refusal = refuse?.(text, chatId);
    if (refusal) throw refusal;
    if (visibleLength(text) > MESSAGE_LIMIT) throw telegramError(400, "Bad Request: message is too long");
    sent.push({ chatId, text, at: Date.now() });
  };
  return { sent, send };
}

function alerter(options: Partial<AlerterOptions> & Pick<AlerterOptions, "send">): Alerter {
  const created = createAlerter({ db, chatId: OPS, logger: logger(), gatherMs: 10, minGapMs: 0, ...options });
  created.start();
  alerters.push(created);
  return created;
}

describe("the alerter", () => {
  it("groups a burst of one kind into one message that says what, how many, which orders and what to do", async () => {
    const ops = chat();
    const a = alerter({ send: ops.send, gatherMs: 30 });
    for (let i = 0; i < 25; i++) a.raise({ kind: "needs_review", orderId: `ORD-0000000${i % 10}${i >= 10 ? "X" : ""}`, text: `ORD-${i}: retries exhausted` });
    await sleep(120);
    expect(ops.sent).toHaveLength(1);
    expect(ops.sent[0]!.text).toContain("Orders need review");
    expect(ops.sent[0]!.text).toContain("Orders (20)");
    expect(ops.sent[0]!.text).toContain("… and 20 more");
    expect(ops.sent[0]!.text).toContain("What to do: Open /review");
  });

  it("keeps a cooldown per kind, and sends what gathered during it afterwards", async () => {
    const ops = chat();
    const a = alerter({ send: ops.send, gatherMs: 5, cooldownMs: 150 });
    a.raise({ kind: "stuck_orders", orderId: "ORD-1", text: "ORD-1 stuck" });
    await sleep(40);
    a.raise({ kind: "stuck_orders", orderId: "ORD-2", text: "ORD-2 stuck" });
    await sleep(40);
    expect(ops.sent).toHaveLength(1);
    await sleep(150);
    expect(ops.sent).toHaveLength(2);
    expect(ops.sent[1]!.text).toContain("ORD-2 stuck");
  });

  it("stays under 20 messages a minute for the group however many kinds fire", async () => {
    const ops = chat();
    const a = alerter({ send: ops.send, gatherMs: 0, minGapMs: 30 });
    const kinds = ["needs_review", "insufficient_balance", "low_balance", "slow_supplier", "failure_rate", "stuck_orders"] as const;
    for (const kind of kinds) a.raise({ kind, text: kind });
    await sleep(30 * kinds.length + 150);
    expect(ops.sent).toHaveLength(kinds.length);
    for (let i = 1; i < ops.sent.length; i++) expect(ops.sent[i]!.at - ops.sent[i - 1]!.at).toBeGreaterThanOrEqual(25);
  });

  it("paces at most 20 messages a minute by default", () => {
    expect(60_000 / DEFAULT_MIN_GAP_MS).toBeLessThanOrEqual(20);
  });

  it("escapes what it quotes", () => {
    expect(formatAlert("needs_review", ["<b>bad</b>"], [])).toContain("&lt;b&gt;bad&lt;/b&gt;");
  });

  it("does not let a long cooldown of one kind hold up another kind that is due sooner", async () => {
    const ops = chat();
    const a = alerter({ send: ops.send, cooldownMs: 60_000 });
    a.raise({ kind: "failure_rate", text: "first" });
    await sleep(40);
    a.raise({ kind: "failure_rate", text: "again, in its cooldown" }); // due in a minute
    a.raise({ kind: "needs_review", orderId: "ORD-1", text: "ORD-1: review" }); // due in 10 ms
    await sleep(80);
    expect(ops.sent.map((m) => m.text.split("\n")[0])).toEqual(["⚠️ <b>Order failure rate is high</b>", "⚠️ <b>Orders need review</b>"]);
  });
});

describe("an alert Telegram will not take", () => {
  it("does not hold up the others: its group is tried alert by alert, and it alone is given up with an error line", async () => {
    const refusedAt: number[] = [];
    const ops = chat((text) => {
      if (!text.includes("POISON")) return undefined;
      refusedAt.push(Date.now());
      return telegramError(400, "Bad Request: can't parse entities: unsupported start tag");
    });
    const a = alerter({ send: ops.send, maxAttempts: 2, cooldownMs: 0 });
    a.raise({ kind: "needs_review", orderId: "ORD-POISON1", text: "ORD-POISON1: POISON" });
    a.raise({ kind: "needs_review", orderId: "ORD-GOOD0001", text: "ORD-GOOD0001: retries exhausted" });
    a.raise({ kind: "dispute", orderId: "ORD-GOOD0002", text: "ORD-GOOD0002: disputed" });
    await until(() => ops.sent.length === 2 && refusedAt.length === 2, "the good alerts and two refusals");
    const texts = ops.sent.map((m) => m.text).join("\n---\n");
    expect(texts).toContain("ORD-GOOD0001");
    expect(texts).toContain("ORD-GOOD0002");
    expect(texts).not.toContain("POISON");
    // Refused with the others, then alone: that second refusal is its last (maxAttempts 2).
    expect(refusedAt).toHaveLength(2);
    const row = db.$client.prepare("SELECT attempts, given_up_at, last_error FROM alert_outbox WHERE order_id = 'ORD-POISON1'").get() as { attempts: number; given_up_at: number | null; last_error: string };
    expect(row.given_up_at).not.toBeNull();
    expect(row.last_error).toContain("can't parse entities");
    const errors = logs.filter((l) => l.level === 50 && l.msg.startsWith("Telegram refused an alert for good"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: "needs_review", order_id: "ORD-POISON1" });
    // And the next alert goes out at once.
    a.raise({ kind: "needs_review", orderId: "ORD-GOOD0003", text: "ORD-GOOD0003: later" });
    await until(() => ops.sent.length === 3, "the next alert");
    expect(ops.sent.at(-1)!.text).toContain("ORD-GOOD0003");
  });

  it("cuts a line to fit: a 10,000-character reason still goes out, under 4096", async () => {
    const ops = chat();
    const a = alerter({ send: ops.send });
    a.raise({ kind: "needs_review", orderId: "ORD-LONG0001", text: `ORD-LONG0001: ${"supplier said ".repeat(800)}` });
    for (let i = 0; i < 70; i++) a.raise({ kind: "needs_review", orderId: `ORD-MANY${String(i).padStart(4, "0")}`, text: `ORD-MANY${i}: ${"x".repeat(5_000)}` });
    await until(() => ops.sent.length === 1, "the message");
    await sleep(50);
    expect(ops.sent).toHaveLength(1);
    expect(visibleLength(ops.sent[0]!.text)).toBeLessThanOrEqual(MESSAGE_LIMIT);
    expect(ops.sent[0]!.text).toMatch(/• ORD-LONG0001: (supplier said )+\S*…\n/);
  });

  it("a chat that refuses the bot (403) is one error line, and the alerts wait for it", async () => {
    let blocked = true;
    const ops = chat(() => (blocked ? telegramError(403, "Forbidden: bot was kicked from the supergroup chat") : undefined));
    const a = alerter({ send: ops.send });
    a.raise({ kind: "needs_review", orderId: "ORD-1", text: "ORD-1: one" });
    await sleep(60);
    a.raise({ kind: "dispute", orderId: "ORD-2", text: "ORD-2: two" });
    await a.flush({ timeoutMs: 100 });
    const lines = logs.filter((l) => l.level === 50 && String(l.msg).includes("cannot post in the ops chat"));
    expect(lines).toHaveLength(1);
    expect(lines[0]!.msg).toContain("fix OPS_CHAT_ID");
    blocked = false;
    // A restart (or the pause running out) sends them.
    const again = alerter({ send: ops.send });
    await again.flush();
    expect(ops.sent.map((m) => m.text).join("\n")).toMatch(/ORD-1[\s\S]*ORD-2|ORD-2[\s\S]*ORD-1/);
  });

  it("an ops chat upgraded to a supergroup: one error naming the id to set, and the alerts go to the new chat", async () => {
    const NEW = -100_222_333;
    const ops = chat((_text, chatId) => (chatId === OPS ? telegramError(400, "Bad Request: group chat was upgraded to a supergroup chat", { migrate_to_chat_id: NEW }) : undefined));
    const a = alerter({ send: ops.send });
    a.raise({ kind: "needs_review", orderId: "ORD-1", text: "ORD-1: one" });
    await until(() => ops.sent.length === 1, "the first alert");
    a.raise({ kind: "dispute", orderId: "ORD-2", text: "ORD-2: two" });
    await until(() => ops.sent.length === 2, "the second alert");
    expect(ops.sent.map((m) => m.chatId)).toEqual([NEW, NEW]);
    const lines = logs.filter((l) => l.level === 50);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.msg).toContain(`set OPS_CHAT_ID=${NEW}`);
  });
});

describe("durable alerts", () => {
  it("sends after a restart what was raised before a crash, and never sends a sent alert again", async () => {
    const first = chat(() => telegramError(502, "Bad Gateway"));
    const crashed = alerter({ send: first.send });
    crashed.raise({ kind: "delivery_failed", orderId: "ORD-CRASH001", text: "ORD-CRASH001: Forbidden: bot was blocked by the user" });
    crashed.raise({ kind: "low_balance", text: "balance $12.00 is under 20 % of a typical day's spend ($500.00)" });
    await sleep(50);
    crashed.stop(); // the process dies: nothing flushed
    expect(first.sent).toHaveLength(0);

    const ops = chat();
    const restarted = alerter({ send: ops.send });
    await restarted.flush();
    expect(ops.sent.map((m) => m.text.split("\n")[0]).sort()).toEqual(["⚠️ <b>Codes could not be delivered in Telegram</b>", "⚠️ <b>Supplier balance is running low</b>"]);
    restarted.stop();

    const again = chat();
    const third = alerter({ send: again.send });
    await third.flush();
    expect(again.sent).toHaveLength(0);
  });

  it("sends nothing before start(): a process standing by for the database lease leaves the outbox to the holder", async () => {
    const ops = chat();
    const standby = createAlerter({ db, chatId: OPS, logger: logger(), gatherMs: 0, minGapMs: 0, send: ops.send });
    alerters.push(standby);
    standby.raise({ kind: "dispute", orderId: "ORD-WAIT0001", text: "ORD-WAIT0001: disputed" });
    await standby.flush();
    await sleep(50);
    expect(ops.sent).toHaveLength(0);
    standby.start();
    await until(() => ops.sent.length === 1, "the alert after start");
  });

  it("writes the alert in the caller's transaction: a rolled-back change raises nothing", async () => {
    const ops = chat();
    const a = alerter({ send: ops.send });
    expect(() =>
      db.transaction(() => {
        a.raise({ kind: "needs_review", orderId: "ORD-ROLLED1", text: "ORD-ROLLED1: never happened" });
        throw new Error("the change failed");
      }),
    ).toThrow("the change failed");
    await a.flush();
    expect(ops.sent).toHaveLength(0);
  });

  it("a condition that keeps holding is one warning line and one message with its latest reading, not one per check", async () => {
    const ops = chat();
    const a = alerter({ send: ops.send, gatherMs: 50, cooldownMs: 60_000 });
    const warnings = () => logs.filter((l) => l.level === 40 && l.msg === "alert");
    // Checks while the first message gathers: one row, updated; one warning when it started firing.
    for (let check = 1; check <= 8; check++) a.raise({ kind: "failure_rate", text: `${check} of 20 orders failed at the supplier` });
    expect(warnings()).toHaveLength(1);
    await until(() => ops.sent.length === 1, "the first message");
    expect(ops.sent[0]!.text).toContain("8 of 20 orders failed at the supplier");
    expect(ops.sent[0]!.text).not.toContain("7 of 20");
    // Checks during the cooldown: one new waiting row, one more warning, however many checks.
    for (let check = 9; check <= 12; check++) a.raise({ kind: "failure_rate", text: `${check} of 20 orders failed at the supplier` });
    await sleep(50);
    expect(ops.sent).toHaveLength(1);
    expect(warnings()).toHaveLength(2);
    const waiting = db.$client.prepare("SELECT text FROM alert_outbox WHERE sent_at IS NULL").all();
    expect(waiting).toEqual([{ text: "12 of 20 orders failed at the supplier" }]);
  });

  it("a condition about several subjects (two stock pools running low) keeps one line each, with its latest reading", async () => {
    const ops = chat();
    const a = alerter({ send: ops.send, gatherMs: 50 });
    for (const left of [3, 2]) {
      a.raise({ kind: "low_stock", subject: "amazon-us-25", text: `amazon-us-25: ${left} code(s) left` });
      a.raise({ kind: "low_stock", subject: "netflix-15-usd", text: `netflix-15-usd: ${left + 1} code(s) left` });
    }
    await until(() => ops.sent.length === 1, "the message");
    expect(ops.sent[0]!.text).toContain("amazon-us-25: 2 code(s) left");
    expect(ops.sent[0]!.text).toContain("netflix-15-usd: 3 code(s) left");
    expect(ops.sent[0]!.text).not.toContain("amazon-us-25: 3");
  });
});
