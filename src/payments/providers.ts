// The payment side as the pipeline sees it: refunds at the provider an order was paid with (Stripe's
// refunds.create with the idempotency key refund-<order id>, or Telegram's refundStarPayment), and what Stripe
// knows of the card that paid (for the fraud rules). The pipeline's steps decide what the answers mean.
import type { Api } from "grammy";
import Stripe from "stripe";
import type { OrderRow } from "../orders/state-machine.js";
import type { CardSignals } from "../risk/rules.js";
import { refundStars } from "./stars.js";

export function refundIdempotencyKey(orderId: string): string {
  return `refund-${orderId}`;
}

/**
 * What one refund attempt at a provider came to. A failure is `passing` when trying again may work; it goes
 * to review when it is not, or when the attempts run out. `refunded` without `refund` means the provider says
 * it was refunded before (by an earlier attempt or by hand).
 */
export type RefundAttempt =
  | { outcome: "refunded"; cause: string; detail: Record<string, unknown>; refund?: { id: string; amount: number } }
  | { outcome: "failed"; passing: boolean; message: string; alert: string; cause: string; detail: Record<string, unknown> };

/** A provider's refusal or failure; `passing` when asking again later may work. */
export class ProviderError extends Error {
  override readonly name = "ProviderError";
  constructor(
    message: string,
    readonly passing: boolean,
  ) {
    super(message);
  }
}

function isPassingStripeError(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeConnectionError || error instanceof Stripe.errors.StripeAPIError || error instanceof Stripe.errors.StripeRateLimitError;
}

/** The payment side as the pipeline sees it. */
export interface PaymentProviders {
  refund(order: OrderRow): Promise<RefundAttempt>;
  /**
   * Radar's view of the card that paid and the card's own facts (payment_intent.latest_charge, expanded); null
   * for a payment without a card (Telegram Stars). Throws a ProviderError (passing: ask again later).
   */
  cardSignals(order: OrderRow): Promise<CardSignals | null>;
}

export function createPaymentProviders(deps: { stripe: Stripe; api: Api }): PaymentProviders {
  return {
    refund: (order) => (order.paymentMethod === "stars" ? refundWithTelegram(deps.api, order) : refundWithStripe(deps.stripe, order)),
    cardSignals: async (order) => {
      if (order.paymentMethod !== "stripe" || !order.stripePaymentIntentId) return null;
      try {
        const intent = await deps.stripe.paymentIntents.retrieve(order.stripePaymentIntentId, { expand: ["latest_charge"] });
        const charge = typeof intent.latest_charge === "object" ? intent.latest_charge : null;
        return charge ? cardSignalsOf(charge) : null;
      } catch (error) {
        throw new ProviderError((error as Error).message, isPassingStripeError(error));
      }
    },
  };
}

/** The fields of a charge the fraud rules read. */
export function cardSignalsOf(charge: Stripe.Charge): CardSignals {
  const card = charge.payment_method_details?.card;
  return {
    riskLevel: charge.outcome?.risk_level ?? null,
    riskScore: charge.outcome?.risk_score ?? null,
    outcomeType: charge.outcome?.type ?? null,
    fingerprint: card?.fingerprint ?? null,
    country: card?.country ?? null,
    funding: card?.funding ?? null,
    cvcCheck: card?.checks?.cvc_check ?? null,
    addressCheck: card?.checks?.address_line1_check ?? null,
  };
}

async function refundWithStripe(stripe: Stripe, order: OrderRow): Promise<RefundAttempt> {
  if (!order.stripePaymentIntentId) {
    const message = "no payment intent recorded";
    return { outcome: "failed", passing: false, message, alert: "no Stripe payment is recorded for this order", cause: "refund_impossible", detail: { reason: message } };
  }
  try {
    const refund = await stripe.refunds.create(
      { payment_intent: order.stripePaymentIntentId, metadata: { order_id: order.id } },
      { idempotencyKey: refundIdempotencyKey(order.id) },
    );
    return { outcome: "refunded", refund: { id: refund.id, amount: refund.amount }, cause: "refund_created", detail: { refund_id: refund.id, status: refund.status } };
  } catch (error) {
    const message = (error as Error).message;
    const passing = isPassingStripeError(error);
    if (!passing && (error as { code?: string }).code === "charge_already_refunded") {
      return { outcome: "refunded", cause: "already_refunded", detail: { stripe: message } };
    }
    return { outcome: "failed", passing, message, alert: `Stripe refused the refund (${message})`, cause: "refund_refused", detail: { stripe: message } };
  }
}

async function refundWithTelegram(api: Api, order: OrderRow): Promise<RefundAttempt> {
  try {
    const { refundId } = await refundStars(api, order);
    return { outcome: "refunded", refund: { id: refundId, amount: order.amount }, cause: "stars_refunded", detail: { refund_id: refundId } };
  } catch (error) {
    const message = (error as Error).message;
    // A 400 is Telegram saying no for good; anything else may pass.
    return { outcome: "failed", passing: !/400/.test(message), message, alert: `Telegram refused the Stars refund (${message})`, cause: "refund_refused", detail: { telegram: message } };
  }
}
