// Every setting the shop reads is explained where an operator looks: a line in .env.example and a row of README's
// configuration table (the rule for a new setting, checked rather than remembered).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { configSchema, loadConfig, riskSettingsOf } from "../../src/config.js";
import { DEFAULT_RISK_SETTINGS } from "../../src/risk/rules.js";

const ENV_EXAMPLE = readFileSync(".env.example", "utf8");
const README = readFileSync("README.md", "utf8");
const TABLE = README.slice(README.indexOf("## Configuration"), README.indexOf("### The catalog"));
const SETTINGS = Object.keys(configSchema.shape);

describe("the configuration's documentation", () => {
  it("reads a few dozen settings", () => {
    expect(SETTINGS.length).toBeGreaterThan(40);
    expect(SETTINGS).toContain("RISK_HOLD_LEVEL");
  });

  it.each(SETTINGS)("%s has a line in .env.example", (name) => {
    expect(ENV_EXAMPLE).toMatch(new RegExp(`^${name}=`, "m"));
  });

  it.each(SETTINGS)("%s has a row in README's configuration table", (name) => {
    expect(TABLE).toMatch(new RegExp(`^\\|[^\\n]*\`${name}\``, "m"));
  });
});

describe("the fraud rules' documentation", () => {
  const RISK = SETTINGS.filter((name) => name.startsWith("RISK_"));
  const FRAUD = README.slice(README.indexOf("### Fraud"), README.indexOf("### Metrics and health"));

  it("names every RISK_* setting in README's Fraud section", () => {
    expect(RISK).toHaveLength(8);
    for (const name of RISK) expect(FRAUD, name).toContain(`\`${name}\``);
  });

  it("shows the defaults in .env.example: its RISK_* lines give the settings the shop uses without them", () => {
    const base = { BOT_TOKEN: "123456:ABCdefGHIjklMNOpqrSTUvwxYZ", OPS_CHAT_ID: "-1001234567890", STRIPE_SECRET_KEY: "sk_test_1", STRIPE_WEBHOOK_SECRET: "whsec_1", SUPPORT_CONTACT: "@s", CODE_ENCRYPTION_KEY: "00".repeat(32) };
    const lines = Object.fromEntries(RISK.map((name) => [name, new RegExp(`^${name}=(.*)$`, "m").exec(ENV_EXAMPLE)![1]!]));
    expect(riskSettingsOf(loadConfig({ ...base, ...lines }))).toEqual(riskSettingsOf(loadConfig(base)));
    expect(riskSettingsOf(loadConfig(base))).toEqual(DEFAULT_RISK_SETTINGS);
  });
});
