// The environment of a shop wired to the test fakes, for tests that build or spawn a shop by hand.
import { ENCRYPTION_KEY, OPS_CHAT_ID, STRIPE_SECRET, SUPPLIER_KEY, SUPPLIER_SECRET, TOKEN } from "./harness.js";

export function fakeEnv(fakes: { telegramRoot: string; stripeUrl: string; supplierUrl: string }, more: Record<string, string> = {}): Record<string, string> {
  return {
    BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: fakes.telegramRoot,
    OPS_CHAT_ID: String(OPS_CHAT_ID),
    STRIPE_SECRET_KEY: "sk_test_fake",
    STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
    STRIPE_API_URL: fakes.stripeUrl,
    SUPPLIER_API_URL: fakes.supplierUrl,
    SUPPLIER_API_KEY: SUPPLIER_KEY,
    SUPPLIER_WEBHOOK_SECRET: SUPPLIER_SECRET,
    SUPPORT_CONTACT: "@shop_support",
    CODE_ENCRYPTION_KEY: ENCRYPTION_KEY,
    CATALOG_PATH: "catalog.example.json",
    HTTP_HOST: "127.0.0.1",
    HTTP_PORT: "0",
    LOG_LEVEL: "info",
    ...more,
  };
}
