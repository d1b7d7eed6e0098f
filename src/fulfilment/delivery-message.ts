// What the customer receives for a fulfilled order, in their language: one message when it fits in Telegram's
// 4096 characters, a few messages when it does not (a code with its PIN is never cut in two), and a .txt file
// with a short caption when even a few would not hold it (many long codes, a supplier's long instructions).
import type { Translate } from "../bot/i18n.js";
import type { Db } from "../db/connection.js";
import type { Sealer } from "../lib/crypto.js";
import { formatDate } from "../lib/datetime.js";
import { escapeHtml } from "../lib/html.js";
import { faceValueText, textOf, unitOf } from "../catalog/texts.js";
import { CAPTION_LIMIT, MESSAGE_LIMIT, packBlocks, plainText, splitPlainText, visibleLength } from "../lib/telegram-text.js";
import { getDeliveredItems } from "../orders/repository.js";
import type { OrderRow } from "../orders/state-machine.js";

/** More messages than this for one order, and the codes go as a file. */
export const MAX_DELIVERY_MESSAGES = 3;

/** Instructions are cut into pieces this long (characters) so that each fits a message beside its heading. */
const INSTRUCTIONS_PIECE = 3_000;

export type DeliveryPlan =
  | { kind: "messages"; texts: string[] }
  | { kind: "document"; caption: string; fileName: string; content: string };

export interface PlainItem {
  code: string;
  pin: string | null;
  serial: string | null;
  /** The supplier's expiry (an ISO date or time), when it sent one. */
  expiresAt?: string | null;
}

export type DeliveryTextDeps = { t: Translate; supportContact: string };

/**
 * The delivery's blocks of Telegram HTML, in order: the title (after "payment received" when `header`), one block
 * per code with its PIN, serial and expiry, the instructions (cut between words), the support line. A top-up has
 * one block: its confirmation. The bot packs them into messages (renderDelivery); an email lays them out
 * (email-message.ts).
 */
export function deliveryBlocks(deps: DeliveryTextDeps, order: OrderRow, locale: string, items: readonly PlainItem[], options: { header: boolean }): string[] {
  const { t } = deps;
  const product = order.product;
  const common = { order: order.id, name: escapeHtml(textOf(product, "name", locale)), support: escapeHtml(deps.supportContact) };
  const header = options.header ? `${t(locale, "paid-header", { order: order.id })}\n` : "";
  if (product.kind === "topup") {
    const confirmation = order.supplierConfirmation ?? {};
    const reference = String(confirmation["operator_transaction_id"] ?? order.supplierOrderId ?? "");
    return [header + t(locale, "delivery-topup", { ...common, recipient: escapeHtml(order.recipient ?? ""), reference: escapeHtml(reference) })];
  }
  const face = escapeHtml(faceValueText(product.faceValue, unitOf(product), locale, (key, variables) => t(locale, key, variables)));
  const blocks = [header + t(locale, "delivery-code-title", { ...common, face })];
  for (const item of items) {
    const lines = [t(locale, "delivery-code-line", { code: escapeHtml(item.code) })];
    if (item.pin) lines.push(t(locale, "delivery-pin-line", { pin: escapeHtml(item.pin) }));
    if (item.serial) lines.push(t(locale, "delivery-serial-line", { serial: escapeHtml(item.serial) }));
    if (item.expiresAt) lines.push(t(locale, "delivery-expiry-line", { date: escapeHtml(expiryText(item.expiresAt, locale)) }));
    blocks.push(lines.join("\n"));
  }
  const [first = "", ...more] = splitPlainText(textOf(product, "instructions", locale), INSTRUCTIONS_PIECE);
  blocks.push(t(locale, "delivery-instructions", { instructions: escapeHtml(first) }), ...more.map(escapeHtml));
  blocks.push(t(locale, "delivery-support", common));
  return blocks;
}

/**
 * The delivery of an order with its codes in hand. `header`: the message also says "payment received" (when no
 * notice said it before).
 */
export function renderDelivery(deps: DeliveryTextDeps, order: OrderRow, locale: string, items: readonly PlainItem[], options: { header: boolean }): DeliveryPlan {
  const { t } = deps;
  const product = order.product;
  const blocks = deliveryBlocks(deps, order, locale, items, options);
  if (product.kind === "topup") {
    const text = blocks[0]!;
    // A confirmation is capped when validated; one stored before the cap is shown cut rather than not at all.
    return { kind: "messages", texts: visibleLength(text) <= MESSAGE_LIMIT ? [text] : [escapeHtml(splitPlainText(plainText(text), MESSAGE_LIMIT)[0]!)] };
  }
  const texts = packBlocks(blocks, { continued: t(locale, "delivery-continued", { order: order.id }) });
  if (texts.length <= MAX_DELIVERY_MESSAGES) return { kind: "messages", texts };
  const common = { order: order.id, name: escapeHtml(textOf(product, "name", locale)), support: escapeHtml(deps.supportContact) };
  const face = escapeHtml(faceValueText(product.faceValue, unitOf(product), locale, (key, variables) => t(locale, key, variables)));
  let caption = t(locale, "delivery-document-caption", { ...common, face, count: items.length });
  if (visibleLength(caption) > CAPTION_LIMIT) caption = escapeHtml(splitPlainText(plainText(caption), CAPTION_LIMIT)[0]!);
  return { kind: "document", caption, fileName: `${order.id}-codes.txt`, content: `${plainText(blocks.join("\n\n"))}\n` };
}

/** An order's codes, decrypted from the store (for a delivery, a screen, an email; never for a log). */
export function readDeliveredItems(deps: { db: Db; sealer: Sealer }, order: Pick<OrderRow, "id">): PlainItem[] {
  return getDeliveredItems(deps.db, order.id).map((item) => ({
    code: deps.sealer.open(item.codeEnc, order.id),
    pin: item.pinEnc ? deps.sealer.open(item.pinEnc, order.id) : null,
    serial: item.serialEnc ? deps.sealer.open(item.serialEnc, order.id) : null,
    expiresAt: item.expiresAt,
  }));
}

/** The delivery of an order, its codes read from the encrypted store. */
export function planDelivery(deps: DeliveryTextDeps & { db: Db; sealer: Sealer }, order: OrderRow, locale: string, options: { header?: boolean } = {}): DeliveryPlan {
  // When no "payment received" went out before, the code's message says it.
  const header = options.header ?? (order.paidNoticeAt === null && order.slowNoticeAt === null);
  return renderDelivery(deps, order, locale, readDeliveredItems(deps, order), { header });
}

/** The supplier's expiry (an ISO date or time) as a date in the customer's language; kept as sent when it is no date. */
function expiryText(value: string, locale: string): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : formatDate(ms, locale);
}
