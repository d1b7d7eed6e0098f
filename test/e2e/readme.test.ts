// The README tells the truth: its customer's path is what the shop shows today (every button, every line of
// text), and it explains to operators which way to take payment, with Telegram's terms.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { stripHtml } from "../../src/sandbox/fake-telegram.js";
import { openOrder, startHarness, waitForStatus, waitUntil, type Harness } from "../helpers/harness.js";

const README = readFileSync("README.md", "utf8");
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** The README's customer's path: the lines the bot says (placeholders and comments taken out) and its buttons. */
function customerPath(): { buttons: string[]; fragments: string[] } {
  const section = README.slice(README.indexOf("## A customer's path"));
  const block = section.slice(section.indexOf("```") + 3, section.indexOf("```", section.indexOf("```") + 3));
  const buttons = [...block.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!).filter((label) => label !== "…");
  const botLines: string[] = [];
  let speaker = "";
  for (const raw of block.split("\n")) {
    const who = /^(Customer|Bot)\s+/.exec(raw);
    if (who) speaker = who[1]!;
    const text = raw.replace(/^(Customer|Bot)?\s+/, "");
    if (speaker === "Bot" && !text.startsWith("…")) botLines.push(text);
  }
  const fragments = botLines
    .map((line) => line.replace(/\[[^\]]+\]/g, "").replace(/\s{2,}\(.*\)$/, "").replace(/\s+…\s*$/, "").trim())
    .flatMap((line) => line.split(" — ").map((part) => part.trim()))
    .filter((part) => part !== "");
  return { buttons, fragments };
}

describe("the README", () => {
  it("shows the customer's path as the shop shows it today (PAYMENT_METHODS=stripe,stars)", async () => {
    h = await startHarness({ env: { PAYMENT_METHODS: "stripe,stars", SUPPORT_CONTACT: "@your_support" } });
    const c = h.customer(19_901);
    const { orderId, sessionId } = await openOrder(h, c, ["Gift cards", "Steam Wallet ·", "Steam Wallet 20 USD"]);
    await h.stripe.completeCheckout(sessionId);
    await c.expect("How to redeem");
    await waitForStatus(h, orderId, "delivered");
    c.say(`/start paid_${orderId}`);
    await c.expect(`Order ${orderId}: delivered.`);
    // The fake records a call once its answer has left: wait for the last one.
    await waitUntil(() => h!.telegram.calls.some((call) => String(call.params["text"] ?? "").includes(`Order ${orderId}: delivered.`)), 5000, "the last call recorded");
    const code = h.supplier.orderByReference(orderId)!.items[0]!.code!;

    const { buttons, fragments } = customerPath();
    expect(buttons.length).toBeGreaterThan(10);
    // Every message the bot sent, and every version of the one it edited in place.
    const said = h.telegram.calls
      .filter((call) => ["sendMessage", "editMessageText"].includes(call.method) && Number(call.params["chat_id"]) === c.id)
      .map((call) => ({ text: stripHtml(String(call.params["text"])), markup: JSON.stringify(call.params["reply_markup"] ?? "") }));
    const labels = new Set(said.flatMap(({ markup }) => [...markup.matchAll(/"text":"((?:[^"\\]|\\.)*)"/g)].map((m) => JSON.parse(`"${m[1]}"`) as string)));
    expect(buttons.filter((label) => !labels.has(label)), "README buttons the shop does not show").toEqual([]);
    // Whitespace as one space: the README wraps lines where the chat does not.
    const text = said.map((m) => m.text).join("\n").replace(/\s+/g, " ");
    const missing = fragments
      .map((fragment) => fragment.replaceAll("ORD-7K3M9Q2X", orderId).replaceAll("XG7QK-2MHPA-9RTCW", code))
      .filter((fragment) => !(fragment.includes("12:34 PM UTC") ? new RegExp(fragment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace("12:34 PM UTC", "\\d{2}:\\d{2} [AP]M UTC")).test(text) : text.includes(fragment)));
    expect(missing, "README lines the shop does not say").toEqual([]);
  });

  it("explains which way to take payment: Telegram's rule for digital goods, with the link, each PAYMENT_METHODS, refunds and payouts", () => {
    const start = README.indexOf("## Which way to take payment");
    expect(start).toBeGreaterThan(0);
    const section = README.slice(start, README.indexOf("\n## ", start + 5));
    expect(section).toContain("digital goods and services sold inside a bot are paid in Telegram Stars");
    expect(section).toContain("https://telegram.org/tos/bot-developers");
    for (const methods of ["`stars`", "`stripe,stars`", "`stripe`"]) expect(section).toContain(`| ${methods} |`);
    expect(section).toMatch(/\*\*Refunds\*\* go back to the customer's Telegram Stars balance/);
    expect(section).toMatch(/\*\*Payouts\*\*/);
  });
});
