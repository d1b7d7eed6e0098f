// Delivery: the codes (decrypted from the store) sent with bot.api.sendMessage, then `delivered` with the
// Telegram message id. At least once: a crash between the send and the commit sends the same code again.
import { GrammyError, HttpError } from "grammy";
import { markCustomerBlocked } from "../customers/repository.js";
import { formatDate } from "../lib/datetime.js";
import { escapeHtml } from "../lib/html.js";
import { faceValueText, textOf, unitOf } from "../catalog/texts.js";
import { resolveHold } from "../orders/hold.js";
import { getDeliveredItems, getOrder } from "../orders/repository.js";
import { recordOrderNote, transition, type OrderRow } from "../orders/state-machine.js";
import { scheduleRetry, type PipelineDeps } from "./pipeline.js";
import { customerLanguage } from "../customers/notify.js";

/** The customer-facing text of a fulfilled order, in the customer's language, HTML for Telegram. */
export function deliveryMessage(deps: Pick<PipelineDeps, "db" | "t" | "sealer" | "supportContact">, order: OrderRow, locale: string): string {
  const product = order.product;
  // When no "payment received" went out before, the code's message says it.
  const header = order.paidNoticeAt === null && order.slowNoticeAt === null ? `${deps.t(locale, "paid-header", { order: order.id })}\n` : "";
  return header + deliveryBody(deps, order, locale);
}

function deliveryBody(deps: Pick<PipelineDeps, "db" | "t" | "sealer" | "supportContact">, order: OrderRow, locale: string): string {
  const product = order.product;
  const common = { order: order.id, name: escapeHtml(textOf(product, "name", locale)), support: escapeHtml(deps.supportContact) };
  if (product.kind === "topup") {
    const confirmation = order.supplierConfirmation ?? {};
    const reference = String(confirmation["operator_transaction_id"] ?? order.supplierOrderId ?? "");
    return deps.t(locale, "delivery-topup", { ...common, recipient: escapeHtml(order.recipient ?? ""), reference: escapeHtml(reference) });
  }
  const lines: string[] = [];
  for (const item of getDeliveredItems(deps.db, order.id)) {
    if (lines.length > 0) lines.push("");
    lines.push(deps.t(locale, "delivery-code-line", { code: escapeHtml(deps.sealer.open(item.codeEnc, order.id)) }));
    if (item.pinEnc) lines.push(deps.t(locale, "delivery-pin-line", { pin: escapeHtml(deps.sealer.open(item.pinEnc, order.id)) }));
    if (item.serialEnc) lines.push(deps.t(locale, "delivery-serial-line", { serial: escapeHtml(deps.sealer.open(item.serialEnc, order.id)) }));
    if (item.expiresAt) lines.push(deps.t(locale, "delivery-expiry-line", { date: escapeHtml(expiryText(item.expiresAt, locale)) }));
  }
  return deps.t(locale, "delivery-code", {
    ...common,
    face: escapeHtml(faceValueText(product.faceValue, unitOf(product), locale, (key, variables) => deps.t(locale, key, variables))),
    codes: lines.join("\n"),
    instructions: escapeHtml(textOf(product, "instructions", locale)),
  });
}

/** The supplier's expiry (an ISO date or time) as a date in the customer's language; kept as sent when it is no date. */
function expiryText(value: string, locale: string): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : formatDate(ms, locale);
}

/** Telegram will never take this message: the bot is blocked, the chat is gone, the user deactivated. */
export function isPermanentTelegramRefusal(error: unknown): boolean {
  if (!(error instanceof GrammyError)) return false;
  if (error.error_code === 403) return true;
  return error.error_code === 400 && /chat not found|user is deactivated|peer_id_invalid/i.test(error.description);
}

/** Runs the delivery step of a `fulfilled` order (or a resend of a `delivery_failed` one). */
export async function runDeliveryStep(deps: PipelineDeps, order: OrderRow, actor = "worker"): Promise<void> {
  // Refunded or disputed before the code left: it stays stored, unsent (orders/hold.ts).
  const current = getOrder(deps.db, order.id);
  if (current?.holdReason && current.status === "fulfilled") return void resolveHold(deps, current, "code_ready", actor);
  const locale = customerLanguage(deps.db, order.customerId);
  const text = deliveryMessage(deps, order, locale);
  let messageId: number;
  const sendStartedAt = deps.now();
  try {
    const sent = await deps.api.sendMessage(order.chatId, text, { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
    messageId = sent.message_id;
  } catch (error) {
    if (isPermanentTelegramRefusal(error)) {
      deps.metrics.deliveries.inc({ outcome: "refused" });
      markCustomerBlocked(deps.db, order.customerId, deps.now());
      if (order.status === "fulfilled") {
        transition(deps, {
          orderId: order.id,
          from: "fulfilled",
          to: "delivery_failed",
          cause: "telegram_refused",
          actor,
          detail: { error: (error as GrammyError).description },
          patch: { lastError: (error as GrammyError).description },
        });
        deps.alerts.raise({ kind: "delivery_failed", orderId: order.id, text: `${order.id}: ${(error as GrammyError).description}` });
      }
      throw error;
    }
    deps.metrics.deliveries.inc({ outcome: "retry" });
    const attempt = order.attempts + 1;
    const retryAfter = error instanceof GrammyError ? (error.parameters.retry_after ?? 0) * 1000 : undefined;
    const reason = error instanceof GrammyError ? error.description : error instanceof HttpError ? "network error" : String(error);
    deps.logger.warn({ order_id: order.id, attempt, reason }, "delivery failed for a passing reason; will retry");
    if (order.status === "fulfilled") scheduleRetry(deps, order, "delivery", reason, retryAfter);
    throw error;
  }
  deps.metrics.deliveries.inc({ outcome: "sent" });
  const now = deps.now();
  if (order.status === "delivered") {
    // A resend of a delivered order: logged, the status stays.
    recordOrderNote(deps, { orderId: order.id, status: "delivered", cause: "resent", actor, detail: { telegram_message_id: messageId }, patch: { telegramMessageId: messageId } });
    return;
  }
  // A hold placed while the message was on its way (waiting for its pacing slot, or in flight) came too late:
  // the code reached the customer. Recorded as it happened, and ops are told.
  const heldMeanwhile = getOrder(deps.db, order.id)?.holdReason ?? null;
  transition(deps, {
    orderId: order.id,
    from: order.status,
    to: "delivered",
    cause: order.status === "delivery_failed" ? "resent" : heldMeanwhile ? "sent_before_hold" : "sent",
    actor,
    detail: { telegram_message_id: messageId, send_started_at: sendStartedAt },
    patch: { telegramMessageId: messageId, deliveredAt: now },
  });
  if (heldMeanwhile) {
    deps.alerts.raise({ kind: heldMeanwhile === "dispute" ? "dispute" : "stripe_refund", orderId: order.id, text: `${order.id}: the code had already left when the order was held (${heldMeanwhile}); it was delivered` });
  }
  if (order.paidAt !== null) deps.metrics.paymentToDelivery.observe((now - order.paidAt) / 1000);
}
