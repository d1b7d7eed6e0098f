// The shop's configuration: the environment, validated once with zod; every variable is in .env.example.
import { z } from "zod";

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
  SUPPLIER_API_URL: url,
  SUPPLIER_API_KEY: z.string().trim().min(1),
  SUPPLIER_WEBHOOK_SECRET: z.string().trim().min(16, "must be at least 16 characters"),
  SUPPLIER_TIMEOUT_MS: integer(100, 120_000).default(10_000),
  SUPPLIER_MAX_ATTEMPTS: integer(1, 20).default(3),
  SUPPLIER_RETRY_BASE_MS: integer(10, 600_000).default(2_000),
  SUPPLIER_POLL_INTERVAL_MS: integer(1_000, 3_600_000).default(120_000),
  SUPPLIER_POLL_WINDOW_MS: integer(1_000, 86_400_000).default(600_000),
  DATABASE_PATH: z.string().trim().min(1).default("./data/shop.sqlite"),
  HTTP_PORT: integer(0, 65_535).default(3000),
  HTTP_HOST: z.string().trim().min(1).default("0.0.0.0"),
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
}).superRefine((config, ctx) => {
  // Stripe's keys are needed only when Stripe takes payments; webhook mode needs its URL and secret.
  if (config.PAYMENT_METHODS.includes("stripe")) {
    for (const name of ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"] as const) {
      if (!config[name]) ctx.addIssue({ code: "custom", path: [name], message: "required when PAYMENT_METHODS includes stripe" });
    }
  }
  if (config.BOT_MODE === "webhook") {
    for (const name of ["WEBHOOK_URL", "TELEGRAM_WEBHOOK_SECRET"] as const) {
      if (!config[name]) ctx.addIssue({ code: "custom", path: [name], message: "required when BOT_MODE=webhook" });
    }
  }
});

export type Config = z.infer<typeof configSchema>;

/** What to do about each variable, appended to the one-line error that names it. */
const HINTS: Record<string, string> = {
  BOT_TOKEN: "set it to the token @BotFather gave you, or leave it out to run the offline sandbox",
  TELEGRAM_API_ROOT: "leave it unset for Telegram, or give the URL of a local Bot API server",
  ADMIN_USER_IDS: "list the admins' numeric Telegram ids, e.g. 12345,67890",
  OPS_CHAT_ID: "set the numeric id of the private ops group (negative, e.g. -1001234567890)",
  STRIPE_SECRET_KEY: "copy the secret key from the Stripe dashboard (Developers → API keys)",
  STRIPE_WEBHOOK_SECRET: "copy the signing secret of your webhook endpoint (Developers → Webhooks)",
  STRIPE_API_URL: "leave it unset for Stripe, or give the URL of a local Stripe stand-in",
  SUPPLIER_API_URL: "set the base URL of the supplier API, e.g. https://api.supplier.example/v1",
  SUPPLIER_API_KEY: "set the API key from your supplier account",
  SUPPLIER_WEBHOOK_SECRET: "set the webhook signing secret agreed with the supplier",
  SUPPLIER_TIMEOUT_MS: "give a number of milliseconds, e.g. 10000",
  SUPPLIER_MAX_ATTEMPTS: "give a whole number of attempts, e.g. 3",
  SUPPLIER_RETRY_BASE_MS: "give the first retry delay in ms (it doubles each attempt, with jitter), e.g. 2000",
  SUPPLIER_POLL_INTERVAL_MS: "give how often a pending supplier order is polled, in ms, e.g. 120000",
  SUPPLIER_POLL_WINDOW_MS: "give how long a pending supplier order is polled before review, in ms, e.g. 600000",
  DATABASE_PATH: "give a file path, e.g. ./data/shop.sqlite",
  HTTP_PORT: "give a port number, e.g. 3000",
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
  SUPPLIER_DAILY_SPEND: "give a typical day's supplier spend in minor units (e.g. 50000 for 500.00), or leave it unset to use the 7-day average",
  LOG_LEVEL: "use one of fatal, error, warn, info, debug, trace, silent",
  PAYMENT_METHODS: "use stripe, stars, or stripe,stars",
  BOT_MODE: "use polling (the default) or webhook",
  WEBHOOK_URL: "give the public https URL of this shop, e.g. https://shop.example.com (Telegram posts to /telegram/webhook)",
  TELEGRAM_WEBHOOK_SECRET: "set a random secret of 16+ letters and digits; Telegram sends it with every update",
  CATALOG_MARKUP_PERCENT: "give the markup over supplier cost in percent, e.g. 12",
  CATALOG_SYNC_INTERVAL_MS: "give how often to sync the catalog from the supplier, in ms (0 = only with /sync)",
};

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/**
 * Parses the environment. Throws a ConfigError whose message is one line naming the first wrong
 * variable, what is wrong and what to do.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty value means "not set", as in most .env files.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const result = configSchema.safeParse(cleaned);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? "environment");
  const missing = cleaned[name] === undefined;
  const what = missing ? "is missing" : `is invalid (${issue.message})`;
  throw new ConfigError(`${name} ${what}: ${HINTS[name] ?? "check .env.example"}`);
}
