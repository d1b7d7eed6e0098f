// /broadcast through the real bot: a preview, "Are you sure?", then a copy of the admin's message to every customer
// who has not blocked the bot (optionally one language); 403 marks the customer blocked; the progress is one message,
// edited; Cancel stops it; a stop in the middle resumes after a restart without sending anyone a second copy; the
// sends go through the pacer's broadcast lane under Telegram's limits. A stranger can start or stop nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCustomer } from "../../src/customers/repository.js";
import { stripHtml, type ChatMessage } from "../../src/sandbox/fake-telegram.js";
import { ADMIN_ID, OPS_CHAT_ID, askBot, buttonData, confirmAsAdmin, startHarness, tapAndWait, waitUntil, type Harness } from "../helpers/harness.js";

const OPS = { chatId: OPS_CHAT_ID };
const STRANGER = 666;

/** Customers who have talked to the bot (so the shop knows them), in their languages. */
async function customers(h: Harness, ids: number[], language = "en"): Promise<void> {
  for (const id of ids) {
    h.customer(id, language);
    await askBot(h, id, "/start", /./);
  }
}

/** What a customer received of the broadcast message. */
const copies = (h: Harness, id: number, text: string) => h.telegram.messages(id).filter((m) => m.from === "bot" && m.text.includes(text));

/** The admin posts the message in the ops chat and replies to it with the command; returns the question. */
async function ask(h: Harness, text: string, command: string): Promise<ChatMessage> {
  const source = h.telegram.sendText(ADMIN_ID, text, OPS);
  return askBot(h, ADMIN_ID, command, "Send this message to", { ...OPS, replyTo: source });
}

function progress(h: Harness, id: number): ChatMessage | undefined {
  return h.telegram.messages(OPS_CHAT_ID).find((m) => m.from === "bot" && stripHtml(m.text).startsWith(`📣 Broadcast #${id}`));
}

describe("a broadcast", () => {
  let h: Harness;
  const EN = [7101, 7102, 7103, 7104];
  const RU = [7201, 7202];
  const GONE = 7301;

  beforeAll(async () => {
    h = await startHarness({ shop: { broadcast: { progressEveryMs: 50 } } });
    h.customer(ADMIN_ID);
    await customers(h, [...EN, GONE]);
    await customers(h, RU, "ru");
    // This one blocked the bot without the shop hearing of it: the broadcast's 403 tells it.
    h.telegram.blocked.add(GONE);
  });
  afterAll(async () => {
    await h.close();
  });

  it("shows a preview and asks first; then reaches every customer not blocked, marks a 403 blocked, and edits one progress message", async () => {
    const question = await ask(h, "🔥 Spring sale: 10% off gift cards this weekend", "/broadcast");
    expect(stripHtml(question.text)).toContain("Send this message to 7 customer(s)?");
    // The preview is the very copy customers will get.
    expect(h.telegram.messages(OPS_CHAT_ID).filter((m) => m.from === "bot" && m.copiedFrom && m.text.includes("Spring sale"))).toHaveLength(1);
    expect(copies(h, EN[0]!, "Spring sale")).toHaveLength(0);

    await confirmAsAdmin(h, "Send this message to 7 customer(s)?", OPS_CHAT_ID);
    await waitUntil(() => progress(h, 1) && stripHtml(progress(h, 1)!.text).includes("done"), 10_000, "the broadcast to finish");
    for (const id of [...EN, ...RU]) expect(copies(h, id, "Spring sale")).toHaveLength(1);
    expect(getCustomer(h.shop.db, GONE)!.blockedAt).not.toBeNull();
    const done = progress(h, 1)!;
    expect(stripHtml(done.text)).toContain("7 of 7 customers · 6 sent · 1 blocked the bot · 0 failed");
    expect(done.edited).toBe(true);
    expect(done.buttons.flat()).toHaveLength(0);
    expect(h.telegram.messages(OPS_CHAT_ID).filter((m) => m.from === "bot" && stripHtml(m.text).startsWith("📣 Broadcast #1"))).toHaveLength(1);
  });

  it("reaches one language only with /broadcast <language>, and leaves blocked customers out", async () => {
    const question = await ask(h, "Скидки на выходных", "/broadcast ru");
    expect(stripHtml(question.text)).toContain("Send this message to 2 customer(s) (language ru)?");
    await confirmAsAdmin(h, "Send this message to 2 customer(s)", OPS_CHAT_ID);
    await waitUntil(() => progress(h, 2) && stripHtml(progress(h, 2)!.text).includes("done"), 10_000, "the broadcast to finish");
    for (const id of RU) expect(copies(h, id, "Скидки")).toHaveLength(1);
    for (const id of EN) expect(copies(h, id, "Скидки")).toHaveLength(0);
  });

  it("explains what to do without a reply, and refuses an unknown language", async () => {
    await askBot(h, ADMIN_ID, "/broadcast", "reply to it with /broadcast", OPS);
    await askBot(h, ADMIN_ID, "/broadcast xx", '"xx" is not a language of the shop', OPS);
  });

  it("is nothing to a stranger: the command is unknown and Cancel does nothing", async () => {
    h.customer(STRANGER);
    const source = h.telegram.sendText(STRANGER, "free codes for all");
    await askBot(h, STRANGER, "/broadcast", "I don't know that command. /help lists what I can do.", { replyTo: source });
    expect(h.shop.db.$client.prepare("SELECT count(*) AS n FROM broadcasts").get()).toEqual({ n: 2 });
    // A Cancel of a broadcast, tapped by a stranger: nothing happens to it.
    const done = progress(h, 2)!;
    await tapAndWait(h, STRANGER, done, "bc:x:2");
    expect(h.shop.db.$client.prepare("SELECT status FROM broadcasts WHERE id = 2").get()).toEqual({ status: "done" });
  });
});

describe("a long broadcast, paced", () => {
  let h: Harness;
  const MANY = Array.from({ length: 30 }, (_, i) => 7400 + i);

  beforeAll(async () => {
    // The pacer on, at 10 messages a second overall; the fake Bot API enforces Telegram's limits (429 beyond them).
    h = await startHarness({ shop: { pacing: { globalLimit: 10 }, broadcast: { progressEveryMs: 200 } } });
    h.customer(ADMIN_ID);
    await customers(h, MANY);
    h.telegram.limits = {};
  });
  afterAll(async () => {
    await h.close();
  });

  const received = (text: string) => MANY.map((id) => copies(h, id, text).length);

  it("goes through the broadcast lane under Telegram's limits, and Cancel stops it", async () => {
    await ask(h, "First long message", "/broadcast");
    await confirmAsAdmin(h, "Send this message to 30 customer(s)?", OPS_CHAT_ID);
    await waitUntil(() => received("First long").filter((n) => n > 0).length >= 5, 10_000, "a few sends");
    const running = progress(h, 1)!;
    const answer = await tapAndWait(h, ADMIN_ID, running, buttonData(running, "Cancel broadcast"));
    expect(answer.text).toContain("Broadcast #1 cancelled");
    await waitUntil(() => progress(h, 1) && stripHtml(progress(h, 1)!.text).includes("cancelled"), 10_000, "the progress to say cancelled");
    const atCancel = received("First long").reduce((a, b) => a + b, 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received("First long").reduce((a, b) => a + b, 0)).toBe(atCancel);
    expect(atCancel).toBeLessThan(30);
    expect(Math.max(...received("First long"))).toBe(1);
    // Every copy went through the broadcast lane; none was refused for going too fast.
    const metrics = await (await fetch(`${h.shopUrl}/metrics`)).text();
    const lane = Number(/shop_telegram_send_wait_seconds_count\{lane="broadcast"\} (\d+)/.exec(metrics)?.[1]);
    expect(lane).toBeGreaterThanOrEqual(atCancel);
    expect(h.telegram.calls.filter((c) => c.method === "copyMessage" && c.status === 429)).toHaveLength(0);
  });

  it("stopped in the middle, it resumes after a restart without sending anyone a second copy", async () => {
    await ask(h, "Second long message", "/broadcast");
    await confirmAsAdmin(h, "Send this message to 30 customer(s)?", OPS_CHAT_ID);
    await waitUntil(() => received("Second long").filter((n) => n > 0).length >= 5, 10_000, "a few sends");
    await h.restart();
    await waitUntil(() => received("Second long").every((n) => n >= 1), 20_000, "every customer to get it");
    await waitUntil(() => progress(h, 2) && stripHtml(progress(h, 2)!.text).includes("done"), 10_000, "the progress to say done");
    expect(received("Second long").every((n) => n === 1)).toBe(true);
    expect(stripHtml(progress(h, 2)!.text)).toContain("30 of 30 customers · 30 sent");
  });
});
