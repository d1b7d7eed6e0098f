import { describe, expect, it } from "vitest";
import { createI18n, type Translate } from "../../src/bot/i18n.js";
import { MAX_DELIVERY_MESSAGES, renderDelivery, type PlainItem } from "../../src/fulfilment/delivery-message.js";
import { CAPTION_LIMIT, MESSAGE_LIMIT, packBlocks, plainText, splitPlainText, visibleLength } from "../../src/lib/telegram-text.js";
import type { OrderRow } from "../../src/orders/state-machine.js";

const i18n = createI18n(() => "en");
const t: Translate = (locale, key, variables) => i18n.t(locale, key, variables);
const deps = { t, supportContact: "@shop_support" };

function order(fields: { instructions?: string; name?: string; quantity?: number } = {}): OrderRow {
  return {
    id: "ORD-7K3M9Q2X",
    quantity: fields.quantity ?? 1,
    product: {
      sku: "steam-20-usd", name: fields.name ?? "Steam Wallet 20 USD", category: "Gift cards", kind: "code",
      faceValue: { amount: 2000, currency: "USD" }, unitPrice: { amount: 2199, currency: "USD" },
      requiresPin: false, instructions: fields.instructions ?? "Open store.steampowered.com/account/redeemwalletcode.", recipientRule: null,
    },
  } as OrderRow;
}
const codes = (n: number, length: number): PlainItem[] =>
  Array.from({ length: n }, (_, i) => ({ code: `${String(i).padStart(3, "0")}${"X".repeat(length - 3)}`, pin: "12345678", serial: `SN${i}` }));

describe("the delivery message", () => {
  it("is one message, as before, when it fits", () => {
    const plan = renderDelivery(deps, order(), "en", [{ code: "AAAAA-BBBBB-CCCCC", pin: null, serial: null }], { header: true });
    expect(plan).toEqual({
      kind: "messages",
      texts: [
        "✅ Payment received for order ORD-7K3M9Q2X.\n🎁 <b>Steam Wallet 20 USD</b> ($20.00)\nOrder ORD-7K3M9Q2X\n\nCode: <code>AAAAA-BBBBB-CCCCC</code>\n\n" +
          "<b>How to redeem:</b> Open store.steampowered.com/account/redeemwalletcode.\n\nQuestions? Write to @shop_support and quote order ORD-7K3M9Q2X.",
      ],
    });
  });

  it("is cut between codes when it does not fit: every message under 4096, every code with its PIN whole", () => {
    const items = codes(10, 500);
    const plan = renderDelivery(deps, order({ quantity: 10 }), "en", items, { header: false });
    expect(plan.kind).toBe("messages");
    const texts = plan.kind === "messages" ? plan.texts : [];
    expect(texts.length).toBeGreaterThan(1);
    expect(texts.length).toBeLessThanOrEqual(MAX_DELIVERY_MESSAGES);
    for (const text of texts) expect(visibleLength(text)).toBeLessThanOrEqual(MESSAGE_LIMIT);
    for (const item of items) {
      const holding = texts.filter((text) => text.includes(item.code));
      expect(holding).toHaveLength(1);
      expect(holding[0]).toContain(`Code: <code>${item.code}</code>\nPIN: <code>12345678</code>\nSerial: <code>${item.serial}</code>`);
    }
    expect(texts.slice(1).every((text) => text.startsWith("🎁 Order ORD-7K3M9Q2X, continued:"))).toBe(true);
  });

  it("cuts long instructions between words, and sends a file when more than a few messages would be needed", () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(" ");
    const long = renderDelivery(deps, order({ instructions: words(700) }), "en", codes(1, 20), { header: false });
    expect(long.kind).toBe("messages");
    const all = long.kind === "messages" ? long.texts.join("\n") : "";
    expect(plainText(all)).toContain("word0 word1");
    expect(plainText(all)).toContain("word699");

    const huge = renderDelivery(deps, order({ instructions: words(4000) }), "en", codes(1, 20), { header: false });
    expect(huge.kind).toBe("document");
    if (huge.kind !== "document") return;
    expect(huge.fileName).toBe("ORD-7K3M9Q2X-codes.txt");
    expect(huge.content).toContain(`Code: ${codes(1, 20)[0]!.code}`);
    expect(huge.content).toContain("word3999");
    expect(huge.content).not.toMatch(/<\/?(b|code)>/);
    expect(visibleLength(huge.caption)).toBeLessThanOrEqual(CAPTION_LIMIT);
  });

  it("keeps the file's caption under 1024 characters even with the longest name and contact", () => {
    const plan = renderDelivery({ t, supportContact: "@".padEnd(900, "s") }, order({ name: "N".repeat(64), instructions: "x ".repeat(9_000) }), "en", codes(10, 512), { header: false });
    expect(plan.kind).toBe("document");
    if (plan.kind === "document") expect(visibleLength(plan.caption)).toBeLessThanOrEqual(CAPTION_LIMIT);
  });

  it("speaks the customer's language, plurals included", () => {
    const one = renderDelivery(deps, order({ instructions: "x ".repeat(9_000) }), "ru", codes(1, 20), { header: false });
    const many = renderDelivery(deps, order({ instructions: "x ".repeat(9_000), quantity: 5 }), "ru", codes(5, 20), { header: false });
    expect(one.kind === "document" && plainText(one.caption)).toContain("Ваш код и инструкция по активации — в этом файле");
    expect(many.kind === "document" && plainText(many.caption)).toContain("Ваши 5 кодов и инструкция");
  });
});

describe("Telegram text sizes", () => {
  it("counts what Telegram counts: no tags, an entity is one character", () => {
    expect(visibleLength("<b>a &amp; b</b> &lt;c&gt;")).toBe(9);
  });
  it("packs blocks in order and never past the limit", () => {
    expect(packBlocks(["aaaa", "bbbb", "cccc"], { limit: 10, separator: "\n", continued: "+" })).toEqual(["aaaa\nbbbb", "+\ncccc"]);
    expect(() => packBlocks(["x".repeat(11)], { limit: 10 })).toThrow(RangeError);
  });
  it("splits text at a blank near the limit, never inside an emoji", () => {
    expect(splitPlainText("aaa bbb ccc", 7)).toEqual(["aaa bbb", "ccc"]);
    const pieces = splitPlainText("😀".repeat(10), 5);
    expect(pieces.join("")).toBe("😀".repeat(10));
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(5);
  });
});
