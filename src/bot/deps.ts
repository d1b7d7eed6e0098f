// What the bot's features receive from the composition root (app.ts).
import type { Db } from "../db/connection.js";
import type { Sealer } from "../lib/crypto.js";
import type { IdGenerator } from "../lib/ids.js";
import type { Logger } from "../logger.js";
import type { Stripe } from "../payments/stripe-client.js";
import type { Translate } from "./i18n.js";
import type { Alerts } from "../ops/alerts.js";
import type { NotifyCustomer } from "../customers/notify.js";
import type { EmailChannel } from "../fulfilment/email-orders.js";

export interface BotDeps {
  db: Db;
  logger: Logger;
  now: () => number;
  stripe: Stripe;
  newOrderId: IdGenerator;
  sealer: Sealer;
  t: Translate;
  shopName: string;
  supportContact: string;
  adminUserIds: readonly number[];
  opsChatId: number;
  limits: { maxUnpaidOrders: number; maxOrdersPerHour: number };
  /** Which ways to pay the shop offers (PAYMENT_METHODS). */
  paymentMethods: ReadonlyArray<"stripe" | "stars">;
  /** A Stars payment was stored: the worker applies it at once. */
  onStarsPayment: () => void;
  /** A customer unblocked the bot: their undelivered codes are sent again (in the background). */
  onCustomerBack: (customerId: number) => void;
  alerts: Alerts;
  notify: NotifyCustomer;
  /** Email, the backup channel: /email is answered only when it is on. */
  email: EmailChannel;
}
