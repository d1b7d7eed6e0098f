import { describe, expect, it } from "vitest";
import { ConfigError, configuredSuppliers, loadConfig } from "../../src/config.js";

const valid = {
  BOT_TOKEN: "123456:ABCdefGHIjklMNOpqrSTUvwxYZ",
  OPS_CHAT_ID: "-1001234567890",
  ADMIN_USER_IDS: "1, 2,3",
  STRIPE_SECRET_KEY: "sk_test_123",
  STRIPE_WEBHOOK_SECRET: "whsec_abc",
  SUPPLIER_API_URL: "https://api.supplier.example/v1",
  SUPPLIER_API_KEY: "key",
  SUPPLIER_WEBHOOK_SECRET: "0123456789abcdef",
  SUPPORT_CONTACT: "@support",
  CODE_ENCRYPTION_KEY: "00".repeat(32),
};

function errorOf(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env as NodeJS.ProcessEnv);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("config", () => {
  it("parses a valid environment with defaults", () => {
    const config = loadConfig(valid);
    expect(config.ADMIN_USER_IDS).toEqual([1, 2, 3]);
    expect(config.OPS_CHAT_ID).toBe(-1001234567890);
    expect(config.DATABASE_PATH).toBe("./data/shop.sqlite");
    expect(config.HTTP_PORT).toBe(3000);
    expect(config.TELEGRAM_API_ROOT).toBe("https://api.telegram.org");
    expect(config.CODE_ENCRYPTION_KEY).toHaveLength(32);
    expect(config.SUPPLIER_MAX_ATTEMPTS).toBe(3);
  });
  it.each([
    ["STRIPE_SECRET_KEY", undefined, /^STRIPE_SECRET_KEY is missing: copy the secret key/],
    ["STRIPE_SECRET_KEY", "pk_test_1", /^STRIPE_SECRET_KEY is invalid \(must start with sk_test_/],
    ["STRIPE_WEBHOOK_SECRET", "abc", /^STRIPE_WEBHOOK_SECRET is invalid/],
    ["OPS_CHAT_ID", undefined, /^OPS_CHAT_ID is missing: set the numeric id/],
    ["ADMIN_USER_IDS", "1,bob", /^ADMIN_USER_IDS is invalid \(must be a comma-separated list/],
    ["CODE_ENCRYPTION_KEY", "short", /^CODE_ENCRYPTION_KEY is invalid \(must be 32 bytes.*generate one with/],
    ["HTTP_PORT", "99999", /^HTTP_PORT is invalid/],
    ["SUPPLIER_API_URL", "ftp://x", /^SUPPLIER_API_URL is invalid/],
    ["LOG_LEVEL", "loud", /^LOG_LEVEL is invalid/],
    ["BOT_TOKEN", "nope", /^BOT_TOKEN is invalid .*@BotFather/],
  ])("names %s in one line when it is %s", (name, value, pattern) => {
    const message = errorOf({ ...valid, [name]: value });
    expect(message).toMatch(pattern);
    expect(message).not.toContain("\n");
  });
  it("configures the generic supplier only when its variables are set, all of them", () => {
    const { SUPPLIER_API_URL: _u, SUPPLIER_API_KEY: _k, SUPPLIER_WEBHOOK_SECRET: _s, ...noGeneric } = valid;
    expect([...configuredSuppliers(loadConfig(valid))].sort()).toEqual(["generic", "stock"]);
    expect([...configuredSuppliers(loadConfig(noGeneric))]).toEqual(["stock"]);
    expect(errorOf({ ...noGeneric, SUPPLIER_API_URL: "https://api.supplier.example/v1" })).toMatch(/^SUPPLIER_API_KEY is missing: .*leave all three SUPPLIER_API_\* unset/);
  });
  it("configures Reloadly with its client id and secret, with Reloadly's URLs by default", () => {
    const config = loadConfig({ ...valid, RELOADLY_CLIENT_ID: "id", RELOADLY_CLIENT_SECRET: "secret" });
    expect([...configuredSuppliers(config)].sort()).toEqual(["generic", "reloadly", "stock"]);
    expect([config.RELOADLY_AUTH_URL, config.RELOADLY_GIFTCARDS_URL, config.RELOADLY_TOPUPS_URL]).toEqual(["https://auth.reloadly.com", "https://giftcards.reloadly.com", "https://topups.reloadly.com"]);
    expect(config.STOCK_LOW_THRESHOLD).toBe(5);
    expect(errorOf({ ...valid, RELOADLY_CLIENT_ID: "id" })).toMatch(/^RELOADLY_CLIENT_SECRET is missing: copy the client secret from the Reloadly dashboard/);
    expect(errorOf({ ...valid, RELOADLY_CLIENT_ID: "id", RELOADLY_CLIENT_SECRET: "s", RELOADLY_GIFTCARDS_URL: "giftcards" })).toMatch(/^RELOADLY_GIFTCARDS_URL is invalid/);
  });
  it("treats an empty value as unset", () => {
    expect(errorOf({ ...valid, SUPPORT_CONTACT: "" })).toMatch(/^SUPPORT_CONTACT is missing/);
  });
});
