// /products (paged: price, cost where known, margin, stock, on/off) and /product <sku> (a card with buttons: on/off,
// price, Stars price, pause). A new price asks "Are you sure?" and is refused at or below the supplier's cost; what
// an admin sets here is kept over the catalog file and the markup rule (catalog/admin-products.ts).
import { InlineKeyboard, type Composer } from "grammy";
import { findProducts, marginPercent, setProductEnabled, setProductPrice, setStarsPrice, checkNewPrice, unitCostOf } from "../../../catalog/admin-products.js";
import { getProduct, type ProductRow } from "../../../catalog/catalog.js";
import { pauseOf, pauseSales, resumeSales, shopPause } from "../../../catalog/pause.js";
import { escapeHtml } from "../../../lib/html.js";
import { formatMoney, parseDecimal, type Money } from "../../../lib/money.js";
import { describeSource, sourcesOf } from "../../../supplier/sources.js";
import type { ShopContext } from "../../context.js";
import type { ConsoleConfirmations } from "./confirm-router.js";
import type { ConsoleDeps } from "./deps.js";

/**
 * A /products page button's data: the page and the filter, which rides along cut to fit Telegram's 64 bytes (in
 * UTF-8: 40 Cyrillic letters are 80 bytes) and PAGE_DATA's 40 characters.
 */
export function productsPageData(page: number, filter: string): string {
  const head = `pl:${page}:`;
  let kept = "";
  for (const char of filter) {
    if ([...kept].length >= 40 || Buffer.byteLength(head + kept + char) > 64) break;
    kept += char;
  }
  return head + kept;
}
export const PAGE_DATA = /^pl:(\d{1,4}):(.{0,40})$/u;

/** Stars as the rest of the shop writes them (formatMoney: "⭐ 1,695"). */
const inStars = (amount: number): string => formatMoney({ amount, currency: "XTR" });

const PAGE = 10;
const SKU = "([A-Za-z0-9._-]{2,48})";
const PRICE_PROMPT = /new price for ([A-Za-z0-9._-]{2,48}) /;
const STARS_PROMPT = /new Stars price for ([A-Za-z0-9._-]{2,48})/;

interface PriceChange {
  sku: string;
  /** The price the question was asked against: a Confirm after another change does nothing. */
  from: number;
  to: number;
}

interface StarsChange {
  sku: string;
  from: number | null;
  to: number;
}

function money(amount: number, currency: string): string {
  return escapeHtml(formatMoney({ amount, currency }));
}

function costLine(product: ProductRow, cost: Money | undefined): string {
  if (!cost) return "cost unknown";
  const margin = marginPercent({ amount: product.priceAmount, currency: product.priceCurrency }, cost);
  return `cost ${escapeHtml(formatMoney(cost))}${margin === undefined ? "" : ` · margin ${margin.toFixed(1)} %${margin <= 0 ? " ⚠️" : ""}`}`;
}

export function productCommands(admin: Composer<ShopContext>, deps: ConsoleDeps, confirmations: ConsoleConfirmations): void {
  const db = deps.pipeline.db;
  const now = () => deps.pipeline.now();

  function listView(filter: string, page: number): { text: string; keyboard: InlineKeyboard } {
    const all = findProducts(db, filter);
    const pages = Math.max(1, Math.ceil(all.length / PAGE));
    const current = Math.min(Math.max(0, page), pages - 1);
    const shown = all.slice(current * PAGE, (current + 1) * PAGE);
    const pause = shopPause(db);
    const lines = [
      `<b>Products${filter ? ` matching "${escapeHtml(filter)}"` : ""}</b> (${all.length}${pages > 1 ? `, page ${current + 1}/${pages}` : ""})`,
      ...(pause ? [`⏸ The whole shop is paused${pause.reason ? ` (${escapeHtml(pause.reason)})` : ""}: /resume`] : []),
      ...shown.map((p) => {
        const state = [p.enabled ? "🟢 on" : "⚪️ off", p.inStock ? "" : "out of stock", pauseOf(db, p.sku) && !pause ? "⏸ paused" : ""].filter(Boolean).join(" · ");
        return `<code>${escapeHtml(p.sku)}</code> ${escapeHtml(p.name)}\n   ${money(p.priceAmount, p.priceCurrency)}${p.starsPrice ? ` · ${inStars(p.starsPrice)}` : ""} · ${costLine(p, unitCostOf(db, p))} · ${state}`;
      }),
    ];
    if (all.length === 0) lines.push("No product matches. Try /products with part of a name, a sku, on, off or out.");
    const keyboard = new InlineKeyboard();
    shown.forEach((p, index) => {
      keyboard.text(p.sku, `pd:${p.sku}`);
      if (index % 2 === 1) keyboard.row();
    });
    keyboard.row();
    const data = (n: number) => productsPageData(n, filter);
    if (current > 0) keyboard.text("⬅️ Prev", data(current - 1));
    if (pages > 1) keyboard.text(`${current + 1}/${pages}`, data(current));
    if (current < pages - 1) keyboard.text("Next ➡️", data(current + 1));
    return { text: lines.join("\n"), keyboard };
  }

  function cardView(product: ProductRow): { text: string; keyboard: InlineKeyboard } {
    const cost = unitCostOf(db, product);
    const pause = pauseOf(db, product.sku);
    const overrides = [product.adminPrice !== null ? "price" : "", product.adminStarsPrice !== null ? "Stars price" : "", product.adminEnabled !== null ? "on/off" : ""].filter(Boolean);
    const lines = [
      `<b>${escapeHtml(product.name)}</b> <code>${escapeHtml(product.sku)}</code>`,
      `${escapeHtml(product.category)} · ${product.kind}${product.maxQuantity > 1 ? ` · up to ${product.maxQuantity} per order` : ""}`,
      `Price: <b>${money(product.priceAmount, product.priceCurrency)}</b>${product.starsPrice ? ` · Stars: ${inStars(product.starsPrice)}` : " · no Stars price"}`,
      `Supplier: ${costLine(product, cost)}`,
      `Sources: ${sourcesOf({ sku: product.sku, sources: product.sources }).map((s) => escapeHtml(describeSource(s, product.sku))).join(" → ")}`,
      `For sale: ${product.enabled ? "🟢 on" : "⚪️ off"} · ${product.inStock ? "in stock" : "out of stock at the supplier"}${pause ? ` · ⏸ paused${pause.scope === "*" ? " (whole shop)" : ""}${pause.reason ? `: ${escapeHtml(pause.reason)}` : ""}` : ""}`,
      overrides.length ? `Set here (kept over the catalog file and the sync): ${overrides.join(", ")}` : `Priced by ${product.priceSource === "markup" ? "the markup over the supplier's cost" : "the catalog file"}`,
    ];
    const keyboard = new InlineKeyboard()
      .text(product.enabled ? "⚪️ Turn off" : "🟢 Turn on", `pe:${product.sku}`)
      .text("💲 Price", `pp:${product.sku}`)
      .text("⭐ Stars price", `pt:${product.sku}`)
      .row()
      .text(pause && pause.scope !== "*" ? "▶️ Resume" : "⏸ Pause", `pz:${product.sku}`);
    return { text: lines.join("\n"), keyboard };
  }

  const show = async (ctx: ShopContext, view: { text: string; keyboard: InlineKeyboard }) => {
    if (ctx.callbackQuery?.message) {
      const edited = await ctx.editMessageText(view.text, { parse_mode: "HTML", reply_markup: view.keyboard }).then(() => true, () => false);
      if (edited) return;
    }
    await ctx.reply(view.text, { parse_mode: "HTML", reply_markup: view.keyboard });
  };

  async function askPrice(ctx: ShopContext, sku: string, amountText: string): Promise<unknown> {
    const product = getProduct(db, sku);
    if (!product) return ctx.reply(`No product ${escapeHtml(sku)}. /products lists them.`, { parse_mode: "HTML" });
    const amount = parseDecimal(amountText, product.priceCurrency);
    if (amount === undefined) return ctx.reply(`"${escapeHtml(amountText)}" is not a price in ${product.priceCurrency} (e.g. 19.99).`, { parse_mode: "HTML" });
    const checked = checkNewPrice(db, sku, amount);
    if (!checked.ok) return ctx.reply(`⚠️ ${escapeHtml(checked.message)}`, { parse_mode: "HTML" });
    const margin = marginPercent({ amount, currency: product.priceCurrency }, checked.cost);
    const change: PriceChange = { sku, from: product.priceAmount, to: amount };
    return confirmations.ask(ctx, {
      action: "product_price",
      data: change,
      confirmLabel: `✅ Set ${formatMoney({ amount, currency: product.priceCurrency })}`,
      text: [
        `💲 <b>Change the price of ${escapeHtml(product.sku)}?</b>`,
        `${escapeHtml(product.name)}: ${money(product.priceAmount, product.priceCurrency)} → <b>${money(amount, product.priceCurrency)}</b>`,
        checked.cost ? `Supplier's cost ${escapeHtml(formatMoney(checked.cost))}${margin === undefined ? "" : `, margin ${margin.toFixed(1)} %`}` : "The supplier's cost is not known.",
        "Customers see it at once; orders already open keep their price. The catalog file no longer sets this price.",
      ].join("\n"),
    });
  }

  async function askStars(ctx: ShopContext, sku: string, starsText: string): Promise<unknown> {
    const product = getProduct(db, sku);
    if (!product) return ctx.reply(`No product ${escapeHtml(sku)}. /products lists them.`, { parse_mode: "HTML" });
    const stars = /^\d{1,6}$/.test(starsText.trim()) ? Number(starsText.trim()) : NaN;
    if (!Number.isInteger(stars) || stars < 1 || stars > 100_000) return ctx.reply("A Stars price is a whole number from 1 to 100,000.");
    const change: StarsChange = { sku, from: product.starsPrice, to: stars };
    return confirmations.ask(ctx, {
      action: "product_stars",
      data: change,
      confirmLabel: `✅ Set ${inStars(stars)}`,
      text: [
        `⭐ <b>Change the Stars price of ${escapeHtml(product.sku)}?</b>`,
        `${escapeHtml(product.name)}: ${product.starsPrice ? inStars(product.starsPrice) : "none"} → <b>${inStars(stars)}</b> (${money(product.priceAmount, product.priceCurrency)} by card)`,
        "Customers see it at once; orders already open keep their price.",
      ].join("\n"),
    });
  }

  confirmations.on<PriceChange>("product_price", (_ctx, change) => {
    const product = getProduct(db, change.sku);
    if (!product) return { ok: false, message: `No product ${change.sku}.` };
    if (product.priceAmount !== change.from) return { ok: false, message: `The price of ${change.sku} changed since you were asked (it is ${formatMoney({ amount: product.priceAmount, currency: product.priceCurrency })} now); nothing was done.` };
    const set = setProductPrice(db, change.sku, change.to, now());
    if (!set.ok) return set;
    deps.pipeline.logger.warn({ sku: change.sku, from: change.from, to: change.to, by: _ctx.from.id }, "product price changed by an admin");
    return { ok: true, message: `${change.sku} now sells at ${formatMoney({ amount: change.to, currency: product.priceCurrency })}.` };
  });
  confirmations.on<StarsChange>("product_stars", (ctx, change) => {
    const product = getProduct(db, change.sku);
    if (!product) return { ok: false, message: `No product ${change.sku}.` };
    if (product.starsPrice !== change.from) return { ok: false, message: `The Stars price of ${change.sku} changed since you were asked; nothing was done.` };
    const set = setStarsPrice(db, change.sku, change.to, now());
    if (!set.ok) return set;
    deps.pipeline.logger.warn({ sku: change.sku, from: change.from, to: change.to, by: ctx.from.id }, "product Stars price changed by an admin");
    return { ok: true, message: `${change.sku} now costs ${inStars(change.to)} in Stars.` };
  });

  admin.command("products", (ctx) => show(ctx, listView(ctx.match.trim(), 0)));
  admin.callbackQuery(PAGE_DATA, async (ctx) => {
    await ctx.answerCallbackQuery();
    await show(ctx, listView(ctx.match[2]!, Number(ctx.match[1])));
  });

  admin.command("product", async (ctx) => {
    const [sku = "", verb = "", value = ""] = ctx.match.trim().split(/\s+/);
    const product = sku ? getProduct(db, sku) : undefined;
    if (!sku) return ctx.reply("Use: /product <sku> (see /products), /product <sku> price <amount>, /product <sku> stars <n>, /product <sku> on|off");
    if (!product) return ctx.reply(`No product ${escapeHtml(sku)}. /products lists them.`, { parse_mode: "HTML" });
    switch (verb.toLowerCase()) {
      case "":
        return show(ctx, cardView(product));
      case "price":
        return askPrice(ctx, product.sku, value);
      case "stars":
        return askStars(ctx, product.sku, value);
      case "on":
      case "off": {
        const changed = setProductEnabled(db, product.sku, verb.toLowerCase() === "on", now())!;
        deps.pipeline.logger.warn({ sku: product.sku, enabled: changed.enabled, by: ctx.from!.id }, "product turned on or off by an admin");
        return show(ctx, cardView(changed));
      }
      default:
        return ctx.reply("Use: /product <sku>, /product <sku> price <amount>, /product <sku> stars <n>, /product <sku> on|off");
    }
  });

  admin.callbackQuery(new RegExp(`^pd:${SKU}$`), async (ctx) => {
    await ctx.answerCallbackQuery();
    const product = getProduct(db, ctx.match[1]!);
    if (product) await ctx.reply(cardView(product).text, { parse_mode: "HTML", reply_markup: cardView(product).keyboard });
  });
  // On/off: at once (no money moves), the card redrawn.
  admin.callbackQuery(new RegExp(`^pe:${SKU}$`), async (ctx) => {
    const product = getProduct(db, ctx.match[1]!);
    if (!product) return ctx.answerCallbackQuery({ text: "No such product any more." });
    const changed = setProductEnabled(db, product.sku, !product.enabled, now())!;
    deps.pipeline.logger.warn({ sku: product.sku, enabled: changed.enabled, by: ctx.from.id }, "product turned on or off by an admin");
    await ctx.answerCallbackQuery({ text: changed.enabled ? "On: customers can buy it." : "Off: hidden from customers." });
    await show(ctx, cardView(changed));
  });
  admin.callbackQuery(new RegExp(`^pz:${SKU}$`), async (ctx) => {
    const product = getProduct(db, ctx.match[1]!);
    if (!product) return ctx.answerCallbackQuery({ text: "No such product any more." });
    const paused = pauseOf(db, product.sku);
    if (paused && paused.scope !== "*") resumeSales(db, product.sku);
    else pauseSales(db, { scope: product.sku, reason: null, actor: `admin:${ctx.from.id}` }, now());
    await ctx.answerCallbackQuery({ text: paused && paused.scope !== "*" ? "Sales resumed." : "Sales paused: customers see \"back soon\"." });
    await show(ctx, cardView(getProduct(db, product.sku)!));
  });
  // Price and Stars price: the admin replies to a prompt; the question follows.
  admin.callbackQuery(new RegExp(`^pp:${SKU}$`), async (ctx) => {
    await ctx.answerCallbackQuery();
    const product = getProduct(db, ctx.match[1]!);
    if (!product) return;
    await ctx.reply(`💲 Reply to this message with the new price for ${product.sku} (in ${product.priceCurrency}, e.g. 19.99).`, { reply_markup: { force_reply: true, selective: true } });
  });
  admin.callbackQuery(new RegExp(`^pt:${SKU}$`), async (ctx) => {
    await ctx.answerCallbackQuery();
    const product = getProduct(db, ctx.match[1]!);
    if (!product) return;
    await ctx.reply(`⭐ Reply to this message with the new Stars price for ${product.sku} (whole Stars).`, { reply_markup: { force_reply: true, selective: true } });
  });
  admin.on("message:text", async (ctx, next) => {
    const prompt = ctx.msg.reply_to_message?.from?.id === ctx.me.id ? (ctx.msg.reply_to_message.text ?? "") : "";
    const price = PRICE_PROMPT.exec(prompt);
    if (price) return askPrice(ctx, price[1]!, ctx.msg.text);
    const stars = STARS_PROMPT.exec(prompt);
    if (stars) return askStars(ctx, stars[1]!, ctx.msg.text);
    return next();
  });
}
