// The drizzle schema: every table the shop keeps. Times are integer milliseconds since the epoch;
// money is integer minor units beside an ISO 4217 currency.
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const ORDER_STATUSES = [
  "awaiting_payment",
  "paid",
  "supplier_pending",
  "fulfilled",
  "delivered",
  "delivery_failed",
  "failed",
  "refunding",
  "refunded",
  "needs_review",
  "expired",
  "cancelled",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const customers = sqliteTable("customers", {
  /** Telegram user id. */
  id: integer("id").primaryKey(),
  chatId: integer("chat_id").notNull(),
  username: text("username"),
  firstName: text("first_name"),
  /** The language Telegram reported at first contact. */
  telegramLanguage: text("telegram_language"),
  /** The language the customer chose (or was given); used by the bot and by the worker. */
  language: text("language").notNull().default("en"),
  /** Set when Telegram answered 403: the customer blocked the bot. Cleared when they come back. */
  blockedAt: integer("blocked_at"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const products = sqliteTable(
  "products",
  {
    sku: text("sku").primaryKey(),
    name: text("name").notNull(),
    category: text("category").notNull(),
    /** The product family the customer picks before the denomination ("Steam Wallet"). */
    brand: text("brand").notNull(),
    kind: text("kind", { enum: ["code", "topup"] }).notNull(),
    faceValueAmount: integer("face_value_amount").notNull(),
    faceValueCurrency: text("face_value_currency").notNull(),
    priceAmount: integer("price_amount").notNull(),
    priceCurrency: text("price_currency").notNull(),
    /** The price in Telegram Stars (XTR), when the product can be paid in Stars. */
    starsPrice: integer("stars_price"),
    /** What the supplier said at the last catalog sync; out of stock is hidden from customers. */
    inStock: integer("in_stock", { mode: "boolean" }).notNull().default(true),
    /** "file" (the operator's catalog decides the price) or "markup" (set by the catalog sync's rule). */
    priceSource: text("price_source").notNull().default("file"),
    requiresPin: integer("requires_pin", { mode: "boolean" }).notNull(),
    /** JSON of the recipient rule for top-ups ({ type, pattern, hint }), null for codes. */
    recipientRule: text("recipient_rule", { mode: "json" }).$type<RecipientRule | null>(),
    instructions: text("instructions").notNull(),
    maxQuantity: integer("max_quantity").notNull().default(1),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    sortOrder: integer("sort_order").notNull().default(0),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [index("products_category_idx").on(table.category, table.sortOrder)],
);

/**
 * One row: a counter that SQLite triggers bump on every insert, update and delete on products (migration
 * 0002), whoever writes. The bot keeps rendered catalog screens until it changes.
 */
export const catalogVersion = sqliteTable("catalog_version", {
  id: integer("id").primaryKey(),
  version: integer("version").notNull(),
});

export interface RecipientRule {
  type: "phone" | "player_id" | "email";
  pattern: string;
  hint?: string | undefined;
}

/** What an order sold, frozen at the moment it was made; a later catalog change never touches it. */
export interface ProductSnapshot {
  sku: string;
  name: string;
  category: string;
  kind: "code" | "topup";
  faceValue: { amount: number; currency: string };
  unitPrice: { amount: number; currency: string };
  /** The unit price in Telegram Stars at the moment of the order, when it had one. */
  starsPrice?: number | null;
  requiresPin: boolean;
  instructions: string;
  recipientRule: RecipientRule | null;
}

export const orders = sqliteTable(
  "orders",
  {
    id: text("id").primaryKey(),
    customerId: integer("customer_id")
      .notNull()
      .references(() => customers.id),
    chatId: integer("chat_id").notNull(),
    sku: text("sku").notNull(),
    product: text("product", { mode: "json" }).$type<ProductSnapshot>().notNull(),
    quantity: integer("quantity").notNull(),
    recipient: text("recipient"),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    /** "stripe" (Checkout Session) or "stars" (a Telegram invoice in XTR). */
    paymentMethod: text("payment_method", { enum: ["stripe", "stars"] }).notNull().default("stripe"),
    /** Telegram's charge id of a Stars payment (needed to refund it). */
    telegramChargeId: text("telegram_charge_id"),
    status: text("status", { enum: ORDER_STATUSES }).notNull(),
    /** When the worker should next look at this order; null when it has nothing to do. */
    nextAttemptAt: integer("next_attempt_at"),
    /** Attempts of the current step (reset when the order moves to another state). */
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    stripeSessionId: text("stripe_session_id"),
    stripeSessionUrl: text("stripe_session_url"),
    stripePaymentIntentId: text("stripe_payment_intent_id"),
    /** Set before the first supplier request leaves: from then on a lookup by reference comes first. */
    supplierRequestedAt: integer("supplier_requested_at"),
    supplierOrderId: text("supplier_order_id"),
    /** While `supplier_pending`: when polling gives up and the order goes to review. */
    supplierPendingUntil: integer("supplier_pending_until"),
    /** When the ops chat was told about this order's current stay in review (null: not yet). */
    reviewAlertedAt: integer("review_alerted_at"),
    /** When the customer was told "payment received, getting your code" (only when the code did not follow at once). */
    paidNoticeAt: integer("paid_notice_at"),
    /** When the customer was told the code is on its way (sent once). */
    slowNoticeAt: integer("slow_notice_at"),
    supplierCostAmount: integer("supplier_cost_amount"),
    supplierCostCurrency: text("supplier_cost_currency"),
    /** Top-up confirmation from the supplier (operator transaction id, delivered amount). */
    supplierConfirmation: text("supplier_confirmation", { mode: "json" }).$type<Record<string, unknown> | null>(),
    refundId: text("refund_id"),
    refundedAmount: integer("refunded_amount"),
    disputedAt: integer("disputed_at"),
    telegramMessageId: integer("telegram_message_id"),
    expiresAt: integer("expires_at").notNull(),
    paidAt: integer("paid_at"),
    fulfilledAt: integer("fulfilled_at"),
    deliveredAt: integer("delivered_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [
    index("orders_due_idx").on(table.nextAttemptAt),
    index("orders_customer_idx").on(table.customerId, table.createdAt),
    // On the status alone: one that included updated_at was rewritten on every write to an order.
    index("orders_status_idx").on(table.status),
    uniqueIndex("orders_stripe_session_idx").on(table.stripeSessionId),
    index("orders_payment_intent_idx").on(table.stripePaymentIntentId),
  ],
);

export const orderEvents = sqliteTable(
  "order_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    at: integer("at").notNull(),
    /** null for the creation of the order, and for notes that do not change the status. */
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    cause: text("cause").notNull(),
    /** "customer:<id>", "admin:<id>", "worker", "stripe", "supplier", "system". */
    actor: text("actor").notNull(),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown> | null>(),
  },
  (table) => [index("order_events_order_idx").on(table.orderId, table.id)],
);

export const stripeEvents = sqliteTable(
  "stripe_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    orderId: text("order_id"),
    payload: text("payload").notNull(),
    receivedAt: integer("received_at").notNull(),
    processedAt: integer("processed_at"),
    outcome: text("outcome"),
  },
  (table) => [index("stripe_events_unprocessed_idx").on(table.processedAt)],
);

export const supplierEvents = sqliteTable(
  "supplier_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    supplierOrderId: text("supplier_order_id"),
    /** While `supplier_pending`: when polling gives up and the order goes to review. */
    supplierPendingUntil: integer("supplier_pending_until"),
    /** When the ops chat was told about this order's current stay in review (null: not yet). */
    reviewAlertedAt: integer("review_alerted_at"),
    /** When the customer was told "payment received, getting your code" (only when the code did not follow at once). */
    paidNoticeAt: integer("paid_notice_at"),
    /** When the customer was told the code is on its way (sent once). */
    slowNoticeAt: integer("slow_notice_at"),
    reference: text("reference"),
    payload: text("payload").notNull(),
    receivedAt: integer("received_at").notNull(),
    processedAt: integer("processed_at"),
    outcome: text("outcome"),
  },
  (table) => [index("supplier_events_unprocessed_idx").on(table.processedAt)],
);

export const deliveredItems = sqliteTable(
  "delivered_items",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orderId: text("order_id")
      .notNull()
      .references(() => orders.id),
    position: integer("position").notNull(),
    /** AES-256-GCM ciphertext (see lib/crypto.ts); never the plain code. */
    codeEnc: text("code_enc").notNull(),
    pinEnc: text("pin_enc"),
    serialEnc: text("serial_enc"),
    expiresAt: text("expires_at"),
    /** "supplier" or "admin:<id>" when an admin typed it in. */
    source: text("source").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [uniqueIndex("delivered_items_order_position_idx").on(table.orderId, table.position)],
);

export const SQL_NOW = sql`(unixepoch('subsec') * 1000)`;

/** grammY conversation state, so a checkout survives a restart (bot/conversation-storage.ts). */
export const conversationStates = sqliteTable("conversation_states", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: integer("updated_at").notNull(),
});
