// Dispute evidence from the shop's own records: what was sold, when and where it was delivered, who the customer
// is and what else they bought, the order's event log, and what the shop told the customer. Never a code or PIN:
// the texts are built from the order's snapshot and log, never from the delivered items.
import { getCustomer } from "../customers/repository.js";
import type { Db } from "../db/connection.js";
import { formatMoney } from "../lib/money.js";
import { disputesOfOrder, type DisputeRow } from "../orders/disputes.js";
import { getOrder, getOrderEvents, listCustomerOrders } from "../orders/repository.js";

/** Stripe's dispute evidence fields the shop fills, plus the customer communication (uploaded as a file). */
export interface DisputeEvidence {
  product_description: string;
  access_activity_log: string;
  uncategorized_text: string;
  service_date: string;
  customer_name: string;
  /** The text of the customer_communication file. */
  communication: string;
}

function utc(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").slice(0, 19) + " UTC";
}

/** The evidence for a dispute on a delivered order, or the reason there is none to build. */
export function buildDisputeEvidence(db: Db, dispute: DisputeRow, supportContact: string): { ok: true; evidence: DisputeEvidence } | { ok: false; reason: string } {
  const order = dispute.orderId ? getOrder(db, dispute.orderId) : undefined;
  if (!order) return { ok: false, reason: "the dispute names no order of ours" };
  if (order.status !== "delivered" || order.deliveredAt === null) return { ok: false, reason: `${order.id} is ${order.status}: evidence of delivery exists only for a delivered order` };
  const product = order.product;
  const customer = getCustomer(db, order.customerId);
  const paid = formatMoney({ amount: order.amount, currency: order.currency });
  const face = product.faceValue.currency ? formatMoney(product.faceValue) : String(product.faceValue.amount);
  // Orders paid before this one (later ones say nothing about the customer at the time of this purchase).
  const others = listCustomerOrders(db, order.customerId, 50, 0).filter((o) => o.id !== order.id && o.paidAt !== null && o.createdAt < order.createdAt);
  const disputedBefore = new Set(others.filter((o) => o.disputedAt !== null || disputesOfOrder(db, o.id).length > 0).map((o) => o.id));
  const events = getOrderEvents(db, order.id);
  const accountAgeDays = customer ? Math.floor((order.createdAt - customer.createdAt) / 86_400_000) : null;
  const product_description = [
    `${product.name} (${product.kind === "code" ? "digital gift card / game code" : "digital top-up"}), face value ${face}, quantity ${order.quantity}, paid ${paid}.`,
    product.kind === "code"
      ? "A digital code, delivered in the buyer's own private Telegram chat with the shop's bot seconds after payment; nothing is shipped."
      : `A top-up credited to the recipient the buyer entered (${order.recipient ?? "n/a"}); confirmed by the operator.`,
    `How to redeem, as shown to the buyer: ${product.instructions}`,
  ].join("\n");
  const access_activity_log = [
    `Order ${order.id} created ${utc(order.createdAt)} by Telegram user ${order.customerId} in their private chat with the bot.`,
    order.paidAt ? `Payment confirmed ${utc(order.paidAt)}.` : "",
    `Delivered ${utc(order.deliveredAt)} as Telegram message ${order.telegramMessageId ?? "?"} in chat ${order.chatId} (the buyer's private chat; only the buyer can read it).`,
    order.supplierOrderId ? `Supplier order ${order.supplierOrderId} completed for this purchase.` : "",
  ]
    .filter(Boolean)
    .join("\n");
  const log = events.map((e) => `${utc(e.at)} ${e.fromStatus ?? "new"} → ${e.toStatus} (${e.cause}, ${e.actor})`).join("\n");
  const uncategorized_text = [
    `Customer: Telegram user ${order.customerId}${customer?.username ? ` (@${customer.username})` : ""}, known to the shop since ${customer ? utc(customer.createdAt) : "this order"}${accountAgeDays !== null ? ` (${accountAgeDays} days before this order)` : ""}.`,
    others.length > 0
      ? `Earlier paid orders by the same customer: ${others.length} (${others.filter((o) => o.status === "delivered").length} delivered, ${disputedBefore.size === 0 ? "none of them disputed" : `${disputedBefore.size} disputed`}): ${others.slice(0, 10).map((o) => `${o.id} ${utc(o.paidAt!)}`).join(", ")}.`
      : "No earlier orders by this customer.",
    `Dispute ${dispute.id}: ${dispute.reason}, ${formatMoney({ amount: dispute.amount, currency: dispute.currency })}.`,
    "",
    "Order event log:",
    log,
  ].join("\n");
  const communication = [
    `Messages the shop sent to Telegram user ${order.customerId} about order ${order.id} (the code itself is omitted here):`,
    `- ${order.createdAt ? utc(order.createdAt) : ""}: order summary, ${product.name} × ${order.quantity}, total ${paid}, with the payment button.`,
    order.paidAt ? `- ${utc(order.paidAt)}: payment received.` : "",
    `- ${utc(order.deliveredAt)}: the ${product.kind === "code" ? "code" : "top-up confirmation"} for ${product.name}, with the redemption instructions and the support contact ${supportContact}.`,
  ]
    .filter(Boolean)
    .join("\n");
  return {
    ok: true,
    evidence: {
      product_description: product_description.slice(0, 20_000),
      access_activity_log: access_activity_log.slice(0, 20_000),
      uncategorized_text: uncategorized_text.slice(0, 20_000),
      service_date: new Date(order.deliveredAt).toISOString().slice(0, 10),
      customer_name: customer?.firstName ?? `Telegram user ${order.customerId}`,
      communication,
    },
  };
}

/** Letters and digits only, upper-case: "xg7qk-2mhpa 9rtcw" and "XG7QK2MHPA9RTCW" are one code. */
function compact(text: string): string {
  return text.normalize("NFKC").replace(/[^\p{L}\p{N}]+/gu, "").toUpperCase();
}

/**
 * A secret this short (a PIN) is looked for as a word of its own (a dash inside it allowed): a PIN of 1234 is not
 * in a time like 12:34 or an amount like $12.34. A longer one is found in any spelling, anywhere.
 */
const SHORT_SECRET = 8;

/**
 * The evidence field that holds one of the order's secrets (a code, PIN or serial) in any spelling (case, spaces,
 * dashes, dots), or undefined. The evidence is built never to hold one; this is the check before anything is sent.
 */
export function fieldWithSecret(evidence: DisputeEvidence, secrets: ReadonlyArray<string | null>): keyof DisputeEvidence | undefined {
  const wanted = secrets.map((secret) => compact(secret ?? "")).filter((secret) => secret.length > 0);
  for (const [field, text] of Object.entries(evidence) as Array<[keyof DisputeEvidence, string]>) {
    const whole = compact(text);
    const words = new Set(text.normalize("NFKC").split(/[\s.,;:()[\]{}"'/|<>]+/u).map(compact));
    if (wanted.some((secret) => (secret.length >= SHORT_SECRET ? whole.includes(secret) : words.has(secret)))) return field;
  }
  return undefined;
}
