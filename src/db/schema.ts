// The drizzle schema: every table the shop keeps. Times are integer milliseconds since the epoch;
// money is integer minor units beside an ISO 4217 currency.
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { jsonParsedOnce } from "./json-once.js";
import type { ProductSource, SupplierName } from "../supplier/sources.js";

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
    /** An ISO 4217 currency, or "" when the face value counts a unit (labels.unit: game diamonds, UC). */
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
    /**
     * JSON of the short texts the catalog screens show (name, category, brand, unit), in every language the
     * catalog gives. The text columns above hold the English, which ops read and every other language falls
     * back to; null for products the catalog file did not write (the supplier sync), which speak English
     * only. Parsed once per distinct value: the catalog screens read it on every tap.
     */
    labels: jsonParsedOnce<ProductLabels>("labels"),
    /** JSON of the longer texts (instructions, the recipient hint) by language; not read by the catalog screens. */
    details: jsonParsedOnce<ProductDetails>("details"),
    maxQuantity: integer("max_quantity").notNull().default(1),
    /** JSON of the catalog's `sources` (tried in order); null: the generic supplier with this sku. */
    sources: text("sources", { mode: "json" }).$type<ProductSource[] | null>(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    sortOrder: integer("sort_order").notNull().default(0),
    /**
     * What an admin set in the bot (/product): kept over the catalog file's value at every file sync, and over the
     * supplier sync's markup price (catalog/admin-products.ts). Null: the file (or the markup rule) decides.
     */
    adminPrice: integer("admin_price"),
    adminStarsPrice: integer("admin_stars_price"),
    adminEnabled: integer("admin_enabled", { mode: "boolean" }),
    /** The supplier's cost of one unit at the last catalog sync (null where the shop does not know it). */
    costAmount: integer("cost_amount"),
    costCurrency: text("cost_currency"),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [index("products_category_idx").on(table.category, table.sortOrder)],
);

/**
 * Sales paused by an admin (/pause): scope "*" for the whole shop, or a product's sku. Customers see "back soon"
 * instead of Buy while a pause holds; paid orders go on. Triggers bump catalog_version on every write, so cached
 * catalog screens follow (catalog/pause.ts).
 */
export const salesPauses = sqliteTable("sales_pauses", {
  scope: text("scope").primaryKey(),
  reason: text("reason"),
  actor: text("actor").notNull(),
  createdAt: integer("created_at").notNull(),
});

/** Promo codes (/promo): a percent or an amount off, with optional limits (promo/codes.ts). */
export const promoCodes = sqliteTable("promo_codes", {
  /** Upper case, as customers type it (compared case-insensitively). */
  code: text("code").primaryKey(),
  /** Percent off (1–90), or null for an amount off. */
  percentOff: integer("percent_off"),
  /** An amount off the order's total in minor units of `currency`, or null for a percent. */
  amountOff: integer("amount_off"),
  currency: text("currency"),
  /** How many paid orders may use it (null: no limit). */
  maxUses: integer("max_uses"),
  /** Paid orders that used it (counted in the transaction that records the payment). */
  uses: integer("uses").notNull().default(0),
  /** The last moment it is accepted at checkout (ms; null: no expiry). */
  expiresAt: integer("expires_at"),
  /** A sku or a category key it is limited to (null: every product). */
  scope: text("scope"),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
  createdBy: text("created_by").notNull(),
  createdAt: integer("created_at").notNull(),
});

/**
 * Broadcasts to customers (/broadcast): the admin's message is copied (copyMessage) to every customer not blocked,
 * one at a time in customer id order; `last_customer_id` is the position, so a restart resumes after the last one
 * sent (ops/broadcast.ts).
 */
export const broadcasts = sqliteTable("broadcasts", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  /** The message to copy: the admin's message in the ops chat (keep it until the broadcast is done). */
  sourceChatId: integer("source_chat_id").notNull(),
  sourceMessageId: integer("source_message_id").notNull(),
  /** Only customers with this language (null: everyone). */
  language: text("language"),
  status: text("status", { enum: ["running", "cancelled", "done", "failed"] }).notNull(),
  lastCustomerId: integer("last_customer_id").notNull().default(0),
  total: integer("total").notNull().default(0),
  sent: integer("sent").notNull().default(0),
  blocked: integer("blocked").notNull().default(0),
  failed: integer("failed").notNull().default(0),
  /** The ops chat message that shows the progress (edited). */
  progressChatId: integer("progress_chat_id"),
  progressMessageId: integer("progress_message_id"),
  lastError: text("last_error"),
  createdBy: text("created_by").notNull(),
  createdAt: integer("created_at").notNull(),
  finishedAt: integer("finished_at"),
});

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

/** What the fraud rules saw of a payment and why they held it (risk/rules.ts). */
export interface RiskAssessment {
  level?: string | null;
  score?: number | null;
  outcome?: string | null;
  cardCountry?: string | null;
  cardFunding?: string | null;
  cvcCheck?: string | null;
  addressCheck?: string | null;
  /** Rules that held the order, each a sentence for the admin. */
  holds: string[];
  /** Things worth a look that are not a hold (card country and the customer's language differ). */
  signals: string[];
}

/** A customer-facing text by locale; "en" is always there, and every other language falls back to it. */
export interface LocalizedText {
  en: string;
  [locale: string]: string | undefined;
}

/** A unit's word ("Diamonds"): one for every count, or plural forms by CLDR category, "other" required. */
export type UnitForms = string | { zero?: string; one?: string; two?: string; few?: string; many?: string; other: string };

export interface LocalizedUnit {
  en: UnitForms;
  [locale: string]: UnitForms | undefined;
}

/** What the catalog screens show of a product, in every language the catalog gives. */
export interface ProductLabels {
  name: LocalizedText;
  category: LocalizedText;
  brand: LocalizedText;
  /** The unit of a face value that is not money (game diamonds); the face value's currency is "" then. */
  unit?: LocalizedUnit | undefined;
}

/** The longer texts of a product: the product card, the checkout and the delivery read them. */
export interface ProductDetails {
  instructions: LocalizedText;
  /** The recipient hint of a top-up. */
  hint?: LocalizedText | undefined;
}

/** Every text a customer reads about a product, in every language the catalog gives. */
export type ProductTexts = ProductLabels & ProductDetails;

/** What an order sold, frozen at the moment it was made; a later catalog change never touches it. */
export interface ProductSnapshot {
  sku: string;
  name: string;
  category: string;
  kind: "code" | "topup";
  /** The currency is "" when the face value counts a unit (texts.unit), e.g. game diamonds. */
  faceValue: { amount: number; currency: string };
  unitPrice: { amount: number; currency: string };
  /** The unit price in Telegram Stars at the moment of the order, when it had one. */
  starsPrice?: number | null;
  /** The order's whole total in Stars (quantity and promo applied), when it may be paid in Stars; older orders: unit × quantity. */
  starsTotal?: number | null;
  requiresPin: boolean;
  instructions: string;
  recipientRule: RecipientRule | null;
  /** The product's texts in every language (orders made before the shop spoke them have only the English above). */
  texts?: ProductTexts | null;
  /** Where the order may be fulfilled from, tried in order; absent or null: the generic supplier with the sku. */
  sources?: ProductSource[] | null;
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
    /** The promo code the customer gave at checkout (null: none); `amount` is the discounted total. */
    promoCode: text("promo_code"),
    /** The total before the promo, in `currency` (null without a promo). */
    originalAmount: integer("original_amount"),
    /** "stripe" (Checkout Session) or "stars" (a Telegram invoice in XTR). */
    paymentMethod: text("payment_method", { enum: ["stripe", "stars"] }).notNull().default("stripe"),
    /** Telegram's charge id of a Stars payment (needed to refund it). */
    telegramChargeId: text("telegram_charge_id"),
    status: text("status", { enum: ORDER_STATUSES }).notNull(),
    /** When the worker should next look at this order; null when it has nothing to do. */
    nextAttemptAt: integer("next_attempt_at"),
    /**
     * When a supplier webhook woke the order, until its step takes the wake-up. A step in flight at that moment
     * does not push it back: its next `next_attempt_at` is no later than this (orders/row-writer.ts).
     */
    wokenAt: integer("woken_at"),
    /** Attempts of the current step (reset when the order moves to another state). */
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    stripeSessionId: text("stripe_session_id"),
    stripeSessionUrl: text("stripe_session_url"),
    stripePaymentIntentId: text("stripe_payment_intent_id"),
    /** Which of the product's sources the current attempt uses (0 = the first); it moves on only on a safe failover. */
    sourceIndex: integer("source_index").notNull().default(0),
    /** The supplier of the current attempt ("generic", "reloadly", "stock"), set with its first request. */
    supplierName: text("supplier_name").$type<SupplierName>(),
    /** The reference the current attempt sends and looks up by (the order id, or a suffix after a failover). */
    supplierReference: text("supplier_reference"),
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
    /** Money returned so far (minor units): a partial refund is an amount, never a refunded order. */
    refundedAmount: integer("refunded_amount"),
    disputedAt: integer("disputed_at"),
    /** The Stripe charge behind the payment, once a charge event named it (events are matched by it too). */
    stripeChargeId: text("stripe_charge_id"),
    /**
     * Why delivery is stopped although the order was paid: "stripe_refund" (refunded in Stripe), "dispute"
     * (a dispute opened before delivery), "admin_refund" (an admin asked for a refund while the supplier had it).
     * A held order never gets a new supplier order and never has its code sent (fulfilment/hold.ts).
     */
    holdReason: text("hold_reason", { enum: ["stripe_refund", "dispute", "admin_refund"] }),
    /** When the fraud rules looked at this payment (risk/): until then no supplier order is placed. */
    riskCheckedAt: integer("risk_checked_at"),
    /** When the rules held it for a person (null: not held, or released). */
    riskHeldAt: integer("risk_held_at"),
    /** What the rules saw: Radar's level and score, the card's country and funding, and the reasons for a hold. */
    risk: text("risk", { mode: "json" }).$type<RiskAssessment | null>(),
    /** Stripe's fingerprint of the card that paid (the same card gives the same fingerprint in every account). */
    cardFingerprint: text("card_fingerprint"),
    telegramMessageId: integer("telegram_message_id"),
    /** The email Stripe Checkout collected (customer_details.email), sealed like codes (context `email:<order id>`). */
    emailEnc: text("email_enc"),
    /** How the code reached the customer once `delivered`: in the Telegram chat, or by email (Telegram could not). */
    deliveryChannel: text("delivery_channel", { enum: ["telegram", "email"] }),
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
    index("orders_charge_idx").on(table.stripeChargeId),
    index("orders_card_idx").on(table.cardFingerprint),
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
    /** The payment intent a charge or dispute event names: an event that arrives before its order is paid waits for it. */
    paymentIntentId: text("payment_intent_id"),
    payload: text("payload").notNull(),
    receivedAt: integer("received_at").notNull(),
    processedAt: integer("processed_at"),
    outcome: text("outcome"),
  },
  (table) => [index("stripe_events_unprocessed_idx").on(table.processedAt), index("stripe_events_payment_intent_idx").on(table.paymentIntentId)],
);

/**
 * Supplier webhooks, as much as the shop needs of them: the event is only a hint (the worker re-fetches the
 * order), so its body, which carries codes and PINs, is never stored.
 */
export const supplierEvents = sqliteTable(
  "supplier_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    supplierOrderId: text("supplier_order_id"),
    reference: text("reference"),
    /** The order status the event announced (completed, pending, failed). */
    status: text("status"),
    receivedAt: integer("received_at").notNull(),
    processedAt: integer("processed_at"),
    outcome: text("outcome"),
  },
  (table) => [index("supplier_events_unprocessed_idx").on(table.processedAt)],
);

/**
 * Telegram Stars payments, stored the moment they arrive (from the successful_payment update, or found in
 * Telegram's own ledger by getStarTransactions) and applied from here by the worker: a crash between receipt
 * and the order's update loses nothing. One row per charge: a second charge for one order is refunded.
 */
export const starsPayments = sqliteTable(
  "stars_payments",
  {
    chargeId: text("charge_id").primaryKey(),
    orderId: text("order_id").notNull(),
    userId: integer("user_id").notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    /** "update" (successful_payment) or "ledger" (found by reconciliation with getStarTransactions). */
    source: text("source").notNull(),
    receivedAt: integer("received_at").notNull(),
    processedAt: integer("processed_at"),
    outcome: text("outcome"),
    /** Set when this charge must go back to the customer (a second charge for a paid order). */
    refundDueAt: integer("refund_due_at"),
    refundAttempts: integer("refund_attempts").notNull().default(0),
    refundedAt: integer("refunded_at"),
    lastError: text("last_error"),
  },
  (table) => [index("stars_payments_unprocessed_idx").on(table.processedAt), index("stars_payments_refund_due_idx").on(table.refundDueAt)],
);

/** Stripe disputes, one row per dispute id: what the ops chat and /disputes show, and what is due when. */
export const disputes = sqliteTable(
  "disputes",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id"),
    chargeId: text("charge_id"),
    paymentIntentId: text("payment_intent_id"),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    reason: text("reason").notNull(),
    /** Stripe's dispute status (needs_response, under_review, won, lost, …). */
    status: text("status").notNull(),
    /** When the evidence is due (ms), from evidence_details.due_by. */
    evidenceDueBy: integer("evidence_due_by"),
    /** Whether it was opened before the code reached the customer (the order was held, not delivered). */
    beforeDelivery: integer("before_delivery", { mode: "boolean" }).notNull().default(false),
    fundsWithdrawnAt: integer("funds_withdrawn_at"),
    fundsReinstatedAt: integer("funds_reinstated_at"),
    closedAt: integer("closed_at"),
    /** When the admin sent the shop's evidence (stripe.disputes.update with submit). */
    evidenceSubmittedAt: integer("evidence_submitted_at"),
    /** Who sent it ("admin:<id>"). */
    evidenceSubmittedBy: text("evidence_submitted_by"),
    /** When the ops chat was reminded that the evidence is due soon. */
    dueAlertedAt: integer("due_alerted_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [index("disputes_order_idx").on(table.orderId), index("disputes_status_idx").on(table.status)],
);

/** Customers and cards the shop no longer sells to: a Telegram user id, or a card fingerprint. */
export const bans = sqliteTable(
  "bans",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind", { enum: ["customer", "card"] }).notNull(),
    /** The Telegram user id (as text) or the card fingerprint. */
    value: text("value").notNull(),
    reason: text("reason").notNull(),
    /** "admin:<id>", or "system" for an automatic ban (a dispute, a banned card). */
    actor: text("actor").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [uniqueIndex("bans_kind_value_idx").on(table.kind, table.value)],
);

/** Small facts the shop keeps between runs (the position reached in Telegram's Stars ledger, …). */
export const shopState = sqliteTable("shop_state", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

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

/**
 * Every alert for the ops chat, written where it is raised (in the transaction of what it reports, when there is
 * one) and marked sent once Telegram took it: an alert raised just before a crash goes out after the restart
 * (ops/alert-outbox.ts, ops/alerts.ts).
 */
export const alertOutbox = sqliteTable(
  "alert_outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    kind: text("kind").notNull(),
    orderId: text("order_id"),
    /** One line on this occurrence; a message groups the pending lines of a kind. */
    text: text("text").notNull(),
    /** What a condition is about (a stock pool, a supplier account): each subject keeps its own pending row. */
    subject: text("subject"),
    raisedAt: integer("raised_at").notNull(),
    /** Messages with this alert that Telegram refused; from the first, it is sent alone. */
    attempts: integer("attempts").notNull().default(0),
    notBefore: integer("not_before"),
    lastError: text("last_error"),
    sentAt: integer("sent_at"),
    /** Telegram refused it alone too often: kept for the log, never sent. */
    givenUpAt: integer("given_up_at"),
  },
  (table) => [index("alert_outbox_pending_idx").on(table.sentAt, table.givenUpAt)],
);

/**
 * One row while a shop process runs on this database: two processes on one database would deliver codes and
 * alerts twice, so the second waits (or refuses) until the holder stops or its heartbeat goes stale (db/lease.ts).
 */
export const instanceLease = sqliteTable("instance_lease", {
  id: integer("id").primaryKey(),
  holder: text("holder").notNull(),
  acquiredAt: integer("acquired_at").notNull(),
  heartbeatAt: integer("heartbeat_at").notNull(),
});
/** The shop's own codes, bought in bulk (`/stock add`, `npm run stock`): each sold exactly once. */
export const stockCodes = sqliteTable(
  "stock_codes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The stock pool: a product's sku, or the `sku` its stock source names. */
    pool: text("pool").notNull(),
    /** AES-256-GCM bound to `stock:<fingerprint>` (lib/crypto.ts); never the plain code. */
    codeEnc: text("code_enc").notNull(),
    pinEnc: text("pin_enc"),
    /** The last day (UTC, YYYY-MM-DD) the code may be sold; null when it does not expire. */
    expiresOn: text("expires_on"),
    /** HMAC-SHA256 of the normalized code under a key derived from CODE_ENCRYPTION_KEY: duplicates are found without the plain code. */
    fingerprint: text("fingerprint").notNull(),
    /** The attempt reference the code is reserved for (sold with that order); null while it is in stock. */
    reservedFor: text("reserved_for"),
    orderId: text("order_id"),
    reservedAt: integer("reserved_at"),
    importedAt: integer("imported_at").notNull(),
  },
  (table) => [
    uniqueIndex("stock_codes_fingerprint_idx").on(table.fingerprint),
    index("stock_codes_pool_idx").on(table.pool, table.reservedFor),
    index("stock_codes_reserved_idx").on(table.reservedFor),
  ],
);

/**
 * A customer's email address for codes when Telegram cannot reach them (`/email`): confirmed only after the
 * customer typed back the 6-digit code mailed to it. Addresses and the code are sealed (lib/crypto.ts).
 */
export const customerEmails = sqliteTable("customer_emails", {
  customerId: integer("customer_id").primaryKey(),
  /** The confirmed address (context `email:customer:<id>`); null when none. */
  addressEnc: text("address_enc"),
  confirmedAt: integer("confirmed_at"),
  /** The address waiting for its code (same context), and the code sent to it (context `email-code:customer:<id>`). */
  pendingEnc: text("pending_enc"),
  codeEnc: text("code_enc"),
  codeSentAt: integer("code_sent_at"),
  /** Wrong codes typed for the pending address. */
  codeAttempts: integer("code_attempts").notNull().default(0),
  /** What the bot waits for from this customer: the address, or the code; null when nothing. */
  awaiting: text("awaiting", { enum: ["address", "code"] }),
  awaitingSince: integer("awaiting_since"),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * Every email the shop sends, a row from the moment it is decided (in the transaction of what decided it) until
 * the SMTP server accepted it or it was given up: one row per order and purpose (`delivery`, `receipt`, `refund`,
 * `resend-<n>`; `confirm` rows belong to a customer, not an order). The row is claimed (`sending`) before the
 * send; a crash between the send and the commit sends it again once at the restart (email/sender.ts).
 */
export const emailOutbox = sqliteTable(
  "email_outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    orderId: text("order_id"),
    customerId: integer("customer_id").notNull(),
    purpose: text("purpose").notNull(),
    /** The recipient, sealed (context `email:<order id or customer:<id>>:<purpose>`). */
    toEnc: text("to_enc").notNull(),
    /** The message (subject, text, HTML) sealed under the same context; wiped once sent or given up. */
    bodyEnc: text("body_enc"),
    status: text("status", { enum: ["queued", "sending", "sent", "given_up"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at"),
    claimedAt: integer("claimed_at"),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    sentAt: integer("sent_at"),
    givenUpAt: integer("given_up_at"),
  },
  (table) => [
    uniqueIndex("email_outbox_order_purpose_idx").on(table.orderId, table.purpose),
    index("email_outbox_due_idx").on(table.status, table.nextAttemptAt),
    index("email_outbox_customer_idx").on(table.customerId, table.createdAt),
  ],
);
