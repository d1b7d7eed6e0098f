// Admin commands and the review queue, for ADMIN_USER_IDS only (anyone else gets the same answer as for
// any unknown command). Works in a private chat with the bot and in the ops chat. Refund and Enter code ask
// "Are you sure?" first (bot/confirm.ts).
import { and, asc, desc, gte, inArray, isNotNull } from "drizzle-orm";
import { Composer } from "grammy";
import { orders } from "../../db/schema.js";
import { escapeHtml } from "../../lib/html.js";
import { formatMoney } from "../../lib/money.js";
import { disputedOrderIds, disputesOfOrder } from "../../orders/disputes.js";
import { getOrder, getOrderEvents } from "../../orders/repository.js";
import type { OrderRow } from "../../orders/state-machine.js";
import { describeSource } from "../../supplier/sources.js";
import { checkEnteredCode, checkRefund, enterCode, refundedByHand, refundOrder, resendOrder, retryOrder, type AdminDeps, type AdminResult } from "../../fulfilment/admin-actions.js";
import { checkEmailResend, describeOrderEmail, resendByEmail } from "../../fulfilment/email-orders.js";
import type { Monitors } from "../../ops/monitors.js";
import { describeImport, describeStock, importStockFile, StockImportError } from "../../ops/stock-import.js";
import type { SyncReport } from "../../catalog/supplier-sync.js";
import type { ReloadlyCheck } from "../../catalog/reloadly-check.js";
import { MAX_STOCK_FILE_BYTES } from "../../supplier/stock/parse.js";
import type { StockDeps } from "../../supplier/stock/store.js";
import type { ShopContext } from "../context.js";
import { orderLine, reviewKeyboard, riskLines } from "../admin-views.js";
import { CANCEL_DATA, CONFIRM_DATA, createConfirmations } from "../confirm.js";

export interface AdminFeatureDeps extends AdminDeps {
  adminUserIds: readonly number[];
  monitors: Monitors;
  /** Undefined when the generic supplier (whose GET /catalog the sync reads) is not configured. */
  syncCatalog: (() => Promise<SyncReport>) | undefined;
  /** Undefined without Reloadly: checks the catalog's Reloadly sources against its GET /products. */
  checkReloadly: (() => Promise<ReloadlyCheck>) | undefined;
  /** The shop's own stock: imports from the ops chat and /stock. */
  stock: StockDeps & { lowThreshold: number };
  /** The bytes of a file sent to the bot (Bot API getFile, then the file download). */
  downloadFile: (fileId: string) => Promise<Buffer>;
}

const STOCK_ADD = /^\/stock(?:@\w+)?\s+add\s+(\S+)\s*$/i;

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

/** What a confirmation carries: the typed code and PIN for Enter code (in memory, until answered or expired). */
type ConfirmPayload = { code: string; pin: string | null } | null;

export function adminFeature(deps: AdminFeatureDeps): Composer<ShopContext> {
  const composer = new Composer<ShopContext>();
  const admin = composer.filter((ctx) => ctx.from !== undefined && deps.adminUserIds.includes(ctx.from.id));
  const db = deps.pipeline.db;
  const confirmations = createConfirmations<ConfirmPayload>({ now: Date.now });

  /** Refund: the question, when the order can be refunded now. */
  async function askRefund(ctx: ShopContext, orderId: string): Promise<unknown> {
    const checked = checkRefund(deps, orderId);
    if (!checked.ok) return answer(ctx, checked);
    const { order } = checked;
    const amount = formatMoney({ amount: order.amount, currency: order.currency });
    const { keyboard } = confirmations.ask({ action: "refund", orders: [order], payload: null, askedBy: ctx.from!.id, confirmLabel: `✅ Refund ${amount}` });
    const lines = [
      `↩ <b>Refund order ${order.id}?</b>`,
      orderLine(order),
      order.lastError ? `In review: ${escapeHtml(order.lastError)}` : "",
      "The money goes back to the customer. This cannot be undone.",
    ];
    return ctx.reply(lines.filter(Boolean).join("\n"), { parse_mode: "HTML", reply_markup: keyboard });
  }

  /** Enter code: checked like a supplier's answer first, then the question with the code to compare with the card. */
  async function askCode(ctx: ShopContext, orderId: string, code: string, pin: string | null): Promise<unknown> {
    // The admin's message with the code leaves the chat's history (best effort: in a group the bot needs the right
    // to delete messages); the question below shows it until it is answered, then shows the outcome instead.
    await ctx.deleteMessage().catch(() => undefined);
    const checked = checkEnteredCode(deps, orderId, code, pin);
    if (!checked.ok) return answer(ctx, checked);
    const { order, item } = checked;
    const { keyboard } = confirmations.ask({ action: "enter_code", orders: [order], payload: { code: item.code, pin: item.pin }, askedBy: ctx.from!.id, confirmLabel: "✅ Send this code" });
    const lines = [
      `✍ <b>Send this code to the customer of ${order.id}?</b>`,
      orderLine(order),
      `Code: <code>${escapeHtml(item.code)}</code>`,
      item.pin ? `PIN: <code>${escapeHtml(item.pin)}</code>` : "",
      "Compare it with the card: the customer gets it as soon as you confirm.",
    ];
    return ctx.reply(lines.filter(Boolean).join("\n"), { parse_mode: "HTML", reply_markup: keyboard });
  }

  /** /resend <id> email: the question, when the order's codes can be emailed now. */
  async function askEmailResend(ctx: ShopContext, orderId: string): Promise<unknown> {
    const checked = checkEmailResend(deps.pipeline, orderId);
    if (!checked.ok) return answer(ctx, checked);
    const { keyboard } = confirmations.ask({ action: "resend_email", orders: [checked.order], payload: null, askedBy: ctx.from!.id, confirmLabel: "✉️ Email the codes" });
    const lines = [`✉️ <b>Email the codes of ${checked.order.id} again?</b>`, orderLine(checked.order), `To: ${escapeHtml(checked.to)}`, "The customer gets the codes by email as soon as you confirm."];
    return ctx.reply(lines.join("\n"), { parse_mode: "HTML", reply_markup: keyboard });
  }

  const answer = (ctx: ShopContext, result: AdminResult) => ctx.reply(`${result.ok ? "✅" : "⚠️"} ${escapeHtml(result.message)}`, { parse_mode: "HTML" });
  const withId = (ctx: ShopContext & { match: string }, run: (id: string) => unknown) => {
    const id = ctx.match.trim().toUpperCase();
    if (!ID.test(id)) return ctx.reply("Give an order id, e.g. /order ORD-7K3M9Q2X");
    return run(id);
  };

  admin.command("order", (ctx) =>
    withId(ctx, async (id) => {
      const order = getOrder(db, id);
      if (!order) return ctx.reply(`Order ${id} was not found.`);
      const lines = [
        `<b>${order.id}</b> · ${escapeHtml(order.product.name)} × ${order.quantity} · ${escapeHtml(formatMoney({ amount: order.amount, currency: order.currency }))}`,
        `Status: <b>${order.status}</b> · customer <code>${order.customerId}</code>${order.recipient ? ` · recipient <code>${escapeHtml(order.recipient)}</code>` : ""}`,
        order.supplierOrderId ? `Supplier order: <code>${escapeHtml(order.supplierOrderId)}</code>` : "",
        sourceLine(order),
        ...describeOrderEmail(deps.pipeline, order).map(escapeHtml),
        order.holdReason ? `⏸ Held: ${escapeHtml(order.holdReason)} (no new supplier order, code not sent)` : "",
        ...riskLines(order),
        order.refundedAmount ? `Refunded: ${escapeHtml(formatMoney({ amount: order.refundedAmount, currency: order.currency }))}${order.refundedAmount < order.amount ? " (partial)" : ""}` : "",
        ...disputesOfOrder(db, order.id).map(
          (d) => `⚖️ Dispute <code>${escapeHtml(d.id)}</code>: ${escapeHtml(d.reason)}, ${escapeHtml(formatMoney({ amount: d.amount, currency: d.currency }))}, ${escapeHtml(d.status)}${d.evidenceDueBy ? `, evidence due ${time(d.evidenceDueBy)} UTC` : ""}`,
        ),
        order.lastError ? `Last error: ${escapeHtml(order.lastError)}` : "",
        "",
        ...getOrderEvents(db, id).map(
          (event) => `${time(event.at)} ${event.fromStatus ?? "∅"} → ${event.toStatus} · ${escapeHtml(event.cause)} · ${escapeHtml(event.actor)}${failoverNote(event.detail)}`,
        ),
      ].filter((line, index, all) => line !== "" || all[index - 1] !== "");
      const keyboard = order.status === "needs_review" ? reviewKeyboard([order]) : undefined;
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

  // /review (paged) is the console's (console/review.ts); its buttons are answered here.

  admin.command("retry", (ctx) => withId(ctx, async (id) => answer(ctx, await retryOrder(deps, id, ctx.from!.id))));
  admin.command("refund", (ctx) => {
    // /refund <id>: through the shop's flow, after a confirmation; /refund <id> manual [note]: closes one refunded outside the shop.
    const [idText = "", mode, ...note] = ctx.match.trim().split(/\s+/);
    const id = idText.toUpperCase();
    if (!ID.test(id) || (mode !== undefined && mode.toLowerCase() !== "manual")) return ctx.reply("Use: /refund ORD-XXXXXXXX, or /refund ORD-XXXXXXXX manual [note] for one refunded by hand");
    if (mode) return answer(ctx, refundedByHand(deps, id, ctx.from!.id, note.join(" ")));
    return askRefund(ctx, id);
  });
  admin.command("resend", async (ctx) => {
    // /resend <id>: in Telegram, at once; /resend <id> email: by email, after a confirmation.
    const [idText = "", channel] = ctx.match.trim().split(/\s+/);
    const id = idText.toUpperCase();
    if (!ID.test(id) || (channel !== undefined && channel.toLowerCase() !== "email")) return ctx.reply("Use: /resend ORD-XXXXXXXX (in Telegram), or /resend ORD-XXXXXXXX email");
    if (channel) return askEmailResend(ctx, id);
    return answer(ctx, await resendOrder(deps, id, ctx.from!.id));
  });
  admin.command("code", async (ctx) => {
    const [id, code, pin] = ctx.match.trim().split(/\s+/);
    if (!id || !ID.test(id.toUpperCase()) || !code) return ctx.reply("Use: /code ORD-XXXXXXXX CODE [PIN]");
    return askCode(ctx, id.toUpperCase(), code, pin ?? null);
  });

  admin.command("sync", async (ctx) => {
    if (!deps.syncCatalog && !deps.checkReloadly) {
      return ctx.reply("Nothing to sync: the sync reads the generic supplier's GET /catalog and Reloadly's GET /products, and neither is configured.");
    }
    const lines: string[] = [];
    if (deps.syncCatalog) {
      try {
        const report = await deps.syncCatalog();
        if (report.distrusted) lines.push(`⚠️ Catalog not synced from the generic supplier: ${escapeHtml(report.distrusted)}.`);
        else
          lines.push(
            "<b>Catalog synced from the generic supplier</b> (GET /catalog; products with their own sources are kept as the catalog file says)",
            `New (disabled until you enable them): ${report.added.length ? report.added.map((sku) => `<code>${escapeHtml(sku)}</code>`).join(", ") : "none"}`,
            `Repriced: ${report.repriced.length ? report.repriced.map((r) => `${escapeHtml(r.sku)} ${r.from} → ${r.to}`).join(", ") : "none"}`,
            `Out of stock (hidden): ${report.outOfStock.length ? report.outOfStock.map(escapeHtml).join(", ") : "none"}`,
            `Back in stock: ${report.backInStock.length ? report.backInStock.map(escapeHtml).join(", ") : "none"}`,
            ...(report.refused.length ? [`Not added: ${report.refused.map((r) => `<code>${escapeHtml(r.sku)}</code> (${escapeHtml(r.reason)})`).join(", ")}`] : []),
          );
      } catch (error) {
        lines.push(`Could not sync the catalog from the generic supplier: ${escapeHtml((error as Error).message)}`);
      }
    } else {
      lines.push("The generic supplier is not configured: no catalog to sync from it.");
    }
    if (deps.checkReloadly) {
      try {
        const check = await deps.checkReloadly();
        lines.push(
          "",
          `<b>Reloadly sources checked</b> against GET /products: ${check.checked} gift card source(s), ${check.problems.length ? `${check.problems.length} Reloadly would refuse:` : "all valid"}`,
          ...check.problems.map((problem) => `⚠️ ${escapeHtml(problem)}`),
        );
      } catch (error) {
        lines.push("", `Could not read Reloadly's products: ${escapeHtml((error as Error).message)}`);
      }
    }
    return ctx.reply(lines.join("\n"), { parse_mode: "HTML" });
  });

  admin.command("balance", async (ctx) => {
    const lines: string[] = [];
    for (const adapter of deps.pipeline.suppliers.values()) {
      try {
        for (const balance of await adapter.getBalances()) lines.push(`${balance.account}: <b>${escapeHtml(formatMoney(balance))}</b>`);
      } catch (error) {
        lines.push(`${adapter.name}: could not read the balance (${escapeHtml((error as Error).message)})`);
      }
    }
    if (lines.length === 0) return ctx.reply("No supplier account is configured; the shop sells from its own stock (/stock).");
    // One account: the line it always was; several: one line each.
    const text = lines.length === 1 ? `Supplier balance: ${lines[0]!.replace(/^\w+: /, "")}` : ["<b>Supplier balances</b>", ...lines].join("\n");
    return ctx.reply(text, { parse_mode: "HTML" });
  });

  // A stock file: a document with the caption /stock add <sku>. The codes are read, imported encrypted and the
  // message deleted, so that they do not stay readable in the chat's history.
  admin.on("message:document", async (ctx, next) => {
    const command = STOCK_ADD.exec(ctx.msg.caption ?? "");
    if (!command) return next();
    const document = ctx.msg.document;
    const pool = command[1]!;
    if ((document.file_size ?? 0) > MAX_STOCK_FILE_BYTES) return ctx.reply(`⚠️ The file is larger than ${MAX_STOCK_FILE_BYTES / 1024 / 1024} MB; split it.`);
    let lines: string[];
    try {
      const content = await deps.downloadFile(document.file_id);
      lines = describeImport(importStockFile(deps.stock, pool, document.file_name ?? "", content));
    } catch (error) {
      const message = error instanceof StockImportError ? error.message : `could not read the file (${(error as Error).message})`;
      return ctx.reply(`⚠️ Nothing imported: ${escapeHtml(message)}`, { parse_mode: "HTML" });
    }
    const deleted = await ctx.deleteMessage().then(() => true, () => false);
    lines.push(deleted ? "The file was deleted from this chat." : "Delete the file from this chat: the codes are stored encrypted now.");
    return ctx.reply(`✅ ${escapeHtml(lines.join("\n"))}`, { parse_mode: "HTML" });
  });

  admin.command("stock", async (ctx) => {
    if (/^add\b/i.test(ctx.match.trim())) return ctx.reply("Send the codes as a .csv or .txt file with the caption /stock add <sku> (one code per line: code;pin;YYYY-MM-DD).");
    const lines = describeStock(deps.stock, deps.stock.lowThreshold);
    return ctx.reply(["<b>Stock</b> (the shop's own codes)", ...lines.map(escapeHtml)].join("\n"), { parse_mode: "HTML" });
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
    await ctx.answerCallbackQuery();
    await askRefund(ctx, ctx.match[1]!);
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
    await askCode(ctx, match[1]!, code ?? "", pin ?? null);
  });

  // The answers to "Are you sure?": the action runs only if every order is as it was when asked.
  admin.callbackQuery(CONFIRM_DATA, async (ctx) => {
    const taken = confirmations.confirm(ctx.match[1]!, (orderId) => getOrder(db, orderId));
    let result: AdminResult;
    if (!taken.ok) result = { ok: false, message: taken.reason };
    else {
      const { action, orders: asked, payload } = taken.confirmation;
      const orderId = asked[0]!.id;
      result =
        action === "refund"
          ? refundOrder(deps, orderId, ctx.from.id)
          : action === "resend_email"
            ? resendByEmail(deps.pipeline, orderId, ctx.from.id)
            : payload
            ? await enterCode(deps, orderId, ctx.from.id, payload.code, payload.pin)
            : { ok: false, message: `Nothing to do for ${action}.` };
    }
    await ctx.answerCallbackQuery({ text: result.message.slice(0, 190), show_alert: !result.ok });
    // The question gives way to what came of it (and the typed code leaves the chat's view).
    const title = ctx.callbackQuery.message?.text?.split("\n")[0] ?? "";
    await ctx.editMessageText(`${escapeHtml(title)}\n${result.ok ? "✅" : "⚠️"} ${escapeHtml(result.message)}`, { parse_mode: "HTML" }).catch(() => undefined);
  });
  admin.callbackQuery(CANCEL_DATA, async (ctx) => {
    confirmations.cancel(ctx.match[1]!);
    await ctx.answerCallbackQuery({ text: "Cancelled: nothing was done." });
    const title = ctx.callbackQuery.message?.text?.split("\n")[0] ?? "";
    await ctx.editMessageText(`${escapeHtml(title)}\n✖️ Cancelled: nothing was done.`, { parse_mode: "HTML" }).catch(() => undefined);
  });

  return composer;
}

export const ADMIN_COMMANDS = ["stats", "order", "pending", "retry", "refund", "resend", "code", "balance", "sync", "stock"] as const;

/** For a product with several sources: which one the order is at, and the reference it uses there. */
function sourceLine(order: OrderRow): string {
  const sources = order.product.sources;
  if (!sources?.length) return "";
  const attempt = sources[Math.min(order.sourceIndex, sources.length - 1)]!;
  const reference = order.supplierReference ? ` · reference <code>${escapeHtml(order.supplierReference)}</code>` : "";
  return `Source ${order.sourceIndex + 1}/${sources.length}: ${escapeHtml(describeSource(attempt, order.sku))}${reference}`;
}

/** A failover in the timeline: which source was left, why, and which one came next. */
function failoverNote(detail: Record<string, unknown> | null): string {
  if (!detail || typeof detail["from"] !== "string" || typeof detail["to"] !== "string") return "";
  return ` · ${escapeHtml(detail["from"])} → ${escapeHtml(detail["to"])}`;
}
