// Delivery: the codes (decrypted from the store) sent in as many messages as they need, or as a .txt file
// (delivery-message.ts), then `delivered` with the first Telegram message id. At least once: a crash between the
// send and the commit, or a failure after the first of several messages, sends the same codes again.
// Telegram refusing the chat (blocked, gone) or the message (a 400) ends in `delivery_failed` at once; a passing
// failure (network, 5xx, a long 429) is retried with backoff up to DELIVERY_MAX_ATTEMPTS, then `delivery_failed`;
// with EMAIL_DELIVERY on, that move queues the codes by email (email-orders.ts), which then makes it `delivered`.
import { GrammyError, HttpError, InputFile, type Api } from "grammy";
import { customerLanguage } from "../customers/notify.js";
import { markCustomerBlocked } from "../customers/repository.js";
import { guardedSignal, type CallSignal } from "../lib/send-guard.js";
import { codesWithheld, resolveHold } from "../orders/hold.js";
import { getOrder, getOrderState } from "../orders/repository.js";
import { recordOrderNote, transition, type OrderRow } from "../orders/state-machine.js";
import { planDelivery, type DeliveryPlan } from "./delivery-message.js";
import { emailInsteadOfTelegram, queueReceipt } from "./email-orders.js";
import { scheduleRetry, type PipelineDeps } from "./pipeline.js";

/** Telegram will never take a message in this chat: the bot is blocked, the chat is gone, the user deactivated. */
export function isPermanentTelegramRefusal(error: unknown): boolean {
  if (!(error instanceof GrammyError)) return false;
  if (error.error_code === 403) return true;
  return error.error_code === 400 && /chat not found|user is deactivated|peer_id_invalid|bot was blocked|bot was kicked/i.test(error.description);
}

/**
 * What a failed send means: `chat` (never in this chat), `message` (never this message: Telegram's 400 on the
 * content, sending it again changes nothing), or `passing` (network, 5xx, a 429 longer than auto-retry waits).
 */
export function telegramRefusal(error: unknown): "chat" | "message" | "passing" {
  if (isPermanentTelegramRefusal(error)) return "chat";
  if (error instanceof GrammyError && error.error_code === 400) return "message";
  return "passing";
}

function reasonOf(error: unknown): string {
  if (error instanceof GrammyError) return error.description;
  if (error instanceof HttpError) return "network error";
  return error instanceof Error ? error.message : String(error);
}

/** Sends a planned delivery to a chat; returns the id of its first message. */
export async function sendDelivery(api: Api, chatId: number, plan: DeliveryPlan, signal?: CallSignal): Promise<number> {
  if (plan.kind === "document") {
    const sent = await api.sendDocument(chatId, new InputFile(Buffer.from(plan.content, "utf8"), plan.fileName), { caption: plan.caption, parse_mode: "HTML" }, signal);
    return sent.message_id;
  }
  let first: number | undefined;
  for (const text of plan.texts) {
    // The guard (`signal`) is for the first message only: once a part has left, the rest follows (a delivery is
    // never cut in the middle; a hold that came meanwhile is recorded as having come too late).
    const sent = await api.sendMessage(chatId, text, { parse_mode: "HTML", link_preview_options: { is_disabled: true } }, first === undefined ? signal : undefined);
    first ??= sent.message_id;
  }
  return first!;
}

/** What a delivery attempt came to: sent, or Telegram's reason it was not (the order is moved or rescheduled). */
export type DeliveryOutcome = { sent: true } | { sent: false; reason: string };

/** Runs the delivery step of a `fulfilled` order (or a resend of a `delivery_failed` one). */
export async function runDeliveryStep(deps: PipelineDeps, order: OrderRow, actor = "worker"): Promise<DeliveryOutcome> {
  // Refunded or disputed before the code left: it stays stored, unsent (orders/hold.ts).
  const state = getOrderState(deps.db, order.id);
  const current = state?.holdReason && state.status === "fulfilled" ? getOrder(deps.db, order.id) : undefined;
  if (current?.holdReason && current.status === "fulfilled") {
    resolveHold(deps, current, "code_ready", actor);
    return { sent: false, reason: `held (${current.holdReason})` };
  }
  if (order.status === "delivery_failed") {
    // A resend (an admin's, or the customer back): not when the money went back or is disputed since.
    const current = getOrder(deps.db, order.id);
    const withheld = current ? codesWithheld(deps.db, current) : undefined;
    if (withheld) return { sent: false, reason: `not sent: ${withheld}` };
  }
  const locale = customerLanguage(deps.db, order.customerId);
  const plan = planDelivery(deps, order, locale);
  let messageId: number;
  const sendStartedAt = deps.now();
  try {
    // A first delivery looks at the hold again just before its message leaves: a refund or a dispute that lands
    // while it waits for its pacing slot (or an auto-retry's sleep) stops it there. A resend has no hold to meet.
    const guard =
      order.status === "fulfilled"
        ? guardedSignal(() => {
            const held = getOrderState(deps.db, order.id)?.holdReason;
            return held ? `held (${held})` : undefined;
          })
        : undefined;
    messageId = await sendDelivery(deps.api, order.chatId, plan, guard);
  } catch (error) {
    return failed(deps, order, actor, error);
  }
  deps.metrics.deliveries.inc({ outcome: "sent" });
  const now = deps.now();
  const detail = { telegram_message_id: messageId, send_started_at: sendStartedAt, ...(plan.kind === "document" ? { as: "document" } : { messages: plan.texts.length }) };
  if (order.status === "delivered") {
    // A resend of a delivered order: logged, the status stays.
    recordOrderNote(deps, { orderId: order.id, status: "delivered", cause: "resent", actor, detail, patch: { telegramMessageId: messageId } });
    return { sent: true };
  }
  // A hold placed while the message was on its way (waiting for its pacing slot, or in flight) came too late:
  // the code reached the customer. Recorded as it happened, and ops are told.
  const heldMeanwhile = getOrderState(deps.db, order.id)?.holdReason ?? null;
  transition(deps, {
    orderId: order.id,
    from: order.status,
    to: "delivered",
    cause: order.status === "delivery_failed" ? "resent" : heldMeanwhile ? "sent_before_hold" : "sent",
    actor,
    detail,
    patch: { telegramMessageId: messageId, deliveredAt: now, deliveryChannel: "telegram" },
    also: () => {
      // EMAIL_DELIVERY=always: a receipt with the code, committed with the delivery.
      if (order.status === "fulfilled") queueReceipt(deps, order);
      if (heldMeanwhile) {
        deps.alerts.raise({ kind: heldMeanwhile === "dispute" ? "dispute" : "stripe_refund", orderId: order.id, text: `${order.id}: the code had already left when the order was held (${heldMeanwhile}); it was delivered` });
      }
    },
  });
  if (order.paidAt !== null) deps.metrics.paymentToDelivery.observe((now - order.paidAt) / 1000);
  return { sent: true };
}

function failed(deps: PipelineDeps, order: OrderRow, actor: string, error: unknown): DeliveryOutcome {
  const refusal = telegramRefusal(error);
  const reason = reasonOf(error);
  if (refusal === "chat") markCustomerBlocked(deps.db, order.customerId, deps.now());
  // A resend (admin) only reports; the worker moves a `fulfilled` order.
  if (order.status !== "fulfilled") return { sent: false, reason };
  // Held (refunded, disputed, an admin's refund) while the message waited for its slot and Telegram then refused
  // it: the hold is settled as for a code that was never sent, not left on an undeliverable order.
  const current = getOrder(deps.db, order.id);
  if (current?.status === "fulfilled" && current.holdReason) {
    resolveHold(deps, current, "code_ready", actor, { error: reason });
    return { sent: false, reason: `held (${current.holdReason})` };
  }
  const attempt = order.attempts + 1;
  if (refusal === "passing" && attempt < deps.settings.deliveryMaxAttempts) {
    deps.metrics.deliveries.inc({ outcome: "retry" });
    const retryAfter = error instanceof GrammyError ? (error.parameters.retry_after ?? 0) * 1000 : undefined;
    deps.logger.warn({ order_id: order.id, attempt, reason }, "delivery failed for a passing reason; will retry");
    scheduleRetry(deps, order, "delivery", reason, retryAfter);
    return { sent: false, reason };
  }
  deps.metrics.deliveries.inc({ outcome: refusal === "passing" ? "failed" : "refused" });
  const why = refusal === "passing" ? `${attempt} delivery attempts failed; last: ${reason}` : `Telegram refused: ${reason}`;
  deps.logger.warn({ order_id: order.id, attempt, reason, refusal }, "delivery failed for good; the codes are kept");
  transition(deps, {
    orderId: order.id,
    from: "fulfilled",
    to: "delivery_failed",
    cause: refusal === "passing" ? "delivery_attempts_exhausted" : "telegram_refused",
    actor,
    detail: { error: reason, attempts: attempt },
    patch: { lastError: why },
    // The alert, and the email that takes the code instead (EMAIL_DELIVERY), commit with the move (same database).
    also: () => deps.alerts.raise({ kind: "delivery_failed", orderId: order.id, text: `${order.id}: ${why}${emailInsteadOfTelegram(deps, order)}` }),
  });
  return { sent: false, reason };
}
