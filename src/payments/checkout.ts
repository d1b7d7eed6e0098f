// Opening a checkout: the order row first (at the promo's discounted total when the customer gave a code), then one
// Stripe Checkout Session for it (30 minutes, cards only, the deep link back into the bot). Paused sales open nothing. A repeated tap returns the open order instead of making a second one.
import type { Db } from "../db/connection.js";
import type { ProductSnapshot } from "../db/schema.js";
import { countCustomerOrders, findOpenOrder, getOrder, updateOrderFields } from "../orders/repository.js";
import { isForSale, type ProductRow } from "../catalog/catalog.js";
import { RECIPIENT_MAX_LENGTH, recipientPattern } from "../catalog/recipient-patterns.js";
import { textOf } from "../catalog/texts.js";
import type { IdGenerator } from "../lib/ids.js";
import { multiply } from "../lib/money.js";
import type { Logger } from "../logger.js";
import { createOrder, transition, type OrderRow } from "../orders/state-machine.js";
import { pauseOf } from "../catalog/pause.js";
import { checkPromo, discountedStars, type PromoRefusal } from "../promo/codes.js";
import { isCustomerBanned } from "../risk/bans.js";
import type { Stripe } from "./stripe-client.js";

export const CHECKOUT_TTL_MS = 30 * 60 * 1000;

export interface CheckoutDeps {
  db: Db;
  stripe: Stripe;
  logger: Logger;
  now: () => number;
  newOrderId: IdGenerator;
  /** The bot's username, for the deep links Stripe sends the customer back to. */
  botUsername: () => string;
  limits: { maxUnpaidOrders: number; maxOrdersPerHour: number };
  /** Which ways to pay the shop offers (PAYMENT_METHODS). */
  paymentMethods: ReadonlyArray<"stripe" | "stars">;
}

export interface CheckoutRequest {
  customerId: number;
  chatId: number;
  product: ProductRow;
  quantity: number;
  recipient: string | null;
  language: string;
  /** A promo code the customer typed (checked again here: it may have run out since). */
  promoCode?: string | null;
}

export type CheckoutResult =
  | { ok: true; order: OrderRow; reused: boolean }
  | {
      ok: false;
      reason: "product_unavailable" | "paused" | "bad_quantity" | "bad_recipient" | "too_many_unpaid" | "rate_limited" | "payment_provider_down" | "not_allowed" | `promo_${PromoRefusal}`;
      order?: OrderRow;
    };

export function snapshotOf(product: ProductRow): ProductSnapshot {
  return {
    sku: product.sku,
    name: product.name,
    category: product.category,
    kind: product.kind,
    faceValue: { amount: product.faceValueAmount, currency: product.faceValueCurrency },
    unitPrice: { amount: product.priceAmount, currency: product.priceCurrency },
    starsPrice: product.starsPrice ?? null,
    requiresPin: product.requiresPin,
    instructions: product.instructions,
    recipientRule: product.recipientRule ?? null,
    // Every language, so that the delivery (by the worker, later) and /orders speak the customer's.
    texts: product.labels && product.details ? { ...product.labels, ...product.details } : null,
    // Frozen with the order: a catalog change never reroutes an order whose attempt is under way.
    sources: product.sources ?? null,
  };
}

/**
 * The Checkout page's language for a shop locale, where Stripe Checkout has it (its list of locales);
 * "auto" (the browser's language) where it does not, as for Ukrainian.
 */
const STRIPE_LOCALES: Record<string, Stripe.Checkout.SessionCreateParams.Locale> = { en: "en", ru: "ru", es: "es", "pt-BR": "pt-BR", tr: "tr" };

export function stripeCheckoutLocale(locale: string): Stripe.Checkout.SessionCreateParams.Locale {
  return STRIPE_LOCALES[locale] ?? "auto";
}

/** Whether a recipient fits the product's rule: the whole of it, by the pattern compiled when the catalog was loaded. */
export function isValidRecipient(db: Db, product: Pick<ProductRow, "sku" | "kind" | "recipientRule">, recipient: string | null): boolean {
  if (product.kind === "code") return recipient === null;
  if (!recipient || recipient.length > RECIPIENT_MAX_LENGTH || !product.recipientRule) return false;
  return recipientPattern(db, product)?.test(recipient) ?? false;
}

export function paidDeepLink(botUsername: string, orderId: string): string {
  return `https://t.me/${botUsername}?start=paid_${orderId}`;
}

export function orderDeepLink(botUsername: string, orderId: string): string {
  return `https://t.me/${botUsername}?start=order_${orderId}`;
}

/** Creates the order and its Checkout Session, or returns the same open order for a repeated request. */
export async function openCheckout(deps: CheckoutDeps, request: CheckoutRequest): Promise<CheckoutResult> {
  const { db, now } = deps;
  const { product, quantity, recipient } = request;
  // A banned customer is refused politely, with no details (risk/bans.ts).
  if (isCustomerBanned(db, request.customerId)) return { ok: false, reason: "not_allowed" };
  if (!isForSale(product)) return { ok: false, reason: "product_unavailable" };
  // Sales paused by an admin (the shop or this product): "back soon", no new order.
  if (pauseOf(db, product.sku)) return { ok: false, reason: "paused" };
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > product.maxQuantity) return { ok: false, reason: "bad_quantity" };
  if (!isValidRecipient(db, product, recipient)) return { ok: false, reason: "bad_recipient" };

  const at = now();
  // Stars only: the order is in XTR from the start, with no Checkout Session.
  const starsOnly = !deps.paymentMethods.includes("stripe");
  if (starsOnly && !product.starsPrice) return { ok: false, reason: "product_unavailable" };
  // The list totals, then the promo: its discount is taken off the card total; the Stars total loses the same share.
  const cardList = multiply({ amount: product.priceAmount, currency: product.priceCurrency }, quantity);
  const starsList = product.starsPrice ? product.starsPrice * quantity : null;
  let cardTotal = cardList.amount;
  let promoCode: string | null = null;
  if (request.promoCode) {
    const checked = checkPromo(db, request.promoCode, product, cardList, at, request.customerId);
    if (!checked.ok) return { ok: false, reason: `promo_${checked.reason}` };
    cardTotal = checked.amount;
    promoCode = checked.promo.code;
  }
  const starsTotal = starsList === null ? null : discountedStars(starsList, cardList.amount, cardTotal);
  const total = starsOnly ? { amount: starsTotal!, currency: "XTR" } : { amount: cardTotal, currency: cardList.currency };
  const originalAmount = promoCode ? (starsOnly ? starsList : cardList.amount) : null;

  // Same product, quantity, recipient and price, still payable: the customer tapped twice.
  const open = findOpenOrder(db, { customerId: request.customerId, sku: product.sku, quantity, recipient, amount: total.amount, currency: total.currency }, at + 60_000);
  if (open && (open.stripeSessionUrl || open.paymentMethod === "stars")) return { ok: true, order: open, reused: true };
  // A new order: the code's limit counts every open order now, the customer's own included.
  if (request.promoCode && !checkPromo(db, request.promoCode, product, cardList, at).ok) return { ok: false, reason: "promo_used_up" };

  const counts = countCustomerOrders(db, request.customerId, at, at - 3_600_000);
  if (counts.unpaid >= deps.limits.maxUnpaidOrders) return { ok: false, reason: "too_many_unpaid" };
  if (counts.recent >= deps.limits.maxOrdersPerHour) return { ok: false, reason: "rate_limited" };

  const smDeps = { db, now, logger: deps.logger };
  const order = createOrder(
    smDeps,
    {
      id: deps.newOrderId(),
      customerId: request.customerId,
      chatId: request.chatId,
      sku: product.sku,
      product: { ...snapshotOf(product), starsTotal },
      quantity,
      recipient,
      amount: total.amount,
      currency: total.currency,
      promoCode,
      originalAmount,
      paymentMethod: starsOnly ? "stars" : "stripe",
      expiresAt: at + CHECKOUT_TTL_MS,
    },
    `customer:${request.customerId}`,
  );
  if (starsOnly) return { ok: true, order, reused: false };

  try {
    const session = await createCheckoutSession(deps, order, request.language);
    updateOrderFields(db, order.id, "awaiting_payment", { stripeSessionId: session.id, stripeSessionUrl: session.url }, now());
    return { ok: true, order: getOrder(db, order.id)!, reused: false };
  } catch (error) {
    deps.logger.error({ order_id: order.id, err: error }, "could not create the Stripe Checkout Session");
    transition(smDeps, { orderId: order.id, from: "awaiting_payment", to: "cancelled", cause: "checkout_failed", actor: "system", detail: { error: (error as Error).message } });
    return { ok: false, reason: "payment_provider_down" };
  }
}

async function createCheckoutSession(deps: CheckoutDeps, order: OrderRow, language: string): Promise<{ id: string; url: string }> {
  const bot = deps.botUsername();
  const snapshot = order.product;
  // Stripe wants expires_at at least 30 minutes after it creates the session; a few seconds of margin
  // keep a request in flight from being refused for arriving "too early".
  const expiresAt = Math.ceil(order.expiresAt / 1000) + 5;
  const session = await deps.stripe.checkout.sessions.create(
    {
      mode: "payment",
      allowed_payment_method_types: ["card"],
      client_reference_id: order.id,
      metadata: { order_id: order.id },
      payment_intent_data: { metadata: { order_id: order.id } },
      line_items: [
        // With a promo, one line for the discounted total (a discount spread over units would not always divide).
        order.promoCode
          ? {
              quantity: 1,
              price_data: {
                currency: order.currency.toLowerCase(),
                unit_amount: order.amount,
                product_data: { name: `${textOf(snapshot, "name", language)} × ${order.quantity} (${order.promoCode})`, metadata: { sku: snapshot.sku, promo_code: order.promoCode } },
              },
            }
          : {
              quantity: order.quantity,
              price_data: {
                currency: snapshot.unitPrice.currency.toLowerCase(),
                unit_amount: snapshot.unitPrice.amount,
                product_data: { name: textOf(snapshot, "name", language), metadata: { sku: snapshot.sku } },
              },
            },
      ],
      expires_at: expiresAt,
      success_url: paidDeepLink(bot, order.id),
      cancel_url: orderDeepLink(bot, order.id),
      locale: stripeCheckoutLocale(language),
    },
    { idempotencyKey: `checkout-${order.id}` },
  );
  if (!session.url) throw new Error("Stripe returned a session without a URL");
  return { id: session.id, url: session.url };
}
