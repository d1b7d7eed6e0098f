// The shop's configuration: the environment, validated once with zod; every variable is in .env.example.
import { z } from "zod";
import type { RiskSettings } from "./risk/rules.js";

const csvIntegers = z
  .string()
  .trim()
  .transform((value, ctx) => {
    if (value === "") return [] as number[];
    const ids = value.split(",").map((part) => Number(part.trim()));
    if (ids.some((id) => !Number.isSafeInteger(id))) {
      ctx.addIssue({ code: "custom", message: "must be a comma-separated list of numeric Telegram user ids" });
      return z.NEVER;
    }
    return ids;
  });

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const encryptionKey = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const key = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, "hex") : Buffer.from(value, "base64");
    if (key.length !== 32) {
      ctx.addIssue({ code: "custom", message: "must be 32 bytes, as 64 hex characters or base64" });
      return z.NEVER;
    }
    return key;
  });

const url = z.url({ protocol: /^https?$/ });

/** smtp://user:pass@host:587 (STARTTLS when the server offers it) or smtps://…:465 (TLS from the start). */
const smtpUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const parsed = new URL(value);
      return (parsed.protocol === "smtp:" || parsed.protocol === "smtps:") && parsed.hostname !== "";
    } catch {
      return false;
    }
  }, "must be smtp://user:password@host:port or smtps://…");

/** "5000" (any currency), "USD:5000,EUR:4500", or both ("5000,XTR:3000"); "off" or "0" turns a rule off. */
const amountLimit = z
  .string()
  .trim()
  .transform((value, ctx) => {
    if (value === "off" || value === "0") return null;
    const limit: { any?: number; byCurrency: Record<string, number> } = { byCurrency: {} };
    for (const part of value.split(",").map((p) => p.trim()).filter(Boolean)) {
      const match = /^(?:([A-Za-z]{3}):)?(\d{1,12})$/.exec(part);
      if (!match) {
        ctx.addIssue({ code: "custom", message: `"${part}" is not an amount in minor units or CURRENCY:amount` });
        return z.NEVER;
      }
      if (match[1]) limit.byCurrency[match[1].toUpperCase()] = Number(match[2]);
      else limit.any = Number(match[2]);
    }
    return limit;
  });

/** A whole number, where "off" or 0 turns the rule off. */
const countOrOff = (max: number) =>
  z
    .string()
    .trim()
    .transform((value, ctx) => {
      if (value === "off" || value === "0") return null;
      const number = Number(value);
      if (!Number.isInteger(number) || number < 0 || number > max) {
        ctx.addIssue({ code: "custom", message: `must be a whole number up to ${max}, or off` });
        return z.NEVER;
      }
      return number;
    });

const flag = z
  .string()
  .trim()
  .toLowerCase()
  .transform((value, ctx) => {
    if (["1", "true", "on", "yes"].includes(value)) return true;
    if (["0", "false", "off", "no"].includes(value)) return false;
    ctx.addIssue({ code: "custom", message: "must be on or off" });
    return z.NEVER;
  });

export const configSchema = z.object({
  BOT_TOKEN: z
    .string()
    .trim()
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, "does not look like a token from @BotFather (digits:letters)")
    .optional(),
  TELEGRAM_API_ROOT: url.default("https://api.telegram.org"),
  ADMIN_USER_IDS: csvIntegers.default([]),
  OPS_CHAT_ID: z.coerce.number().int(),
  PAYMENT_METHODS: z
    .string()
    .trim()
    .transform((value, ctx) => {
      const methods = [...new Set(value.split(",").map((part) => part.trim().toLowerCase()).filter(Boolean))];
      if (methods.length === 0 || methods.some((method) => method !== "stripe" && method !== "stars")) {
        ctx.addIssue({ code: "custom", message: "must be stripe, stars, or stripe,stars" });
        return z.NEVER;
      }
      return methods as Array<"stripe" | "stars">;
    })
    .default(["stripe"]),
  STRIPE_SECRET_KEY: z.string().trim().regex(/^(sk|rk)_(test|live)_\w+$/, "must start with sk_test_, sk_live_ or rk_").optional(),
  STRIPE_WEBHOOK_SECRET: z.string().trim().regex(/^whsec_\w+$/, "must start with whsec_").optional(),
  STRIPE_API_URL: url.optional(),
  // The generic supplier: configured when its three variables are set (a shop may sell through Reloadly or its stock only).
  SUPPLIER_API_URL: url.optional(),
  SUPPLIER_API_KEY: z.string().trim().min(1).optional(),
  SUPPLIER_WEBHOOK_SECRET: z.string().trim().min(16, "must be at least 16 characters").optional(),
  SUPPLIER_TIMEOUT_MS: integer(100, 120_000).default(10_000),
  SUPPLIER_MAX_ATTEMPTS: integer(1, 20).default(3),
  SUPPLIER_RETRY_BASE_MS: integer(10, 600_000).default(2_000),
  SUPPLIER_POLL_INTERVAL_MS: integer(1_000, 3_600_000).default(120_000),
  SUPPLIER_POLL_WINDOW_MS: integer(1_000, 86_400_000).default(600_000),
  DELIVERY_MAX_ATTEMPTS: integer(1, 50).default(5),
  DATABASE_PATH: z.string().trim().min(1).default("./data/shop.sqlite"),
  HTTP_PORT: integer(0, 65_535).default(3000),
  HTTP_HOST: z.string().trim().min(1).default("0.0.0.0"),
  METRICS_PORT: integer(0, 65_535).optional(),
  METRICS_HOST: z.string().trim().min(1).optional(),
  METRICS_TOKEN: z.string().trim().min(16, "must be at least 16 characters").optional(),
  CATALOG_PATH: z.string().trim().min(1).default("./catalog.example.json"),
  SUPPORT_CONTACT: z.string().trim().min(1),
  CODE_ENCRYPTION_KEY: encryptionKey,
  WORKER_CONCURRENCY: integer(1, 256).default(16),
  TELEGRAM_MAX_PER_SECOND: integer(1, 1_000).default(30),
  TELEGRAM_CHAT_GAP_MS: integer(0, 60_000).default(1_050),
  TELEGRAM_CHAT_BURST: integer(1, 20).default(3),
  SHOP_NAME: z.string().trim().min(1).max(64).default("Code Shop"),
  MAX_UNPAID_ORDERS: integer(1, 100).default(3),
  MAX_ORDERS_PER_HOUR: integer(1, 10_000).default(20),
  MONITOR_INTERVAL_MS: integer(1_000, 3_600_000).default(60_000),
  SUPPLIER_DAILY_SPEND: integer(0, Number.MAX_SAFE_INTEGER).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  BOT_MODE: z.enum(["polling", "webhook"]).default("polling"),
  WEBHOOK_URL: url.optional(),
  TELEGRAM_WEBHOOK_SECRET: z.string().trim().regex(/^[A-Za-z0-9_-]{16,256}$/, "must be 16–256 letters, digits, _ or -").optional(),
  CATALOG_MARKUP_PERCENT: z.coerce.number().min(0).max(1000).default(12),
  CATALOG_SYNC_INTERVAL_MS: integer(0, 86_400_000).default(0),
  TELEGRAM_STARTUP_TIMEOUT_MS: integer(1_000, 3_600_000).default(60_000),
  INSTANCE_LEASE: z.enum(["wait", "refuse"]).default("wait"),
  STARS_RECONCILE_INTERVAL_MS: integer(10_000, 86_400_000).default(600_000),
  RISK_HOLD_LEVEL: z.enum(["normal", "elevated", "highest", "off"]).default("elevated"),
  RISK_NEW_CUSTOMER_MAX: amountLimit.default({ any: 15_000, byCurrency: {} }),
  RISK_NEW_CUSTOMER_DAYS: integer(0, 3650).default(7),
  RISK_MAX_ORDERS_PER_DAY: countOrOff(100_000).default(10),
  RISK_MAX_VALUE_PER_DAY: amountLimit.default({ any: 50_000, byCurrency: {} }),
  RISK_MAX_ACCOUNTS_PER_CARD: countOrOff(1_000).default(2),
  RISK_HOLD_AUTO_REFUND_HOURS: countOrOff(24 * 365).default(24),
  RISK_BAN_ON_DISPUTE: flag.default(true),
  // Reloadly: configured when its client id and secret are set.
  RELOADLY_CLIENT_ID: z.string().trim().min(1).optional(),
  RELOADLY_CLIENT_SECRET: z.string().trim().min(1).optional(),
  RELOADLY_AUTH_URL: url.default("https://auth.reloadly.com"),
  RELOADLY_GIFTCARDS_URL: url.default("https://giftcards.reloadly.com"),
  RELOADLY_TOPUPS_URL: url.default("https://topups.reloadly.com"),
  STOCK_LOW_THRESHOLD: integer(0, 1_000_000).default(5),
  RETENTION_DAYS: integer(1, 36_500).default(90),
  // Email, the backup channel: on when SMTP_URL is set (and EMAIL_DELIVERY is not off).
  SMTP_URL: smtpUrl.optional(),
  EMAIL_FROM: z.string().trim().regex(/^(?:[^<>]*<\s*)?[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+\s*>?$/, "must be an address, e.g. Code Shop <shop@example.com>").optional(),
  EMAIL_DELIVERY: z.enum(["fallback", "always", "off"]).default("fallback"),
  EMAIL_MAX_ATTEMPTS: integer(1, 50).default(8),
  EMAIL_RETRY_BASE_MS: integer(100, 3_600_000).default(30_000),
}).superRefine((config, ctx) => {
  // A supplier's settings come together or not at all: half a configuration is a typo, not a choice.
  const groups = [
    { names: ["SUPPLIER_API_URL", "SUPPLIER_API_KEY", "SUPPLIER_WEBHOOK_SECRET"], what: "the generic supplier" },
    { names: ["RELOADLY_CLIENT_ID", "RELOADLY_CLIENT_SECRET"], what: "Reloadly" },
  ] as const;
  for (const group of groups) {
    if (!group.names.some((name) => config[name])) continue;
    for (const name of group.names) {
      if (!config[name]) ctx.addIssue({ code: "custom", path: [name], message: `required with the other settings of ${group.what}` });
    }
  }
  // Stripe's keys are needed only when Stripe takes payments; webhook mode needs its URL and secret.
  if (config.PAYMENT_METHODS.includes("stripe")) {
    for (const name of ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"] as const) {
      if (!config[name]) ctx.addIssue({ code: "custom", path: [name], message: "required when PAYMENT_METHODS includes stripe" });
    }
  }
  if (config.SMTP_URL && !config.EMAIL_FROM) ctx.addIssue({ code: "custom", path: ["EMAIL_FROM"], message: "required when SMTP_URL is set" });
  if (config.METRICS_HOST && config.METRICS_PORT === undefined) {
    ctx.addIssue({ code: "custom", path: ["METRICS_HOST"], message: "needs METRICS_PORT (without it, /metrics and /healthz are served on HTTP_PORT)" });
  }
  if (config.BOT_MODE === "webhook") {
    for (const name of ["WEBHOOK_URL", "TELEGRAM_WEBHOOK_SECRET"] as const) {
      if (!config[name]) ctx.addIssue({ code: "custom", path: [name], message: "required when BOT_MODE=webhook" });
    }
  }
});

export type Config = z.infer<typeof configSchema>;

/** The fraud rules' settings, from the RISK_* variables. */
export function riskSettingsOf(config: Config): RiskSettings {
  return {
    holdLevel: config.RISK_HOLD_LEVEL,
    newCustomerMax: config.RISK_NEW_CUSTOMER_MAX,
    newCustomerDays: config.RISK_NEW_CUSTOMER_DAYS,
    maxOrdersPerDay: config.RISK_MAX_ORDERS_PER_DAY,
    maxValuePerDay: config.RISK_MAX_VALUE_PER_DAY,
    maxAccountsPerCard: config.RISK_MAX_ACCOUNTS_PER_CARD,
    holdAutoRefundHours: config.RISK_HOLD_AUTO_REFUND_HOURS,
    banOnDispute: config.RISK_BAN_ON_DISPUTE,
  };
}

/** How the shop uses email: "off" without SMTP_URL or with EMAIL_DELIVERY=off. */
export function emailModeOf(config: Config): "off" | "fallback" | "always" {
  return config.SMTP_URL ? config.EMAIL_DELIVERY : "off";
}

/** The suppliers this configuration can order from; the shop's own stock is always there. */
export function configuredSuppliers(config: Config): Set<"generic" | "reloadly" | "stock"> {
  const names = new Set<"generic" | "reloadly" | "stock">(["stock"]);
  if (config.SUPPLIER_API_URL && config.SUPPLIER_API_KEY && config.SUPPLIER_WEBHOOK_SECRET) names.add("generic");
  if (config.RELOADLY_CLIENT_ID && config.RELOADLY_CLIENT_SECRET) names.add("reloadly");
  return names;
}

/** What to do about each variable, appended to the one-line error that names it. */
const HINTS: Record<string, string> = {
  BOT_TOKEN: "set it to the token @BotFather gave you, or leave it out to run the offline sandbox",
  TELEGRAM_API_ROOT: "leave it unset for Telegram, or give the URL of a local Bot API server",
  ADMIN_USER_IDS: "list the admins' numeric Telegram ids, e.g. 12345,67890",
  OPS_CHAT_ID: "set the numeric id of the private ops group (negative, e.g. -1001234567890)",
  STRIPE_SECRET_KEY: "copy the secret key from the Stripe dashboard (Developers → API keys)",
  STRIPE_WEBHOOK_SECRET: "copy the signing secret of your webhook endpoint (Developers → Webhooks)",
  STRIPE_API_URL: "leave it unset for Stripe, or give the URL of a local Stripe stand-in",
  SUPPLIER_API_URL: "set the base URL of the generic supplier API, e.g. https://api.supplier.example/v1 (or leave all three SUPPLIER_API_* unset)",
  SUPPLIER_API_KEY: "set the API key from your supplier account (or leave all three SUPPLIER_API_* unset)",
  SUPPLIER_WEBHOOK_SECRET: "set the webhook signing secret agreed with the supplier (or leave all three unset)",
  SUPPLIER_TIMEOUT_MS: "give a number of milliseconds, e.g. 10000",
  SUPPLIER_MAX_ATTEMPTS: "give a whole number of attempts, e.g. 3",
  SUPPLIER_RETRY_BASE_MS: "give the first retry delay in ms (it doubles each attempt, with jitter), e.g. 2000",
  SUPPLIER_POLL_INTERVAL_MS: "give how often a pending supplier order is polled, in ms, e.g. 120000",
  SUPPLIER_POLL_WINDOW_MS: "give how long a pending supplier order is polled before review, in ms, e.g. 600000",
  DELIVERY_MAX_ATTEMPTS: "give how many times a delivery is tried when Telegram cannot be reached (network, 5xx, a long 429) before the order is marked undeliverable, e.g. 5",
  DATABASE_PATH: "give a file path, e.g. ./data/shop.sqlite",
  HTTP_PORT: "give a port number, e.g. 3000",
  METRICS_PORT: "give a port for /metrics and /healthz of their own, e.g. 9100, or leave it unset to serve them on HTTP_PORT",
  METRICS_HOST: "give the address the metrics listener binds, e.g. 127.0.0.1 (default: HTTP_HOST); it needs METRICS_PORT",
  METRICS_TOKEN: "set a random secret of 16+ characters; /metrics then wants Authorization: Bearer <token>",
  CATALOG_PATH: "give the path of the catalog file, e.g. ./catalog.example.json",
  SUPPORT_CONTACT: "set how customers reach you, e.g. @your_support",
  CODE_ENCRYPTION_KEY: "generate one with: node -e \"console.log(require('crypto').randomBytes(32).toString('hex'))\"",
  WORKER_CONCURRENCY: "give a whole number, e.g. 16",
  TELEGRAM_MAX_PER_SECOND: "give how many messages the bot may send a second overall (Telegram allows about 30)",
  TELEGRAM_CHAT_GAP_MS: "give the least time between two messages to one private chat, in ms (Telegram asks for about 1000)",
  TELEGRAM_CHAT_BURST: "give how many messages may go at once to a private chat that has been quiet, e.g. 3",
  SHOP_NAME: "give the shop's name as customers should see it (64 characters at most)",
  MAX_UNPAID_ORDERS: "give how many unpaid orders a customer may have open at once, e.g. 3",
  MAX_ORDERS_PER_HOUR: "give how many orders a customer may start in an hour, e.g. 20",
  MONITOR_INTERVAL_MS: "give how often the alert checks run, in ms, e.g. 60000",
  SUPPLIER_DAILY_SPEND: "give a typical day's supplier spend in minor units (e.g. 50000 for 500.00), or leave it unset to use the average over the days with sales in the last 7",
  LOG_LEVEL: "use one of fatal, error, warn, info, debug, trace, silent",
  PAYMENT_METHODS: "use stripe, stars, or stripe,stars",
  BOT_MODE: "use polling (the default) or webhook",
  WEBHOOK_URL: "give the public https URL of this shop, e.g. https://shop.example.com (Telegram posts to /telegram/webhook)",
  TELEGRAM_WEBHOOK_SECRET: "set a random secret of 16+ letters and digits; Telegram sends it with every update",
  CATALOG_MARKUP_PERCENT: "give the markup over supplier cost in percent, e.g. 12",
  CATALOG_SYNC_INTERVAL_MS: "give how often to sync the catalog from the supplier, in ms (0 = only with /sync)",
  TELEGRAM_STARTUP_TIMEOUT_MS: "give how long to keep trying to reach Telegram at start, in ms, e.g. 60000",
  INSTANCE_LEASE: "use wait (a second process on the same database stands by) or refuse (it exits at once)",
  STARS_RECONCILE_INTERVAL_MS: "give how often to compare Stars payments with Telegram's ledger (getStarTransactions), in ms, e.g. 600000",
  RISK_HOLD_LEVEL: "use normal, elevated (the default), highest, or off: Stripe Radar's risk level at which a payment is held",
  RISK_NEW_CUSTOMER_MAX: "give an amount in minor units (e.g. 15000), per currency (USD:15000,EUR:14000), or off",
  RISK_NEW_CUSTOMER_DAYS: "give how many days a customer counts as new, e.g. 7",
  RISK_MAX_ORDERS_PER_DAY: "give how many paid orders a customer may make in 24 hours before a hold, e.g. 10, or off",
  RISK_MAX_VALUE_PER_DAY: "give the most a customer may pay in 24 hours before a hold, in minor units (e.g. 50000) or per currency (USD:50000), or off",
  RISK_MAX_ACCOUNTS_PER_CARD: "give how many Telegram accounts may pay with one card before a hold, e.g. 2, or off",
  RISK_HOLD_AUTO_REFUND_HOURS: "give after how many hours an unreleased held order is refunded, e.g. 24, or off",
  RISK_BAN_ON_DISPUTE: "use on (a dispute bans its customer and card) or off",
  RELOADLY_CLIENT_ID: "copy the client id from the Reloadly dashboard (Developers → API settings), or leave both RELOADLY_CLIENT_* unset",
  RELOADLY_CLIENT_SECRET: "copy the client secret from the Reloadly dashboard (Developers → API settings), or leave both RELOADLY_CLIENT_* unset",
  RELOADLY_AUTH_URL: "leave it unset for Reloadly (https://auth.reloadly.com), or give the URL of a local Reloadly simulator",
  RELOADLY_GIFTCARDS_URL: "leave it unset for live gift cards, or use https://giftcards-sandbox.reloadly.com for Reloadly's sandbox",
  RELOADLY_TOPUPS_URL: "leave it unset for live airtime, or use https://topups-sandbox.reloadly.com for Reloadly's sandbox",
  STOCK_LOW_THRESHOLD: "give how many codes left in a stock pool raise the low-stock alert, e.g. 5",
  SMTP_URL: "give your mail server as smtp://user:password@smtp.example.com:587 (STARTTLS when offered) or smtps://…:465, or leave it unset for no email",
  EMAIL_FROM: "give the sender of the shop's emails, e.g. Code Shop <shop@example.com> (an address your SMTP server may send as)",
  EMAIL_DELIVERY: "use fallback (email the code when Telegram cannot deliver it), always (also an email receipt with every code) or off",
  EMAIL_MAX_ATTEMPTS: "give how many times an email is tried when the mail server says later (4xx) or cannot be reached before it is given up, e.g. 8",
  EMAIL_RETRY_BASE_MS: "give the first retry delay of an email in ms (it doubles each attempt, up to 30 minutes), e.g. 30000",
  RETENTION_DAYS: "give after how many days processed webhook events, settled Stars charges and abandoned checkouts are deleted, e.g. 90 (orders are kept)",
};

/** Production: NODE_ENV=production, or the compiled shop (dist/) as the image runs it; `npm start` runs src/ with tsx. */
export function isProduction(env: NodeJS.ProcessEnv, entryPath: string): boolean {
  return env["NODE_ENV"] === "production" || !entryPath.endsWith(".ts");
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/**
 * Parses the environment. Throws a ConfigError whose message is one line naming the first wrong
 * variable, what is wrong and what to do.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: { production?: boolean } = {}): Config {
  // An empty value means "not set", as in most .env files.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  // In production the shop sells only what the operator listed: the example catalog is for a development checkout.
  if (options.production && cleaned["CATALOG_PATH"] === undefined) {
    throw new ConfigError("CATALOG_PATH is missing: give the path of your catalog file (the example catalog is not sold in production)");
  }
  const result = configSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? "environment");
  const missing = cleaned[name] === undefined;
  const what = missing ? "is missing" : `is invalid (${issue.message})`;
  throw new ConfigError(`${name} ${what}: ${HINTS[name] ?? "check .env.example"}`);
}
