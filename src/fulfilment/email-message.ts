// What the customer receives by email, in their language: an order's codes (the same blocks as the bot's
// delivery, delivery-message.ts, with a line on why it came by email), or a notice (a refund) the chat could not
// take. The layout (HTML and plain text) is email/layout.ts's.
import type { Translate } from "../bot/i18n.js";
import { textOf } from "../catalog/texts.js";
import type { Db } from "../db/connection.js";
import { emailFromBlocks } from "../email/layout.js";
import type { EmailMessage } from "../email/outbox.js";
import type { Sealer } from "../lib/crypto.js";
import { escapeHtml } from "../lib/html.js";
import { formatMoney } from "../lib/money.js";
import { plainText } from "../lib/telegram-text.js";
import type { OrderRow } from "../orders/state-machine.js";
import { deliveryBlocks, readDeliveredItems } from "./delivery-message.js";

export interface EmailTextDeps {
  db: Db;
  sealer: Sealer;
  t: Translate;
  supportContact: string;
  shopName: string;
}

function footer(deps: EmailTextDeps, locale: string): string {
  return plainText(deps.t(locale, "email-footer", { shop: escapeHtml(deps.shopName), support: escapeHtml(deps.supportContact) }));
}

/**
 * The email with an order's codes (or a top-up's confirmation). `delivery`: Telegram could not deliver it;
 * `receipt`: a copy of what the chat received (EMAIL_DELIVERY=always); `resend-<n>`: an admin sent it again.
 */
export function orderEmail(deps: EmailTextDeps, order: OrderRow, locale: string, purpose: string): EmailMessage {
  const { t } = deps;
  const kind = purpose === "receipt" ? "receipt" : purpose.startsWith("resend") ? "resend" : "delivery";
  const variables = {
    order: order.id,
    name: escapeHtml(textOf(order.product, "name", locale)),
    shop: escapeHtml(deps.shopName),
    amount: escapeHtml(formatMoney({ amount: order.amount, currency: order.currency }, locale)),
  };
  const blocks = deliveryBlocks(deps, order, locale, readDeliveredItems(deps, order), { header: false });
  return emailFromBlocks({
    locale,
    subject: plainText(t(locale, kind === "receipt" ? "email-subject-receipt" : "email-subject-delivery", variables)),
    // A top-up's receipt carries the operator's confirmation, not a code.
    blocks: [t(locale, kind === "receipt" && order.product.kind === "topup" ? "email-intro-receipt-topup" : `email-intro-${kind}`, variables), ...blocks],
    footer: footer(deps, locale),
  });
}

/** A notice (the text under `key`, as the bot would have sent it) by email. */
export function noticeEmail(deps: EmailTextDeps, order: Pick<OrderRow, "id">, locale: string, key: string, variables: Record<string, string | number>): EmailMessage {
  const text = deps.t(locale, key, { order: order.id, ...variables });
  return emailFromBlocks({
    locale,
    subject: plainText(deps.t(locale, "email-subject-notice", { order: order.id, shop: escapeHtml(deps.shopName) })),
    blocks: [text],
    footer: footer(deps, locale),
  });
}
