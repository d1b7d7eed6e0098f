// The screens of the shop (text + inline keyboard), built from the database in the customer's language.
import { InlineKeyboard } from "grammy";
import type { ProductRow } from "../catalog/catalog.js";
import { categoryKey, listBrandsInCategory, listCategories, type BrandEntry } from "../catalog/queries.js";
import { faceValueText, localize, textOf, unitOf } from "../catalog/texts.js";
import type { Db } from "../db/connection.js";
import { formatDateTime, formatTime } from "../lib/datetime.js";
import { escapeHtml } from "../lib/html.js";
import { formatMoney } from "../lib/money.js";
import type { OrderRow } from "../orders/state-machine.js";
import { listCustomerOrders } from "../orders/repository.js";
import { shopPause } from "../catalog/pause.js";
import { starsTotal } from "../payments/stars.js";

export interface View {
  text: string;
  keyboard: InlineKeyboard;
}

export type T = (key: string, variables?: Record<string, string | number>) => string;

export const PAGE_SIZE = 6;

/** Callback data, kept well under Telegram's 64 bytes. */
export const cb = {
  categories: () => "c",
  category: (key: string, page = 0) => `c:${key}:${page}`,
  brand: (category: string, brand: string, page = 0) => `g:${category}:${brand}:${page}`,
  product: (sku: string) => `p:${sku}`,
  buy: (sku: string, quantity: number, price: number) => `b:${sku}:${quantity}:${price}`,
  buyWithPromo: (sku: string, price: number) => `bp:${sku}:${price}`,
  cancelOrder: (orderId: string) => `x:${orderId}`,
  stars: (orderId: string) => `st:${orderId}`,
  order: (orderId: string) => `o:${orderId}`,
  sendCodes: (orderId: string) => `oc:${orderId}`,
  orders: (page = 0) => `os:${page}`,
};

/** The status as the customer reads it: "delivered by email" when Telegram could not take the code. */
export function statusKey(order: Pick<OrderRow, "status" | "deliveryChannel">): string {
  return order.status === "delivered" && order.deliveryChannel === "email" ? "status-delivered-email" : `status-${order.status}`;
}

export function price(product: Pick<ProductRow, "priceAmount" | "priceCurrency">, locale: string): string {
  return formatMoney({ amount: product.priceAmount, currency: product.priceCurrency }, locale);
}

export function categoriesView(db: Db, t: T, locale: string, heading = "catalog-title"): View {
  const categories = listCategories(db);
  const keyboard = new InlineKeyboard();
  for (const category of categories) keyboard.text(`${localize(category.texts, locale)} (${category.count})`, cb.category(category.key)).row();
  keyboard.text(t("button-my-orders"), cb.orders());
  const text = categories.length === 0 ? t("catalog-empty") : t(heading, { shop: "" });
  // The whole shop paused: said at the door, not only at Buy.
  return { text: shopPause(db) ? `${text}\n\n${t("sales-paused")}` : text, keyboard };
}

/** Buttons for one page of a list, with ⬅️ n/N ➡️ when there is more than one page. */
function paginate<Item>(
  keyboard: InlineKeyboard,
  t: T,
  items: Item[],
  page: number,
  button: (item: Item) => [string, string],
  pageData: (page: number) => string,
): void {
  const pages = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
  const current = Math.min(Math.max(0, page), pages - 1);
  for (const item of items.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE)) {
    const [label, data] = button(item);
    keyboard.text(label, data).row();
  }
  if (pages > 1) {
    if (current > 0) keyboard.text(t("button-prev"), pageData(current - 1));
    keyboard.text(`${current + 1}/${pages}`, pageData(current));
    if (current < pages - 1) keyboard.text(t("button-next"), pageData(current + 1));
    keyboard.row();
  }
}
function fromPrice(brand: BrandEntry, locale: string): string {
  const cheapest = brand.products.reduce((min, product) => (product.priceAmount < min.priceAmount ? product : min));
  return price(cheapest, locale);
}

/** A category: its brands (a brand with one denomination is shown as that product). */
export function categoryView(db: Db, t: T, locale: string, key: string, page: number): View | undefined {
  const brands = listBrandsInCategory(db, key);
  if (brands.length === 0) return undefined;
  const keyboard = new InlineKeyboard();
  paginate(
    keyboard,
    t,
    brands,
    page,
    (brand) =>
      brand.products.length === 1
        ? [`${textOf(brand.products[0]!, "name", locale)} · ${price(brand.products[0]!, locale)}`, cb.product(brand.products[0]!.sku)]
        : [`${localize(brand.texts, locale)} · ${t("from-price", { price: fromPrice(brand, locale) })}`, cb.brand(key, brand.key)],
    (p) => cb.category(key, p),
  );
  keyboard.text(t("button-back"), cb.categories());
  return { text: t("category-title", { category: escapeHtml(localize(brands[0]!.categoryTexts, locale)!) }), keyboard };
}

/** A brand: its denominations. */
export function brandView(db: Db, t: T, locale: string, category: string, brandKey: string, page: number): View | undefined {
  const brand = listBrandsInCategory(db, category).find((entry) => entry.key === brandKey);
  if (!brand) return undefined;
  const keyboard = new InlineKeyboard();
  paginate(keyboard, t, brand.products, page, (product) => [`${textOf(product, "name", locale)} · ${price(product, locale)}`, cb.product(product.sku)], (p) => cb.brand(category, brandKey, p));
  keyboard.text(t("button-back"), cb.category(category));
  return { text: t("brand-title", { brand: escapeHtml(localize(brand.texts, locale)!) }), keyboard };
}

/** Where the Back button of a product card leads: its brand's list, or its category when it stands alone. */
export function backFromProduct(db: Db, product: ProductRow): string {
  const category = categoryKey(product.category);
  const brand = listBrandsInCategory(db, category).find((entry) => entry.key === categoryKey(product.brand));
  return brand && brand.products.length > 1 ? cb.brand(category, brand.key) : cb.category(category);
}

/** A product card; `paused`: sales are paused (the shop or this product), so "back soon" stands where Buy was. */
export function productView(t: T, locale: string, product: ProductRow, back: string, paused = false): View {
  const lines = [
    t("product-card", {
      name: escapeHtml(textOf(product, "name", locale)),
      face: escapeHtml(faceValueText({ amount: product.faceValueAmount, currency: product.faceValueCurrency }, unitOf(product), locale, t)),
      price: escapeHtml(price(product, locale)),
    }),
  ];
  if (product.kind === "topup" && product.recipientRule) {
    lines.push("", t("product-topup-note", { recipient: t(`recipient-${product.recipientRule.type}`) }));
  }
  const keyboard = new InlineKeyboard();
  if (paused) lines.push("", t("sales-paused"));
  else {
    keyboard.text(t("button-buy", { price: price(product, locale) }), cb.buy(product.sku, 1, product.priceAmount)).row();
    keyboard.text(t("button-promo"), cb.buyWithPromo(product.sku, product.priceAmount)).row();
  }
  keyboard.text(t("button-back"), back);
  return { text: lines.join("\n"), keyboard };
}

/**
 * The Pay buttons of an unpaid order: Stripe's page for a card order (and Stars beside it when the shop takes
 * both), and for a Stars order a button that sends its invoice again (a re-opened order, an invoice scrolled away).
 */
function payButtons(keyboard: InlineKeyboard, t: T, order: OrderRow, total: string, methods: ReadonlyArray<"stripe" | "stars">): void {
  if (order.status !== "awaiting_payment") return;
  if (order.stripeSessionUrl) keyboard.url(t("button-pay", { price: total }), order.stripeSessionUrl).row();
  if (order.paymentMethod === "stars") {
    keyboard.text(t("button-pay-stars", { stars: order.amount }), cb.stars(order.id)).row();
    return;
  }
  const stars = starsTotal(order);
  if (methods.includes("stars") && stars) keyboard.text(t("button-pay-stars", { stars }), cb.stars(order.id)).row();
}

export function checkoutView(t: T, locale: string, order: OrderRow, methods: ReadonlyArray<"stripe" | "stars"> = ["stripe"]): View {
  const total = formatMoney({ amount: order.amount, currency: order.currency }, locale);
  const keyboard = new InlineKeyboard();
  payButtons(keyboard, t, order, total, methods);
  keyboard.text(t("button-cancel-order"), cb.cancelOrder(order.id));
  // A Stars order is paid on Telegram's invoice, not on Stripe's page.
  const text = t(order.paymentMethod === "stars" ? "checkout-ready-stars" : "checkout-ready", {
    order: order.id,
    name: escapeHtml(textOf(order.product, "name", locale)),
    quantity: order.quantity,
    total: escapeHtml(total),
    until: escapeHtml(formatTime(order.expiresAt, locale)),
  });
  // A promo: its code and the price before it, under the total.
  const promo =
    order.promoCode && order.originalAmount !== null
      ? `\n${t("checkout-promo", { code: escapeHtml(order.promoCode), was: escapeHtml(formatMoney({ amount: order.originalAmount, currency: order.currency }, locale)) })}`
      : "";
  return { text: text + promo, keyboard };
}

/**
 * An order's screen. `codes`: the delivery's text shown under it, or `separately` when it does not fit one message
 * beside the order (a button sends the codes to the chat again, as they were delivered). An unpaid order keeps
 * its payment buttons (the card page, Stars when the shop takes them).
 */
export function orderView(
  t: T,
  locale: string,
  order: OrderRow,
  codes: { text: string } | "separately" | null,
  methods: ReadonlyArray<"stripe" | "stars"> = ["stripe"],
): View {
  const total = formatMoney({ amount: order.amount, currency: order.currency }, locale);
  const parts = [
    t("order-view", {
      order: order.id,
      name: escapeHtml(textOf(order.product, "name", locale)),
      quantity: order.quantity,
      total: escapeHtml(total),
      status: t(statusKey(order)),
      created: escapeHtml(formatDateTime(order.createdAt, locale)),
    }),
  ];
  if (codes === "separately") parts.push("", t("order-codes-separately"));
  else if (codes) parts.push("", codes.text);
  const keyboard = new InlineKeyboard();
  if (codes === "separately") keyboard.text(t("button-send-codes"), cb.sendCodes(order.id)).row();
  if (order.status === "awaiting_payment") {
    payButtons(keyboard, t, order, total, methods);
    keyboard.text(t("button-cancel-order"), cb.cancelOrder(order.id)).row();
  }
  keyboard.text(t("button-my-orders"), cb.orders()).text(t("button-catalog"), cb.categories());
  return { text: parts.join("\n"), keyboard };
}

export function ordersView(db: Db, t: T, locale: string, customerId: number, page: number): View {
  const rows = listCustomerOrders(db, customerId, PAGE_SIZE + 1, page * PAGE_SIZE);
  const keyboard = new InlineKeyboard();
  for (const order of rows.slice(0, PAGE_SIZE)) {
    const total = formatMoney({ amount: order.amount, currency: order.currency }, locale);
    keyboard.text(`${order.id} · ${textOf(order.product, "name", locale)} · ${total} · ${t(statusKey(order))}`, cb.order(order.id)).row();
  }
  if (page > 0 || rows.length > PAGE_SIZE) {
    if (page > 0) keyboard.text(t("button-prev"), cb.orders(page - 1));
    if (rows.length > PAGE_SIZE) keyboard.text(t("button-next"), cb.orders(page + 1));
    keyboard.row();
  }
  keyboard.text(t("button-catalog"), cb.categories());
  return { text: rows.length === 0 && page === 0 ? t("orders-empty") : t("orders-title"), keyboard };
}

/**
 * Back from the payment page (/start paid_<id>): the order's state in one line, not the delivery again (it
 * arrived just before); a button shows the code again, or the order.
 */
export function paidReturnView(t: T, order: OrderRow, showsCodes: boolean): View {
  const text =
    order.status === "awaiting_payment"
      ? t("order-paid-confirming", { order: order.id })
      : t("order-status-line", { order: order.id, status: t(statusKey(order)) });
  const keyboard = new InlineKeyboard();
  keyboard.text(showsCodes && order.product.kind === "code" ? t("button-show-code") : t("button-order-details"), cb.order(order.id)).row();
  keyboard.text(t("button-my-orders"), cb.orders()).text(t("button-catalog"), cb.categories());
  return { text, keyboard };
}
