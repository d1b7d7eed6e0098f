import { describe, expect, it } from "vitest";
import { createAlerter, DEFAULT_MIN_GAP_MS, formatAlert } from "../../src/ops/alerts.js";
import { createLogger } from "../../src/logger.js";

const logger = createLogger("silent");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the alerter", () => {
  it("groups a burst of one kind into one message that says what, how many, which orders and what to do", async () => {
    const sent: string[] = [];
    const alerter = createAlerter({ send: async (text) => void sent.push(text), logger, gatherMs: 30, minGapMs: 0 });
    for (let i = 0; i < 25; i++) alerter.raise({ kind: "needs_review", orderId: `ORD-0000000${i % 10}${i >= 10 ? "X" : ""}`, text: `ORD-${i}: retries exhausted` });
    await sleep(80);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain("Orders need review");
    expect(sent[0]).toContain("Orders (20)");
    expect(sent[0]).toContain("… and 20 more");
    expect(sent[0]).toContain("What to do: Open /review");
    alerter.stop();
  });

  it("keeps a cooldown per kind, and sends what gathered during it afterwards", async () => {
    const sent: string[] = [];
    const alerter = createAlerter({ send: async (text) => void sent.push(text), logger, gatherMs: 5, minGapMs: 0, cooldownMs: 150 });
    alerter.raise({ kind: "slow_supplier", text: "avg 4 s" });
    await sleep(40);
    alerter.raise({ kind: "slow_supplier", text: "avg 5 s" });
    await sleep(40);
    expect(sent).toHaveLength(1);
    await sleep(150);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toContain("avg 5 s");
    alerter.stop();
  });

  it("stays under 20 messages a minute for the group however many kinds fire", async () => {
    const sentAt: number[] = [];
    const alerter = createAlerter({ send: async () => void sentAt.push(Date.now()), logger, gatherMs: 0, minGapMs: 30 });
    const kinds = ["needs_review", "insufficient_balance", "low_balance", "slow_supplier", "failure_rate", "stuck_orders"] as const;
    for (const kind of kinds) alerter.raise({ kind, text: kind });
    await sleep(30 * kinds.length + 100);
    expect(sentAt).toHaveLength(kinds.length);
    for (let i = 1; i < sentAt.length; i++) expect(sentAt[i]! - sentAt[i - 1]!).toBeGreaterThanOrEqual(25);
    alerter.stop();
  });

  it("paces at most 20 messages a minute by default", () => {
    expect(60_000 / DEFAULT_MIN_GAP_MS).toBeLessThanOrEqual(20);
  });

  it("escapes what it quotes", () => {
    expect(formatAlert("needs_review", { lines: ["<b>bad</b>"], orderIds: new Set(), count: 1, firstAt: 0 })).toContain("&lt;b&gt;bad&lt;/b&gt;");
  });
});

describe("the alerter's schedule", () => {
  it("does not let a long cooldown of one kind hold up another kind that is due sooner", async () => {
    const sent: string[] = [];
    const alerter = createAlerter({ send: async (text) => void sent.push(text), logger, gatherMs: 10, minGapMs: 0, cooldownMs: 60_000 });
    alerter.raise({ kind: "failure_rate", text: "first" });
    await sleep(40);
    alerter.raise({ kind: "failure_rate", text: "again, in its cooldown" }); // due in a minute
    alerter.raise({ kind: "needs_review", orderId: "ORD-1", text: "ORD-1: review" }); // due in 10 ms
    await sleep(80);
    expect(sent.map((text) => text.split("\n")[0])).toEqual(["⚠️ <b>Order failure rate is high</b>", "⚠️ <b>Orders need review</b>"]);
    alerter.stop();
  });
});
