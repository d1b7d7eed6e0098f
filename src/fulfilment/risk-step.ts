// The risk step: the first step of a paid order, before any supplier order. It reads what Stripe knows of the
// card (Stars payments have no card), applies the fraud rules (risk/rules.ts), and either lets the order go on
// to the supplier or holds it for a person with the reasons. Held orders not released in time are refunded.
import { getCustomer } from "../customers/repository.js";
import { formatMoney } from "../lib/money.js";
import { sendToReview } from "../orders/review.js";
import { customersOnCard, listRiskHeldBefore, paidSince, updateOrderFields } from "../orders/repository.js";
import { transition, type OrderRow } from "../orders/state-machine.js";
import { addBan, findBan, isCustomerBanned } from "../risk/bans.js";
import { assessRisk, type CardSignals } from "../risk/rules.js";
import { ProviderError } from "../payments/providers.js";
import { scheduleRetry, type PipelineDeps } from "./pipeline.js";

const ACTOR = "worker";

/** Runs the rules on a paid order not yet assessed; returns the order when it may go on to the supplier. */
export async function runRiskStep(deps: PipelineDeps, order: OrderRow): Promise<OrderRow | undefined> {
  let card: CardSignals | null;
  try {
    card = await deps.payments.cardSignals(order);
  } catch (error) {
    const message = (error as Error).message;
    deps.logger.warn({ order_id: order.id, err: message }, "could not read the card's risk from Stripe");
    const passing = error instanceof ProviderError ? error.passing : true;
    if (!passing || order.attempts + 1 >= deps.settings.maxAttempts * 2) {
      sendToReview(deps, order, { cause: "risk_check_unavailable", reason: `the fraud check could not read the payment from Stripe (${message}); look at it in Stripe, then Retry (the check runs again) or Refund`, actor: ACTOR });
      return undefined;
    }
    scheduleRetry(deps, order, "risk", `risk check: ${message}`);
    return undefined;
  }
  const now = deps.now();
  const customer = getCustomer(deps.db, order.customerId);
  const firstSeen = customer?.createdAt ?? order.createdAt;
  const fingerprint = card?.fingerprint ?? null;
  const onCard = fingerprint ? new Set([...customersOnCard(deps.db, fingerprint), order.customerId]).size : 0;
  const cardBan = fingerprint ? findBan(deps.db, "card", fingerprint) : undefined;
  const assessment = assessRisk(deps.risk, {
    amount: order.amount,
    currency: order.currency,
    card,
    customerAgeMs: now - firstSeen,
    customerLanguage: customer?.telegramLanguage ?? null,
    paidLastDay: paidSince(deps.db, order.customerId, order.currency, now - 86_400_000),
    paidSinceFirstSeen: paidSince(deps.db, order.customerId, order.currency, firstSeen).value,
    accountsOnCard: onCard,
    cardBanned: cardBan !== undefined,
    customerBanned: isCustomerBanned(deps.db, order.customerId),
  });
  const facts = { riskCheckedAt: now, risk: assessment, cardFingerprint: fingerprint };
  if (assessment.holds.length === 0) {
    if (!updateOrderFields(deps.db, order.id, "paid", facts, now)) return undefined;
    if (assessment.signals.length > 0) deps.logger.info({ order_id: order.id, signals: assessment.signals }, "risk signals (not a hold)");
    return { ...order, ...facts };
  }
  // A banned card bans whoever pays with it.
  if (cardBan) addBan(deps.db, "customer", String(order.customerId), `paid with a banned card (${cardBan.reason})`, "system", now);
  const also = assessment.signals.length ? ` (also: ${assessment.signals.join("; ")})` : "";
  const reason = `held by the fraud rules: ${assessment.holds.join("; ")}${also}`;
  sendToReview(deps, order, {
    cause: "risk_hold",
    reason,
    actor: ACTOR,
    detail: { holds: assessment.holds, signals: assessment.signals },
    patch: { ...facts, riskHeldAt: now },
    alert: { kind: "risk_hold", text: `${order.id} (${formatMoney({ amount: order.amount, currency: order.currency })}, customer ${order.customerId}): ${assessment.holds.join("; ")}${also}; /release ${order.id} or Refund` },
  });
  return undefined;
}

/** Held orders nobody released within RISK_HOLD_AUTO_REFUND_HOURS are refunded, with an alert. */
export function refundExpiredRiskHolds(deps: PipelineDeps): number {
  const hours = deps.risk.holdAutoRefundHours;
  if (hours === null) return 0;
  const expired = listRiskHeldBefore(deps.db, deps.now() - hours * 3_600_000);
  for (const order of expired) {
    transition(deps, { orderId: order.id, from: "needs_review", to: "refunding", cause: "risk_hold_expired", actor: "system", detail: { hours } });
    deps.alerts.raise({ kind: "risk_hold", orderId: order.id, text: `${order.id}: held by the fraud rules for over ${hours} h without a decision; refunded automatically` });
  }
  return expired.length;
}
