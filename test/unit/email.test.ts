// The pieces of email that need no server: addresses read and masked, what an SMTP failure means, the layout of
// a message (codes in a copy-friendly block, everything else escaped, a plain-text part with the same words), and
// the settings (SMTP_URL, EMAIL_FROM, EMAIL_DELIVERY).
import { describe, expect, it } from "vitest";
import { ConfigError, emailModeOf, loadConfig } from "../../src/config.js";
import { maskAddressesIn, maskEmailAddress, parseEmailAddress } from "../../src/email/address.js";
import { emailFromBlocks } from "../../src/email/layout.js";
import { smtpFailure } from "../../src/email/transport.js";

const valid = {
  BOT_TOKEN: "123456:ABCdefGHIjklMNOpqrSTUvwxYZ",
  OPS_CHAT_ID: "-1001234567890",
  STRIPE_SECRET_KEY: "sk_test_123",
  STRIPE_WEBHOOK_SECRET: "whsec_abc",
  SUPPORT_CONTACT: "@support",
  CODE_ENCRYPTION_KEY: "00".repeat(32),
};

describe("email addresses", () => {
  it("reads what a customer types or Stripe sends, and refuses what is not an address", () => {
    expect(parseEmailAddress("  Alice.Smith@Example.COM ")).toBe("Alice.Smith@example.com");
    expect(parseEmailAddress("ａｌｉｃｅ@example.com")).toBe("alice@example.com"); // full-width, as some keyboards type
    for (const wrong of ["", "alice", "alice@", "@example.com", "a b@example.com", "alice@example", null, undefined]) expect(parseEmailAddress(wrong)).toBeUndefined();
  });

  it("is masked wherever a person reads it", () => {
    expect(maskEmailAddress("alice@example.com")).toBe("a***@example.com");
    expect(maskEmailAddress("ж@пример.рф")).toBe("ж***@пример.рф");
    expect(maskAddressesIn("550 5.1.1 <bob.jones@mail.example.org>: Recipient address rejected")).toBe("550 5.1.1 <b***@mail.example.org>: Recipient address rejected");
  });
});

describe("what an SMTP failure means", () => {
  it.each([
    [{ code: "EENVELOPE", responseCode: 550, response: "550 5.1.1 <x@example.com>: no such user" }, true, "EENVELOPE 550 5.1.1 <x***@example.com>: no such user"],
    [{ code: "EMESSAGE", responseCode: 554, response: "554 rejected as spam" }, true, "EMESSAGE 554 rejected as spam"],
    [{ code: "EMESSAGE", responseCode: 451, response: "451 greylisted" }, false, "EMESSAGE 451 greylisted"],
    [{ code: "EAUTH", responseCode: 535, response: "535 authentication failed" }, false, "EAUTH 535 authentication failed"],
    [{ code: "ESOCKET", message: "connect ECONNREFUSED 127.0.0.1:25" }, false, "ESOCKET connect ECONNREFUSED 127.0.0.1:25"],
    [{ code: "ETIMEDOUT", message: "Greeting never received" }, false, "ETIMEDOUT Greeting never received"],
  ])("%o → permanent %s", (error, permanent, reason) => {
    expect(smtpFailure(Object.assign(new Error(String((error as { message?: string }).message ?? "")), error))).toEqual({ permanent, reason });
  });
});

describe("the layout of an email", () => {
  const message = emailFromBlocks({
    locale: "en",
    subject: "Your <Steam> & co",
    blocks: ["🎁 <b>Steam &lt;script&gt;alert(1)&lt;/script&gt;</b>\nOrder ORD-1", "Code: <code>ABCD-EFGH</code>\nPIN: <code>1234</code>"],
    footer: "Code Shop <shop>, a shop in Telegram.",
  });

  it("shows each code in a block of its own, selected with one click", () => {
    expect(message.html).toContain('user-select:all');
    expect(message.html).toMatch(/<code style="[^"]+">ABCD-EFGH<\/code>/);
    expect(message.html).toContain("<br>\nPIN:");
  });

  it("runs nothing and loads nothing: what came escaped stays escaped, the subject and footer are escaped", () => {
    expect(message.html).not.toMatch(/<script/i);
    expect(message.html).toContain("&lt;script&gt;");
    expect(message.html).toContain("<title>Your &lt;Steam&gt; &amp; co</title>");
    expect(message.html).toContain("Code Shop &lt;shop&gt;");
    expect(message.html).not.toMatch(/<img|<link|src=/i);
  });

  it("has a plain-text part with the same words", () => {
    expect(message.text).toBe("🎁 Steam <script>alert(1)</script>\nOrder ORD-1\n\nCode: ABCD-EFGH\nPIN: 1234\n\n-- \nCode Shop <shop>, a shop in Telegram.\n");
    expect(message.subject).toBe("Your <Steam> & co");
  });
});

describe("email settings", () => {
  it("is off without SMTP_URL, whatever EMAIL_DELIVERY says; fallback by default with it", () => {
    expect(emailModeOf(loadConfig({ ...valid, EMAIL_DELIVERY: "always" }))).toBe("off");
    const config = loadConfig({ ...valid, SMTP_URL: "smtp://user:pass@smtp.example.com:587", EMAIL_FROM: "Code Shop <shop@example.com>" });
    expect(emailModeOf(config)).toBe("fallback");
    expect([config.EMAIL_MAX_ATTEMPTS, config.EMAIL_RETRY_BASE_MS]).toEqual([8, 30_000]);
    expect(emailModeOf(loadConfig({ ...valid, SMTP_URL: "smtps://smtp.example.com:465", EMAIL_FROM: "shop@example.com", EMAIL_DELIVERY: "off" }))).toBe("off");
  });

  it.each([
    [{ SMTP_URL: "smtp://smtp.example.com:587" }, /^EMAIL_FROM is missing: give the sender/],
    [{ SMTP_URL: "https://user:s3cr3t@smtp.example.com", EMAIL_FROM: "shop@example.com" }, /^SMTP_URL is invalid \(must be smtp:\/\/user:password@host:port/],
    [{ SMTP_URL: "smtp://smtp.example.com", EMAIL_FROM: "not an address" }, /^EMAIL_FROM is invalid/],
    [{ EMAIL_DELIVERY: "sometimes" }, /^EMAIL_DELIVERY is invalid .*use fallback/],
  ])("names the wrong setting in one line: %o", (env, pattern) => {
    let message = "";
    try {
      loadConfig({ ...valid, ...env });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(pattern);
    expect(message).not.toContain("\n");
    expect(message).not.toContain("s3cr3t"); // the password in SMTP_URL is never repeated
  });
});
