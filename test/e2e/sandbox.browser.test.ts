// The offline sandbox in a real browser: Playwright (playwright-core) driving Debian's Chromium.
// Buy a gift card, pay on the checkout page, see the code in the chat; then a top-up that fails and is
// refunded, with the alert visible in the ops chat; then a product routed through several sources, with
// Reloadly's behaviour switched in the panel.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { startSandbox, type Sandbox } from "../../src/sandbox/sandbox.js";

const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
// In CI the browser must be there (.ci/run installs it); elsewhere the test says why it did not run.
const run = existsSync(CHROMIUM) || process.env["CI"] === "true";

let sandbox: Sandbox;
let browser: Browser;
let page: Page;
let dir: string;

describe.runIf(run)("the sandbox in a browser", () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sandbox-"));
    sandbox = await startSandbox({ env: { HTTP_PORT: "0", SANDBOX_DATABASE_PATH: join(dir, "sandbox.sqlite"), LOG_LEVEL: "silent" } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const chat = () => page.getByTestId("customer-chat");
  const ops = () => page.getByTestId("ops-chat");
  const button = (name: string | RegExp) => chat().getByRole("button", { name }).last();

  it("sells a gift card: browse, pay on the checkout page, the code arrives in the chat", async () => {
    await page.goto(sandbox.url + "/");
    await page.getByRole("button", { name: "+ New" }).click();
    await expect.poll(() => chat().innerText(), { timeout: 15_000 }).toContain("Welcome to");
    await button(/^Gift cards/).click();
    await button(/^Steam Wallet ·/).click();
    await button(/^Steam Wallet 20 USD/).click();
    await button(/^🛒 Buy for \$21\.99/).click();
    await button(/^1 × \$21\.99/).click();
    await button(/^💳 Pay \$21\.99/).click();

    await page.waitForURL(/\/checkout\/cs_test_/);
    await expect.poll(() => page.getByTestId("amount").innerText(), { timeout: 15_000 }).toBe("$21.99");
    await page.getByRole("button", { name: "Pay $21.99" }).click();

    await page.waitForURL((url) => url.pathname === "/");
    await expect.poll(() => chat().innerText(), { timeout: 15_000 }).toContain("How to redeem");
    const text = await chat().innerText();
    const orderId = /ORD-[0-9A-Z]{8}/.exec(text)![0];
    const code = sandbox.supplier.orderByReference(orderId)!.items[0]!.code!;
    expect(text).toContain(code);
    await page.screenshot({ path: "test-results/sandbox-gift-card.png" });
  }, 60_000);

  it("a top-up that the supplier fails is refunded, and the ops chat shows the alert", async () => {
    await chat().locator("..").locator("input").fill("/start");
    await page.keyboard.press("Enter");
    await button(/^Game top-ups/).click();
    await button(/^PUBG Mobile 660 UC/).click();
    await button(/^🛒 Buy for/).click();
    await expect.poll(() => chat().innerText(), { timeout: 15_000 }).toContain("Send the player ID");
    const input = page.locator("#customerInput");
    await input.fill("12ab");
    await input.press("Enter");
    await expect.poll(() => chat().innerText(), { timeout: 15_000 }).toContain("is not a valid player ID");
    await input.fill("5123456789");
    await input.press("Enter");
    await button(/Confirm/).click();
    await button(/^💳 Pay \$9\.99/).click();
    await page.waitForURL(/\/checkout\/cs_test_/);
    await page.getByRole("button", { name: "Pay $9.99" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await expect.poll(() => chat().innerText(), { timeout: 20_000 }).toContain("has been refunded");
    await expect.poll(() => ops().innerText(), { timeout: 20_000 }).toContain("Orders refunded");
    expect(sandbox.stripe.refunds).toHaveLength(1);
    await page.screenshot({ path: "test-results/sandbox-refund.png" });
  }, 60_000);

  it("shows each product's sources, and switches Reloadly's behaviour: a FAILED order there is refunded", async () => {
    const panel = page.locator("#supplier");
    await expect.poll(() => panel.innerText(), { timeout: 15_000 }).toContain("stock amazon-us-25 (2 left) → reloadly product 5 · 25 → generic amazon-us-25");
    await panel.locator('select[data-reloadly="giftcards/14"]').selectOption("failed");
    await expect.poll(() => JSON.stringify(sandbox.reloadly.behaviours().giftcards[14]), { timeout: 5_000 }).toContain('"outcome":"failed"');
    await chat().locator("..").locator("input").fill("/start buy_itunes-de-25-eur");
    await page.keyboard.press("Enter");
    // This order's own buttons (the chat still holds the earlier order's Pay button).
    await button(/^🛒 Buy for €27\.49/).click();
    await button(/^💳 Pay €27\.49/).click();
    await page.waitForURL(/\/checkout\/cs_test_/);
    await page.getByRole("button", { name: "Pay €27.49" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    // App Store has Reloadly as its only source: a FAILED order there is refunded (a second refund in this chat).
    await expect.poll(() => sandbox.stripe.refunds.length, { timeout: 20_000 }).toBe(2);
    await expect.poll(async () => (await chat().innerText()).split("has been refunded").length - 1, { timeout: 20_000 }).toBe(2);
    expect([...sandbox.reloadly.createdByIdentifier.keys()].map((id) => sandbox.reloadly.orderByIdentifier(id)!.status)).toEqual(["FAILED"]);
  }, 60_000);
});

if (!run) {
  describe("the sandbox in a browser", () => {
    it.skip(`needs Chromium at ${CHROMIUM}: apt-get install chromium`, () => undefined);
  });
}
