// Lines the admin's screens share (HTML): an order in one line, what the fraud rules saw of its payment, and the
// buttons of an order in review.
import { InlineKeyboard } from "grammy";
import { escapeHtml } from "../lib/html.js";
import { formatMoney } from "../lib/money.js";
import { MESSAGE_LIMIT, visibleLength } from "../lib/telegram-text.js";
import type { OrderRow } from "../orders/state-machine.js";

/** "Steam Wallet 50 USD × 1 · $53.99, paid by card (Stripe) · customer 3001". */
export function orderLine(order: OrderRow): string {
  const paid = order.paymentMethod === "stars" ? "paid in Telegram Stars" : "paid by card (Stripe)";
  return `${escapeHtml(order.product.name)} × ${order.quantity} · <b>${escapeHtml(formatMoney({ amount: order.amount, currency: order.currency }))}</b>, ${paid} · customer <code>${order.customerId}</code>`;
}

/**
 * The fraud check of an order: Radar's reading and the card (country, funding, checks, fingerprint to /ban), the
 * rules that held it and the signals that are not holds (a card from another country than the customer's language).
 * Empty until the rules have run.
 */
export function riskLines(order: OrderRow): string[] {
  const risk = order.risk;
  const lines: string[] = [];
  if (risk) {
    if (order.paymentMethod === "stars") lines.push("🛡 Fraud check: paid in Telegram Stars, no card to read (the spending rules apply)");
    else {
      const radar = risk.level ? `Radar ${risk.level}${risk.score != null ? ` (score ${risk.score})` : ""}${risk.outcome ? `, ${risk.outcome}` : ""}` : "no Radar reading";
      const card = [risk.cardCountry, risk.cardFunding].filter(Boolean).join(" ") || "unknown";
      lines.push(`🛡 Fraud check: ${escapeHtml(radar)} · card ${escapeHtml(card)} · CVC ${escapeHtml(risk.cvcCheck ?? "n/a")}, address ${escapeHtml(risk.addressCheck ?? "n/a")}`);
    }
  }
  if (order.cardFingerprint) lines.push(`Card fingerprint: <code>${escapeHtml(order.cardFingerprint)}</code>`);
  if (risk?.holds.length) {
    const held = order.status === "needs_review" && order.riskHeldAt !== null;
    lines.push(`${held ? "⛔ Held by the fraud rules" : "The fraud rules held it (since resolved, see the timeline)"}: ${escapeHtml(risk.holds.join("; "))}`);
  }
  if (risk?.signals.length) lines.push(`⚠️ Signals (not a hold): ${escapeHtml(risk.signals.join("; "))}`);
  return lines;
}

/**
 * As many lines of a list as fit one message under the title (HTML), and how many were left out: a long list (bans,
 * disputes) never makes Telegram refuse the whole answer.
 */
export function fitLines(title: string, lines: readonly string[], footer = ""): { text: string; shown: number } {
  const room = MESSAGE_LIMIT - 100 - visibleLength(title) - visibleLength(footer);
  let used = 0;
  let shown = 0;
  for (const line of lines) {
    const length = visibleLength(line) + 1;
    if (used + length > room) break;
    used += length;
    shown += 1;
  }
  const more = lines.length > shown ? [`… and ${lines.length - shown} more not shown`] : [];
  return { text: [title, ...lines.slice(0, shown), ...more, ...(footer ? ["", footer] : [])].join("\n"), shown };
}

/**
 * The buttons of orders in review: Retry, Refund and Code; for an order the fraud rules hold, Release and Refund
 * (never a plain Retry). /review and /order show them.
 */
export function reviewKeyboard(rows: readonly Pick<OrderRow, "id" | "riskHeldAt">[], keyboard = new InlineKeyboard()): InlineKeyboard {
  for (const { id, riskHeldAt } of rows) {
    if (riskHeldAt !== null) keyboard.text(`✅ Release ${id}`, `rl:${id}`).text("↩ Refund", `af:${id}`).row();
    else keyboard.text(`↻ Retry ${id}`, `ar:${id}`).text("↩ Refund", `af:${id}`).text("✍ Code", `ac:${id}`).row();
  }
  return keyboard;
}
