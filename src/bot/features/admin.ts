// Admin commands and the review queue, for ADMIN_USER_IDS only (anyone else gets the same answer as for
// any unknown command). Works in a private chat with the bot and in the ops chat.
import { and, asc, desc, gte, inArray, isNotNull } from "drizzle-orm";
import { Composer, InlineKeyboard } from "grammy";
import { orders } from "../../db/schema.js";
import { escapeHtml } from "../../lib/html.js";
import { formatMoney } from "../../lib/money.js";
import { disputedOrderIds, disputesOfOrder } from "../../orders/disputes.js";
import { getOrder, getOrderEvents } from "../../orders/repository.js";
import { enterCode, refundedByHand, refundOrder, resendOrder, retryOrder, type AdminDeps, type AdminResult } from "../../fulfilment/admin-actions.js";
import type { Monitors } from "../../ops/monitors.js";
import type { SyncReport } from "../../catalog/supplier-sync.js";
import type { ShopContext } from "../context.js";

export interface AdminFeatureDeps extends AdminDeps {
  adminUserIds: readonly number[];
  monitors: Monitors;
  syncCatalog: () => Promise<SyncReport>;
}

const ID = /^(ORD-[0-9A-Z]{8})$/;
const ENTER_CODE_PROMPT = /code for (ORD-[0-9A-Z]{8})/;

function time(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

export function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function adminFeature(deps: AdminFeatureDeps): Composer<ShopContext> {
  const composer = new Composer<ShopContext>();
  const admin = composer.filter((ctx) => ctx.from !== undefined && deps.adminUserIds.includes(ctx.from.id));
  const db = deps.pipeline.db;

  const answer = (ctx: ShopContext, result: AdminResult) => ctx.reply(`${result.ok ? "✅" : "⚠️"} ${escapeHtml(result.message)}`, { parse_mode: "HTML" });
  const withId = (ctx: ShopContext & { match: string }, run: (id: string) => unknown) => {
    const id = ctx.match.trim().toUpperCase();
    if (!ID.test(id)) return ctx.reply("Give an order id, e.g. /order ORD-7K3M9Q2X");
    return run(id);
  };

  admin.command("order", (ctx) =>
    withId(ctx, async (id) => {
      const order = getOrder(db, id);
      if (!order) return ctx.reply(`No order ${id}.`);
      const lines = [
        `<b>${order.id}</b> · ${escapeHtml(order.product.name)} × ${order.quantity} · ${escapeHtml(formatMoney({ amount: order.amount, currency: order.currency }))}`,
        `Status: <b>${order.status}</b> · customer <code>${order.customerId}</code>${order.recipient ? ` · recipient <code>${escapeHtml(order.recipient)}</code>` : ""}`,
        order.supplierOrderId ? `Supplier order: <code>${escapeHtml(order.supplierOrderId)}</code>` : "",
        order.holdReason ? `⏸ Held: ${escapeHtml(order.holdReason)} (no new supplier order, code not sent)` : "",
        order.refundedAmount ? `Refunded: ${escapeHtml(formatMoney({ amount: order.refundedAmount, currency: order.currency }))}${order.refundedAmount < order.amount ? " (partial)" : ""}` : "",
        ...disputesOfOrder(db, order.id).map(
          (d) => `⚖️ Dispute <code>${escapeHtml(d.id)}</code>: ${escapeHtml(d.reason)}, ${escapeHtml(formatMoney({ amount: d.amount, currency: d.currency }))}, ${escapeHtml(d.status)}${d.evidenceDueBy ? `, evidence due ${time(d.evidenceDueBy)} UTC` : ""}`,
        ),
        order.lastError ? `Last error: ${escapeHtml(order.lastError)}` : "",
        "",
        ...getOrderEvents(db, id).map(
          (event) => `${time(event.at)} ${event.fromStatus ?? "∅"} → ${event.toStatus} · ${escapeHtml(event.cause)} · ${escapeHtml(event.actor)}`,
        ),
      ].filter((line, index, all) => line !== "" || all[index - 1] !== "");
      const keyboard = order.status === "needs_review" ? reviewKeyboard([order.id]) : undefined;
      return ctx.reply(lines.join("\n"), { parse_mode: "HTML", ...(keyboard ? { reply_markup: keyboard } : {}) });
    }),
  );

  admin.command("pending", async (ctx) => {
    const rows = db.select().from(orders).where(inArray(orders.status, ["paid", "supplier_pending", "fulfilled"])).orderBy(asc(orders.paidAt)).limit(30).all();
    if (rows.length === 0) return ctx.reply("No paid order is waiting. 👍");
    const now = deps.pipeline.now();
    const lines = rows.map((o) => `<code>${o.id}</code> ${o.status} · paid ${duration(now - (o.paidAt ?? now))} ago · ${escapeHtml(o.product.name)}${o.lastError ? ` · ${escapeHtml(o.lastError)}` : ""}`);
    return ctx.reply([`<b>Paid, not yet delivered (${rows.length})</b>`, ...lines].join("\n"), { parse_mode: "HTML" });
  });

  function reviewKeyboard(ids: string[]): InlineKeyboard {
    const keyboard = new InlineKeyboard();
    for (const id of ids) keyboard.text(`↻ Retry ${id}`, `ar:${id}`).text("↩ Refund", `af:${id}`).text("✍ Code", `ac:${id}`).row();
    return keyboard;
  }

  admin.command("review", async (ctx) => {
    const rows = db.select().from(orders).where(inArray(orders.status, ["needs_review"])).orderBy(asc(orders.updatedAt)).limit(10).all();
    if (rows.length === 0) return ctx.reply("The review queue is empty. 👍");
    const lines = rows.map((o) => `<code>${o.id}</code> · ${escapeHtml(o.product.name)} · ${escapeHtml(formatMoney({ amount: o.amount, currency: o.currency }))}\n   ${escapeHtml(o.lastError ?? "")}`);
    return ctx.reply([`<b>In review (${rows.length}${rows.length === 10 ? "+" : ""})</b>`, ...lines].join("\n"), {
      parse_mode: "HTML",
      reply_markup: reviewKeyboard(rows.map((o) => o.id)),
    });
  });

  admin.command("retry", (ctx) => withId(ctx, async (id) => answer(ctx, await retryOrder(deps, id, ctx.from!.id))));
  admin.command("refund", (ctx) => {
    // /refund <id> — through the shop's flow; /refund <id> manual [note] — closes one refunded outside the shop.
    const [idText = "", mode, ...note] = ctx.match.trim().split(/\s+/);
    const id = idText.toUpperCase();
    if (!ID.test(id) || (mode !== undefined && mode.toLowerCase() !== "manual")) return ctx.reply("Use: /refund ORD-XXXXXXXX, or /refund ORD-XXXXXXXX manual [note] for one refunded by hand");
    if (mode) return answer(ctx, refundedByHand(deps, id, ctx.from!.id, note.join(" ")));
    return answer(ctx, refundOrder(deps, id, ctx.from!.id));
  });
  admin.command("resend", (ctx) => withId(ctx, async (id) => answer(ctx, await resendOrder(deps, id, ctx.from!.id))));
  admin.command("code", async (ctx) => {
    const [id, code, pin] = ctx.match.trim().split(/\s+/);
    if (!id || !ID.test(id.toUpperCase()) || !code) return ctx.reply("Use: /code ORD-XXXXXXXX CODE [PIN]");
    return answer(ctx, await enterCode(deps, id.toUpperCase(), ctx.from!.id, code, pin ?? null));
  });

  admin.command("sync", async (ctx) => {
    try {
      const report = await deps.syncCatalog();
      if (report.distrusted) return ctx.reply(`⚠️ Catalog not synced: ${escapeHtml(report.distrusted)}.`, { parse_mode: "HTML" });
      const lines = [
        "<b>Catalog synced from the supplier</b>",
        `New (disabled until you enable them): ${report.added.length ? report.added.map((sku) => `<code>${escapeHtml(sku)}</code>`).join(", ") : "none"}`,
        `Repriced: ${report.repriced.length ? report.repriced.map((r) => `${escapeHtml(r.sku)} ${r.from} → ${r.to}`).join(", ") : "none"}`,
        `Out of stock (hidden): ${report.outOfStock.length ? report.outOfStock.map(escapeHtml).join(", ") : "none"}`,
        `Back in stock: ${report.backInStock.length ? report.backInStock.map(escapeHtml).join(", ") : "none"}`,
        ...(report.refused.length ? [`Not added: ${report.refused.map((r) => `<code>${escapeHtml(r.sku)}</code> (${escapeHtml(r.reason)})`).join(", ")}`] : []),
      ];
      return ctx.reply(lines.join("\n"), { parse_mode: "HTML" });
    } catch (error) {
      return ctx.reply(`Could not sync the catalog: ${escapeHtml((error as Error).message)}`, { parse_mode: "HTML" });
    }
  });

  admin.command("balance", async (ctx) => {
    try {
      const balance = await deps.pipeline.supplier.getBalance();
      return ctx.reply(`Supplier balance: <b>${escapeHtml(formatMoney(balance))}</b>`, { parse_mode: "HTML" });
    } catch (error) {
      return ctx.reply(`Could not read the supplier balance: ${escapeHtml((error as Error).message)}`, { parse_mode: "HTML" });
    }
  });

  admin.command("stats", async (ctx) => {
    const now = deps.pipeline.now();
    const today = new Date(now);
    today.setUTCHours(0, 0, 0, 0);
    const lines = [`<b>Stats</b> (UTC)`];
    for (const [label, since] of [["Today", today.getTime()], ["7 days", now - 7 * 86_400_000]] as const) {
      const paid = db.select().from(orders).where(and(isNotNull(orders.paidAt), gte(orders.paidAt, since))).all();
      // A sale under an open (or lost) dispute is not revenue; a partial refund takes its amount off.
      const disputed = disputedOrderIds(db, paid.map((o) => o.id));
      const revenue = new Map<string, number>();
      for (const o of paid) {
        if (o.status === "refunded" || disputed.has(o.id)) continue;
        revenue.set(o.currency, (revenue.get(o.currency) ?? 0) + o.amount - (o.refundedAmount ?? 0));
      }
      const failed = paid.filter((o) => ["needs_review", "failed", "refunding", "refunded"].includes(o.status)).length;
      const times = paid.filter((o) => o.deliveredAt !== null).map((o) => o.deliveredAt! - o.paidAt!);
      const mid = median(times);
      lines.push(
        "",
        `<b>${label}</b>: ${paid.length} paid orders, ${paid.filter((o) => o.status === "delivered").length} delivered`,
        `Revenue: ${[...revenue].map(([currency, amount]) => escapeHtml(formatMoney({ amount, currency }))).join(", ") || "0"}`,
        `Failure rate: ${paid.length ? ((failed / paid.length) * 100).toFixed(1) : "0.0"} % (${failed})`,
        `Median payment → delivery: ${mid === undefined ? "n/a" : duration(mid)}`,
      );
    }
    const recent = db.select({ id: orders.id }).from(orders).orderBy(desc(orders.createdAt)).limit(1).get();
    if (recent) lines.push("", `Newest order: <code>${recent.id}</code>`);
    return ctx.reply(lines.join("\n"), { parse_mode: "HTML" });
  });

  // Review buttons.
  admin.callbackQuery(/^ar:(ORD-[0-9A-Z]{8})$/, async (ctx) => {
    const result = await retryOrder(deps, ctx.match[1]!, ctx.from.id);
    await ctx.answerCallbackQuery({ text: result.message, show_alert: !result.ok });
  });
  admin.callbackQuery(/^af:(ORD-[0-9A-Z]{8})$/, async (ctx) => {
    const result = refundOrder(deps, ctx.match[1]!, ctx.from.id);
    await ctx.answerCallbackQuery({ text: result.message, show_alert: !result.ok });
  });
  admin.callbackQuery(/^ac:(ORD-[0-9A-Z]{8})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const order = getOrder(db, ctx.match[1]!);
    const pinHint = order?.product.requiresPin ? " Put the PIN on a second line." : "";
    await ctx.reply(`✍️ Reply to this message with the code for ${ctx.match[1]}.${pinHint}`, { reply_markup: { force_reply: true, selective: true } });
  });
  admin.on("message:text", async (ctx, next) => {
    const prompt = ctx.msg.reply_to_message?.text;
    const match = prompt ? ENTER_CODE_PROMPT.exec(prompt) : null;
    if (!match || ctx.msg.reply_to_message?.from?.id !== ctx.me.id) return next();
    const [code, pin] = ctx.msg.text.split("\n").map((line) => line.trim());
    await answer(ctx, await enterCode(deps, match[1]!, ctx.from.id, code ?? "", pin ?? null));
  });

  return composer;
}

export const ADMIN_COMMANDS = ["stats", "order", "pending", "review", "retry", "refund", "resend", "code", "balance", "sync"] as const;
