// What the bot's features receive from main.ts.
import type { Db } from "../db/connection.js";
import type { Sealer } from "../lib/crypto.js";
import type { IdGenerator } from "../lib/ids.js";
import type { Logger } from "../logger.js";
import type { Stripe } from "../payments/stripe-client.js";
import type { Translate } from "./i18n.js";

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
}
