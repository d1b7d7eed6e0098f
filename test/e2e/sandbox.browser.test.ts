// The offline sandbox in a real browser: Playwright (playwright-core) driving Debian's Chromium.
// Buy a gift card, pay on the checkout page, see the code in the chat; pay in Stars on the invoice; a top-up that
// fails and is refunded, with the alert visible in the ops chat; a product routed through several sources, with
// Reloadly's behaviour switched in the panel; a Russian customer from the catalog to the delivery; a message 3,000
// characters long; a phone-sized window; /start typed before any customer exists; the Mailbox, with a purchase's
// receipt and the code mailed to a customer who blocked the bot, each shown as the customer's mail client would.
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
  /** How wide the page's content is, against the window (run in the page; this project has no DOM types). */
  const widths = (on: Page) =>
    on.evaluate("({ page: document.documentElement.scrollWidth, body: document.body.scrollWidth, window: window.innerWidth })") as Promise<{ page: number; body: number; window: number }>;

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
    await expect.poll(() => chat().innerText(), { timeout: 15_000 }).toMatch(/Order ORD-\w{8}: (delivered|ready|paid)/);
    await page.screenshot({ path: "test-results/sandbox-gift-card.png" });
  }, 60_000);

  it("pays in Telegram Stars: ⭐ Pay sends an invoice, its Pay button pays it, the code arrives; the page has its icon", async () => {
    const missing: string[] = [];
    page.on("response", (response) => {
      if (response.status() === 404) missing.push(response.url());
    });
    await page.goto(sandbox.url + "/");
    await page.getByRole("button", { name: "+ New" }).click();
    await expect.poll(() => chat().innerText(), { timeout: 15_000 }).toContain("Welcome to");
    await button(/^Gift cards/).click();
    await button(/^Steam Wallet ·/).click();
    await button(/^Steam Wallet 20 USD/).click();
    await button(/^🛒 Buy for \$21\.99/).click();
    await button(/^1 × \$21\.99/).click();
    await button(/^⭐ Pay 1,695 Stars/).click();
    // Telegram's invoice message, with its own Pay button.
    await expect.poll(() => chat().locator(".msg.invoice").count(), { timeout: 15_000 }).toBe(1);
    await page.screenshot({ path: "test-results/sandbox-stars-invoice.png" });
    await chat().locator(".msg.invoice").getByRole("button", { name: /^Pay ⭐1695$/ }).click();
    await expect.poll(() => chat().innerText(), { timeout: 15_000 }).toContain("How to redeem");
    const text = await chat().innerText();
    const orderId = /ORD-[0-9A-Z]{8}/.exec(text)![0];
    expect(text).toContain(sandbox.supplier.orderByReference(orderId)!.items[0]!.code!);
    expect(sandbox.telegram.starTransactions.some((t) => (t["source"] as { invoice_payload?: string } | undefined)?.invoice_payload === orderId)).toBe(true);
    await page.screenshot({ path: "test-results/sandbox-stars.png" });
    expect(await page.locator('link[rel="icon"]').getAttribute("href")).toBe("/favicon.svg");
    expect(missing).toEqual([]);
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

  it("a Russian customer sees the catalog, the checkout page and the delivery in Russian, and the page keeps their language", async () => {
    await page.locator("#lang").selectOption("ru");
    await page.getByRole("button", { name: "+ New" }).click();
    await expect.poll(() => chat().innerText(), { timeout: 15_000 }).toContain("Добро пожаловать");
    await button(/^Подарочные карты \(11\)$/).click();
    await button(/^Steam Wallet ·/).click();
    await button(/^Steam Wallet 20 USD/).click();
    await expect.poll(() => chat().innerText(), { timeout: 15_000 }).toContain("Номинал: 20,00");
    await button(/^🛒 Купить за 21,99\s\$/).click();
    await button(/^1 × 21,99\s\$/).click();
    // The menu now prepares another customer's language; coming back from the payment page must not keep it.
    await page.locator("#lang").selectOption("es");
    await button(/^💳 Оплатить 21,99\s\$/).click();

    await page.waitForURL(/\/checkout\/cs_test_/);
    expect(await page.locator("html").getAttribute("lang")).toBe("ru");
    await expect.poll(() => page.locator("main").innerText()).toContain("К оплате");
    await page.screenshot({ path: "test-results/sandbox-checkout-ru.png" });
    await page.getByRole("button", { name: /^Оплатить 21,99\s\$/ }).click();

    await page.waitForURL((url) => url.pathname === "/");
    await expect.poll(() => chat().innerText(), { timeout: 15_000 }).toContain("Как активировать: Откройте store.steampowered.com");
    expect(await chat().innerText()).not.toContain("How to redeem");
    expect(await page.locator("#lang").inputValue()).toBe("ru");
    // Back from the payment page: the order's status in one line, not the delivery again.
    await expect.poll(() => chat().innerText(), { timeout: 15_000 }).toMatch(/Заказ ORD-\w{8}: (доставлен|готов|оплачен)/);
    await page.screenshot({ path: "test-results/sandbox-ru.png" });
  }, 60_000);

  it("the Mailbox shows the receipt mailed to the address typed on the checkout page, and the code mailed when the customer blocked the bot", async () => {
    await page.goto(sandbox.url + "/");
    await page.locator("#lang").selectOption("en");
    await page.getByRole("button", { name: "+ New" }).click();
    await expect.poll(() => chat().innerText(), { timeout: 15_000 }).toContain("Welcome to");
    const buySteam = async () => {
      await chat().locator("..").locator("input").fill("/start buy_steam-20-usd");
      await page.keyboard.press("Enter");
      await button(/^🛒 Buy for \$21\.99/).click();
      await button(/^1 × \$21\.99/).click();
      await expect.poll(() => chat().getByRole("button", { name: /^💳 Pay \$21\.99/ }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    };
    await buySteam();
    await button(/^💳 Pay \$21\.99/).click();
    await page.waitForURL(/\/checkout\/cs_test_/);
    // Like Stripe's page, it asks for an email, filled in as the customer would have it.
    expect(await page.getByTestId("email").inputValue()).toMatch(/^[a-z]+\.\d+@example\.com$/);
    await page.getByTestId("email").fill("mia@example.com");
    await page.getByRole("button", { name: "Pay $21.99" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await expect.poll(() => chat().innerText(), { timeout: 15_000 }).toContain("How to redeem");
    const first = /ORD-[0-9A-Z]{8}/.exec(await chat().innerText())![0];
    expect([...sandbox.stripe.sessions.values()].find((s) => s.client_reference_id === first)!.customer_details!.email).toBe("mia@example.com");

    const mailbox = page.getByTestId("mailbox");
    await mailbox.locator("summary").click();
    await expect.poll(() => mailbox.innerText(), { timeout: 15_000 }).toContain(`Receipt for order ${first}: Steam Wallet 20 USD`);
    expect(await mailbox.innerText()).toContain("to mia@example.com");
    await mailbox.getByText(`Receipt for order ${first}: Steam Wallet 20 USD`).click();
    const view = page.frameLocator('[data-testid="mail-view"]');
    const firstCode = sandbox.supplier.orderByReference(first)!.items[0]!.code!;
    await expect.poll(() => view.locator("body").innerText(), { timeout: 15_000 }).toContain(firstCode);
    // Rendered as HTML (the code in its own styled block), in a frame that runs no script.
    expect(await view.locator("code").first().innerText()).toBe(firstCode);
    expect(await page.getByTestId("mail-view").getAttribute("sandbox")).toBe("");
    await page.screenshot({ path: "test-results/sandbox-mailbox.png" });

    // The customer blocks the bot after opening a second order: its code goes by email instead of the chat.
    await buySteam();
    await page.locator("#blockToggle").click();
    await expect.poll(() => page.locator("#blockToggle").innerText()).toContain("Unblock");
    const before = await chat().innerText();
    await button(/^💳 Pay \$21\.99/).click();
    await page.waitForURL(/\/checkout\/cs_test_/);
    await page.getByRole("button", { name: "Pay $21.99" }).click();
    await page.waitForURL((url) => url.pathname === "/");
    await expect.poll(() => mailbox.innerText(), { timeout: 20_000 }).toMatch(/Your Steam Wallet 20 USD · order ORD-\w{8}/);
    const second = /Your Steam Wallet 20 USD · order (ORD-\w{8})/.exec(await mailbox.innerText())![1]!;
    await mailbox.getByText(`Your Steam Wallet 20 USD · order ${second}`).click();
    await expect.poll(() => view.locator("body").innerText(), { timeout: 15_000 }).toContain(sandbox.supplier.orderByReference(second)!.items[0]!.code!);
    expect(await view.locator("body").innerText()).toContain("We could not deliver order");
    expect(await chat().innerText()).not.toContain(sandbox.supplier.orderByReference(second)!.items[0]!.code!);
    expect(before.length).toBeGreaterThan(0);
    await page.screenshot({ path: "test-results/sandbox-mailbox-blocked.png" });
    await page.locator("#blockToggle").click();
    await expect.poll(() => page.locator("#blockToggle").innerText()).toContain("Block the bot");
  }, 90_000);

  it("holds a 3,000-character message without a space: it wraps, and every panel keeps its width", async () => {
    const input = page.locator("#customerInput");
    await input.fill("Ж".repeat(3_000));
    await input.press("Enter");
    await expect.poll(() => chat().innerText(), { timeout: 15_000 }).toContain("Ж".repeat(100));
    const width = await widths(page);
    expect(width.page).toBeLessThanOrEqual(width.window);
    expect(width.body).toBeLessThanOrEqual(width.window);
    for (const panel of [chat(), ops(), page.locator("#supplier")]) {
      const box = (await panel.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(1400);
    }
    // The bot's answer may redraw the chat between finding the bubble and measuring it (null box): measure again.
    const bubbleHeight = async () => (await chat().locator(".msg.mine").last().boundingBox())?.height ?? 0;
    await expect.poll(bubbleHeight, { timeout: 10_000 }).toBeGreaterThan(100); // wrapped over many lines, not one line 30,000 px wide
  }, 30_000);

  it("on a phone-sized window (390 × 844) shows one panel at a time, with tabs, and nothing overflows", async () => {
    // The customer with the long message, on a phone.
    const customer = await page.evaluate("localStorage.getItem('customer')");
    // An ops chat longer than a phone's screen: the admin's /help, twice.
    for (let i = 0; i < 2; i++) {
      await page.locator("#opsInput").fill("/help");
      await page.locator("#opsInput").press("Enter");
    }
    await expect.poll(() => page.getByTestId("ops-chat").evaluate((el) => el.querySelectorAll(".msg").length), { timeout: 10_000 }).toBeGreaterThan(4);
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await phone.goto(`${sandbox.url}/?user=${String(customer)}`);
      await expect.poll(() => phone.getByTestId("customer-chat").innerText()).toContain("Ж".repeat(100));
      const panels = { customers: phone.locator("aside"), chat: phone.getByTestId("customer-chat"), ops: phone.getByTestId("ops-chat"), supplier: phone.locator("#supplier") };
      for (const tab of ["chat", "customers", "ops", "supplier"] as const) {
        if (tab !== "chat") await phone.locator(`#tabs [data-tab="${tab}"]`).click();
        for (const [name, panel] of Object.entries(panels)) expect(await panel.isVisible(), `${name} visible on the ${tab} tab`).toBe(name === tab);
        const box = (await panels[tab].boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(390);
        expect((await widths(phone)).page).toBeLessThanOrEqual(390);
        if (tab === "chat") await phone.screenshot({ path: "test-results/sandbox-phone.png" });
        if (tab === "ops") {
          // The ops chat (drawn while hidden) opens at its newest message, not its oldest.
          const atBottom = () => panels.ops.evaluate((el) => el.scrollHeight <= el.clientHeight || el.scrollTop + el.clientHeight >= el.scrollHeight - 30);
          expect(await panels.ops.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
          await expect.poll(atBottom, { timeout: 5_000 }).toBe(true);
        }
      }
      // Choosing a customer on the Customers tab opens their chat.
      await phone.locator("#tabs [data-tab=customers]").click();
      await phone.locator(".customer").first().click();
      expect(await panels.chat.isVisible()).toBe(true);
      expect(await panels.customers.isVisible()).toBe(false);
    } finally {
      await phone.close();
    }
  }, 30_000);

  it("with no customer selected, /start opens a new customer; anything else says to press + New", async () => {
    const fresh = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const other = await fresh.newPage();
    try {
      await other.goto(sandbox.url + "/");
      const input = other.locator("#customerInput");
      await input.fill("hello");
      await input.press("Enter");
      await expect.poll(() => other.locator("#toast").innerText()).toContain("+ New");
      const before = (await other.locator(".customer").count());
      await input.fill("/start");
      await input.press("Enter");
      await expect.poll(() => other.getByTestId("customer-chat").innerText(), { timeout: 15_000 }).toContain("Welcome to");
      expect(await other.locator(".customer").count()).toBe(before + 1);
      await expect.poll(() => other.locator(".customer.active").innerText()).toMatch(/id \d+ · en/);
    } finally {
      await fresh.close();
    }
  }, 30_000);
  it("shows each product's sources, and switches Reloadly's behaviour: a FAILED order there is refunded", async () => {
    // A fresh English-speaking customer (the tests before leave a Russian one, or one with a long message, selected).
    await page.locator("#lang").selectOption("en");
    await page.getByRole("button", { name: "+ New" }).click();
    await expect.poll(() => chat().innerText(), { timeout: 15_000 }).toContain("Welcome to");
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
    // App Store has Reloadly as its only source: a FAILED order there is refunded (the second refund of the run).
    await expect.poll(() => sandbox.stripe.refunds.length, { timeout: 20_000 }).toBe(2);
    await expect.poll(async () => (await chat().innerText()).split("has been refunded").length - 1, { timeout: 20_000 }).toBe(1);
    expect([...sandbox.reloadly.createdByIdentifier.keys()].map((id) => sandbox.reloadly.orderByIdentifier(id)!.status)).toEqual(["FAILED"]);
  }, 60_000);
});

if (!run) {
  describe("the sandbox in a browser", () => {
    it.skip(`needs Chromium at ${CHROMIUM}: apt-get install chromium`, () => undefined);
  });
}
