// The admin's fraud commands, for ADMIN_USER_IDS only (anyone else gets the answer to any unknown command):
// Release of an order the fraud rules held, bans of customers and cards, and open disputes with the evidence the shop
// can send from its own records. Release, a ban and the evidence ask "Are you sure?" first (bot/confirm.ts).
// Installed before the admin feature (app.ts): a Confirm that is not one of ours passes on to it.
import { Composer, InlineKeyboard, InputFile } from "grammy";
import { escapeHtml } from "../../lib/html.js";
import { formatMoney } from "../../lib/money.js";
import { MESSAGE_LIMIT } from "../../lib/telegram-text.js";
import { getOrder } from "../../orders/repository.js";
import { disputesOfOrder, listOpenDisputes, OPEN_DISPUTE_STATUSES, type DisputeRow } from "../../orders/disputes.js";
import type { AdminResult } from "../../fulfilment/admin-actions.js";
import {
  ban,
  checkRelease,
  describeBan,
  idList,
  prepareEvidence,
  previewBan,
  releaseOrder,
  submitEvidence,
  unban,
  type FraudActionDeps,
} from "../../fulfilment/fraud-actions.js";
import { listBans, type BanKind } from "../../risk/bans.js";
import type { DisputeEvidence } from "../../risk/evidence.js";
import { fitLines, orderLine, riskLines } from "../admin-views.js";
import { CANCEL_DATA, CONFIRM_DATA, createConfirmations } from "../confirm.js";
import type { ShopContext } from "../context.js";

export interface AdminFraudDeps extends FraudActionDeps {
  adminUserIds: readonly number[];
}

/** What a confirmation of ours carries until it is answered (in memory, 10 minutes). */
type Payload =
  | { action: "release" }
  | { action: "ban"; kind: BanKind; value: string; reason: string }
  /** Exactly the evidence the admin was shown: what is sent, even if the order's log grew meanwhile. */
  | { action: "evidence"; disputeId: string; evidence: DisputeEvidence };

const ORDER_ID = /^ORD-[0-9A-Z]{8}$/;
/** `/ban 123456789 reason…`, `/ban card <fingerprint> reason…` (and the same without a reason, for /unban). */
const BAN_TARGET = /^(?:(card)\s+([A-Za-z0-9_-]{6,64})|(\d{1,15}))(?:\s+([\s\S]*))?$/i;
/** Stripe's dispute ids (du_…, dp_… in older accounts); the callback data holds 64 bytes. */
const DISPUTE_ID = "(d[up]_[A-Za-z0-9_]{1,56})";

export const ADMIN_FRAUD_COMMANDS = ["release", "ban", "unban", "bans", "disputes"] as const;

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function parseTarget(text: string): { kind: BanKind; value: string; reason: string } | undefined {
  const match = BAN_TARGET.exec(text.trim());
  if (!match) return undefined;
  const reason = (match[4] ?? "").trim().slice(0, 300);
  // A customer id as the shop stores it: "0123" is customer 123.
  return match[1] ? { kind: "card", value: match[2]!, reason } : { kind: "customer", value: String(Number(match[3]!)), reason };
}

export function adminFraudFeature(deps: AdminFraudDeps): Composer<ShopContext> {
  const composer = new Composer<ShopContext>();
  const admin = composer.filter((ctx) => ctx.from !== undefined && deps.adminUserIds.includes(ctx.from.id));
  const db = deps.pipeline.db;
  const confirmations = createConfirmations<Payload>({ now: Date.now });
  /** Disputes whose evidence is on its way to Stripe: a second Confirm meanwhile is refused, not sent twice. */
  const sending = new Set<string>();

  const answer = (ctx: ShopContext, result: AdminResult) => ctx.reply(`${result.ok ? "✅" : "⚠️"} ${escapeHtml(result.message)}`, { parse_mode: "HTML" });

  // Release: only an order the fraud rules hold, after a question naming the order, its amount and the reasons.
  async function askRelease(ctx: ShopContext, orderId: string): Promise<unknown> {
    const checked = checkRelease(deps, orderId);
    if (!checked.ok) return answer(ctx, checked);
    const { order } = checked;
    const { keyboard } = confirmations.ask({ action: "release", orders: [order], payload: { action: "release" }, askedBy: ctx.from!.id, confirmLabel: "✅ Release" });
    const disputed = disputesOfOrder(db, order.id).filter((d) => (OPEN_DISPUTE_STATUSES as readonly string[]).includes(d.status));
    const lines = [
      `✅ <b>Release order ${order.id}?</b>`,
      orderLine(order),
      ...riskLines(order),
      ...disputed.map((d) => `⚖️ Its payment is disputed (${escapeHtml(d.reason)}, <code>${escapeHtml(d.id)}</code>): a release sends the code all the same.`),
      "It goes to the supplier now and the code to the customer. Refund it instead if you do not trust the payment.",
    ];
    return ctx.reply(lines.join("\n"), { parse_mode: "HTML", reply_markup: keyboard });
  }

  admin.command("release", (ctx) => {
    const id = ctx.match.trim().toUpperCase();
    if (!ORDER_ID.test(id)) return ctx.reply("Use: /release ORD-XXXXXXXX (an order held by the fraud rules)");
    return askRelease(ctx, id);
  });
  admin.callbackQuery(/^rl:(ORD-[0-9A-Z]{8})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await askRelease(ctx, ctx.match[1]!);
  });

  // Bans: asked first, with what the ban touches (unpaid orders cancelled; paid ones left as they are).
  admin.command("ban", async (ctx) => {
    const target = parseTarget(ctx.match);
    if (!target) return ctx.reply("Use: /ban <telegram id> [reason], or /ban card <fingerprint> [reason] (the fingerprint as /order shows it)");
    const preview = previewBan(deps, target.kind, target.value);
    if (preview.existing) {
      const { existing } = preview;
      return ctx.reply(`${escapeHtml(describeBan(target.kind, target.value))} is already banned (since ${utc(existing.createdAt)}, by ${escapeHtml(existing.actor)}: ${escapeHtml(existing.reason)}).`, { parse_mode: "HTML" });
    }
    const reason = target.reason || "banned by an admin";
    const { keyboard } = confirmations.ask({ action: "ban", orders: [], payload: { action: "ban", ...target, reason }, askedBy: ctx.from!.id, confirmLabel: "🚫 Ban" });
    const ids = (orders: Array<{ id: string }>) => (orders.length ? ` (${idList(orders.map((o) => o.id))})` : "");
    const lines =
      target.kind === "customer"
        ? [
            `🚫 <b>Ban customer ${escapeHtml(target.value)}?</b>`,
            `Reason: ${escapeHtml(reason)}`,
            `Unpaid orders to cancel: ${preview.unpaid.length}${ids(preview.unpaid)}`,
            `Paid orders in progress: ${preview.paidOpen.length}${ids(preview.paidOpen)}${preview.paidOpen.length ? ", not touched (refund them if you want)" : ""}`,
            "They will be refused at checkout, politely and without a reason.",
          ]
        : [
            `🚫 <b>Ban card <code>${escapeHtml(target.value)}</code>?</b>`,
            `Reason: ${escapeHtml(reason)}`,
            `Accounts that paid with it: ${preview.accounts.length ? idList(preview.accounts.map(String)) : "none yet"}`,
            "Every later payment with it is held for review, and the account that made it is banned.",
          ];
    return ctx.reply(lines.join("\n"), { parse_mode: "HTML", reply_markup: keyboard });
  });

  admin.command("unban", async (ctx) => {
    const target = parseTarget(ctx.match);
    if (!target || target.reason) return ctx.reply("Use: /unban <telegram id>, or /unban card <fingerprint>");
    return answer(ctx, unban(deps, target.kind, target.value, ctx.from!.id));
  });

  admin.command("bans", async (ctx) => {
    const { rows, total } = listBans(db, 50);
    if (total === 0) return ctx.reply("Nobody is banned. 👍");
    const lines = rows.map(
      (row) =>
        `${row.kind === "card" ? "💳 card" : "👤 customer"} <code>${escapeHtml(row.value)}</code> · ${utc(row.createdAt)} · ${escapeHtml(row.actor)} · ${escapeHtml(row.reason)}`,
    );
    const title = `<b>Bans (${total === rows.length ? total : `newest ${rows.length} of ${total}`})</b>`;
    return ctx.reply(fitLines(title, lines, escapeHtml("/unban <telegram id> or /unban card <fingerprint> lifts one.")).text, { parse_mode: "HTML" });
  });

  // Disputes: open ones, the evidence due soonest first; 📎 Evidence for those on a delivered order.
  admin.command("disputes", async (ctx) => {
    const rows = listOpenDisputes(db, 30);
    if (rows.length === 0) return ctx.reply("No open dispute. 👍");
    const now = deps.pipeline.now();
    const described = rows.map((dispute) => ({ dispute, ...disputeLine(dispute, now) }));
    const { text, shown } = fitLines(`<b>Open disputes (${rows.length})</b>, evidence due soonest first`, described.map((d) => d.line));
    // A button for each dispute shown that can take the shop's evidence.
    const keyboard = new InlineKeyboard();
    for (const { dispute, offered } of described.slice(0, shown)) if (offered) keyboard.text(`📎 Evidence ${dispute.orderId}`, `ev:${dispute.id}`).row();
    return ctx.reply(text, { parse_mode: "HTML", reply_markup: keyboard });
  });

  function disputeLine(dispute: DisputeRow, now: number): { line: string; offered: boolean } {
    const order = dispute.orderId ? getOrder(db, dispute.orderId) : undefined;
    const head = `⚖️ <code>${escapeHtml(dispute.orderId ?? "no order of ours")}</code> · ${escapeHtml(formatMoney({ amount: dispute.amount, currency: dispute.currency }))} · ${escapeHtml(dispute.reason)}`;
    const due = dispute.evidenceDueBy ? `due ${utc(dispute.evidenceDueBy)}${dispute.evidenceDueBy < now ? " (past)" : ` (in ${Math.max(1, Math.round((dispute.evidenceDueBy - now) / 3_600_000))} h)`}` : "no due date";
    let evidence: string;
    let offered = false;
    if (dispute.evidenceSubmittedAt !== null) evidence = `evidence sent ${utc(dispute.evidenceSubmittedAt)} by ${escapeHtml(dispute.evidenceSubmittedBy ?? "an admin")}`;
    else if (order?.status === "delivered") {
      evidence = "evidence not sent";
      offered = ["needs_response", "warning_needs_response"].includes(dispute.status);
    } else evidence = `no evidence offered: the order is ${order ? escapeHtml(order.status) : "unknown"} (refund it, or accept the dispute in Stripe)`;
    return { line: `${head}\n   ${due} · ${escapeHtml(dispute.status)} · ${evidence} · <code>${escapeHtml(dispute.id)}</code>`, offered };
  }

  // 📎 Evidence: the preview of exactly what Stripe will receive, then the question.
  admin.callbackQuery(new RegExp(`^ev:${DISPUTE_ID}$`), async (ctx) => {
    await ctx.answerCallbackQuery();
    const prepared = prepareEvidence(deps, ctx.match[1]!);
    if (!prepared.ok) return answer(ctx, prepared);
    const { dispute, order, evidence } = prepared;
    const preview = evidencePreview(dispute, evidence);
    if (preview.length <= MESSAGE_LIMIT) await ctx.reply(`<pre>${escapeHtml(preview)}</pre>`, { parse_mode: "HTML" });
    else {
      await ctx.replyWithDocument(new InputFile(Buffer.from(preview, "utf8"), `evidence-${dispute.id}.txt`), {
        caption: `📎 The evidence for ${dispute.id} (${order.id}), exactly as it would be sent: longer than a message, so as a file.`,
      });
    }
    const amount = formatMoney({ amount: dispute.amount, currency: dispute.currency });
    const { keyboard } = confirmations.ask({ action: "evidence", orders: [order], payload: { action: "evidence", disputeId: dispute.id, evidence }, askedBy: ctx.from.id, confirmLabel: "📤 Send to Stripe" });
    const lines = [
      `📎 <b>Send this evidence to Stripe for ${escapeHtml(dispute.id)}?</b>`,
      `${order.id} · ${escapeHtml(amount)} · ${escapeHtml(dispute.reason)}${dispute.evidenceDueBy ? ` · due ${utc(dispute.evidenceDueBy)}` : ""}`,
      "It is submitted at once: Stripe takes evidence once, and it cannot be changed afterwards.",
    ];
    return ctx.reply(lines.join("\n"), { parse_mode: "HTML", reply_markup: keyboard });
  });

  // The answers to our questions; a Confirm or Cancel of another feature's question goes on to it.
  admin.callbackQuery(CONFIRM_DATA, async (ctx, next) => {
    const id = ctx.match[1]!;
    if (!confirmations.owns(id)) return next();
    const taken = confirmations.confirm(id, (orderId) => getOrder(db, orderId));
    let result: AdminResult;
    if (!taken.ok) result = { ok: false, message: taken.reason };
    else result = await run(taken.confirmation.payload, taken.confirmation.orders[0]?.id, ctx.from.id);
    await ctx.answerCallbackQuery({ text: result.message.slice(0, 190), show_alert: !result.ok });
    const title = ctx.callbackQuery.message?.text?.split("\n")[0] ?? "";
    await ctx.editMessageText(`${escapeHtml(title)}\n${result.ok ? "✅" : "⚠️"} ${escapeHtml(result.message)}`, { parse_mode: "HTML" }).catch(() => undefined);
  });
  admin.callbackQuery(CANCEL_DATA, async (ctx, next) => {
    if (!confirmations.cancel(ctx.match[1]!)) return next();
    await ctx.answerCallbackQuery({ text: "Cancelled: nothing was done." });
    const title = ctx.callbackQuery.message?.text?.split("\n")[0] ?? "";
    await ctx.editMessageText(`${escapeHtml(title)}\n✖️ Cancelled: nothing was done.`, { parse_mode: "HTML" }).catch(() => undefined);
  });

  async function run(payload: Payload, orderId: string | undefined, adminId: number): Promise<AdminResult> {
    switch (payload.action) {
      case "release":
        return releaseOrder(deps, orderId!, adminId);
      case "ban":
        return ban(deps, payload.kind, payload.value, payload.reason, adminId);
      case "evidence": {
        if (sending.has(payload.disputeId)) return { ok: false, message: `Evidence for ${payload.disputeId} is being sent already; nothing more was sent.` };
        sending.add(payload.disputeId);
        try {
          return await submitEvidence(deps, payload.disputeId, payload.evidence, adminId);
        } finally {
          sending.delete(payload.disputeId);
        }
      }
    }
  }

  return composer;
}

/** The evidence as the admin reads it before sending: every field Stripe receives, by its Stripe name. */
export function evidencePreview(dispute: DisputeRow, evidence: DisputeEvidence): string {
  return [
    `Evidence for dispute ${dispute.id} (${dispute.orderId}), exactly as it will be sent to Stripe:`,
    "",
    `product_description:\n${evidence.product_description}`,
    "",
    `access_activity_log:\n${evidence.access_activity_log}`,
    "",
    `uncategorized_text:\n${evidence.uncategorized_text}`,
    "",
    `service_date: ${evidence.service_date}`,
    `customer_name: ${evidence.customer_name}`,
    "",
    `customer_communication (a text file):\n${evidence.communication}`,
  ].join("\n");
}
