// /review: the review queue, paged, each order with its buttons (Retry, Refund, Code; Release for a fraud hold), a
// Retry all button when some a retry may fix, and refreshed after each action taken from it: a Retry tapped on the
// list redraws it, and a Confirm or Cancel of any question (a refund, a code, a release, a bulk retry) redraws the
// list last shown in that chat. The buttons themselves are answered by admin.ts and admin-fraud.ts.
import { InlineKeyboard, type Composer } from "grammy";
import { escapeHtml } from "../../../lib/html.js";
import { formatMoney } from "../../../lib/money.js";
import { countInReview, listInReview, listRetryableInReview } from "../../../orders/review-queue.js";
import { ALERT_ACTIONS } from "../../../ops/alerts.js";
import { reviewKeyboard } from "../../admin-views.js";
import { CANCEL_DATA, CONFIRM_DATA } from "../../confirm.js";
import type { ShopContext } from "../../context.js";
import type { ConsoleDeps } from "./deps.js";

export const REVIEW_PAGE = 8;
const TITLE = "In review";
/** A list shown longer ago than this is not redrawn by a later action (it has scrolled away). */
const REFRESH_WINDOW_MS = 30 * 60_000;

export function reviewCommands(admin: Composer<ShopContext>, deps: ConsoleDeps): void {
  const db = deps.pipeline.db;
  /** The list last shown in each chat, to redraw after an action. */
  const shown = new Map<number, { messageId: number; page: number; at: number }>();

  function view(page: number): { text: string; keyboard: InlineKeyboard } {
    const total = countInReview(db);
    const pages = Math.max(1, Math.ceil(total / REVIEW_PAGE));
    const current = Math.min(Math.max(0, page), pages - 1);
    const rows = listInReview(db, REVIEW_PAGE, current * REVIEW_PAGE);
    if (total === 0) return { text: "The review queue is empty. 👍", keyboard: new InlineKeyboard().text("🔄 Refresh", `rv:0`) };
    const lines = rows.map(
      (o) =>
        `<code>${o.id}</code> · ${escapeHtml(o.product.name)} · ${escapeHtml(formatMoney({ amount: o.amount, currency: o.currency }))}${o.riskHeldAt !== null ? " · ⛔ fraud hold" : ""}\n   ${escapeHtml(o.lastError ?? o.reviewCause ?? "")}`,
    );
    const keyboard = reviewKeyboard(rows);
    if (pages > 1) {
      if (current > 0) keyboard.text("⬅️ Prev", `rv:${current - 1}`);
      keyboard.text(`${current + 1}/${pages}`, `rv:${current}`);
      if (current < pages - 1) keyboard.text("Next ➡️", `rv:${current + 1}`);
      keyboard.row();
    }
    const retryable = listRetryableInReview(db).length;
    if (retryable > 0) keyboard.text(`🔁 Retry all (${retryable})`, ALERT_ACTIONS.retryAll);
    keyboard.text("🔄 Refresh", `rv:${current}`);
    return { text: [`<b>${TITLE} (${total})</b>${pages > 1 ? ` · page ${current + 1}/${pages}` : ""}, oldest first`, ...lines].join("\n"), keyboard };
  }

  async function redraw(ctx: ShopContext, chatId: number, messageId: number, page: number): Promise<void> {
    const { text, keyboard } = view(page);
    await ctx.api.editMessageText(chatId, messageId, text, { parse_mode: "HTML", reply_markup: keyboard }).catch(() => undefined);
    shown.set(chatId, { messageId, page, at: Date.now() });
  }

  admin.command("review", async (ctx) => {
    const page = Math.max(0, Number(ctx.match.trim()) - 1 || 0);
    const { text, keyboard } = view(page);
    const sent = await ctx.reply(text, { parse_mode: "HTML", reply_markup: keyboard });
    shown.set(ctx.chat.id, { messageId: sent.message_id, page, at: Date.now() });
  });

  admin.callbackQuery(/^rv:(\d{1,5})$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const message = ctx.callbackQuery.message;
    if (message) await redraw(ctx, message.chat.id, message.message_id, Number(ctx.match[1]));
  });

  // A Retry on the list: done by admin.ts, then the list redrawn in place.
  admin.callbackQuery(/^ar:ORD-[0-9A-Z]{8}$/, async (ctx, next) => {
    await next();
    const message = ctx.callbackQuery.message;
    const last = message ? shown.get(message.chat.id) : undefined;
    if (message && (message.text ?? "").startsWith(TITLE)) await redraw(ctx, message.chat.id, message.message_id, last?.messageId === message.message_id ? last.page : 0);
  });

  // Any question answered (by whichever feature asked it): the chat's list redrawn.
  const afterAnswer = async (ctx: ShopContext, next: () => Promise<void>) => {
    await next();
    const chatId = ctx.chat?.id;
    const last = chatId !== undefined ? shown.get(chatId) : undefined;
    if (chatId !== undefined && last && Date.now() - last.at < REFRESH_WINDOW_MS) await redraw(ctx, chatId, last.messageId, last.page);
  };
  admin.callbackQuery(CONFIRM_DATA, afterAnswer);
  admin.callbackQuery(CANCEL_DATA, afterAnswer);
}
