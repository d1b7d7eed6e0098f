// Every customer in their own language, the catalog included: categories, product names, units, hints,
// instructions and the delivery; the language picker, the Stripe page's language, and orders that keep the
// texts they were sold with (old orders with English-only snapshots included).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCustomer } from "../../src/customers/repository.js";
import { formatDateTime } from "../../src/lib/datetime.js";
import { getOrder } from "../../src/orders/repository.js";
import { stripHtml, type ChatMessage } from "../../src/sandbox/fake-telegram.js";
import { openOrder, payButton, startHarness, waitForStatus, withButton, type Harness } from "../helpers/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const labels = (message: ChatMessage) => message.buttons.flat().map((button) => button.text.replace(/\s/g, " "));
const plain = (message: ChatMessage) => stripHtml(message.text).replace(/\s/g, " ");

describe("a Russian customer", () => {
  it("reads the catalog in Russian: categories, names, units in their plural form, the hint, and the top-up's delivery", async () => {
    const c = h.customer(7001, "ru");
    c.say("/start");
    const home = await c.expect("Добро пожаловать");
    expect(labels(home)).toEqual(["Подарочные карты (11)", "Стриминг (1)", "Игровая валюта (1)", "Пополнение игр (9)", "Мобильная связь (4)", "📦 Мои заказы"]);
    c.tap("Пополнение игр");
    await c.expect("Пополнение игр: выберите товар");
    c.tap("Mobile Legends ·");
    const brand = await c.expect("Mobile Legends: выберите номинал");
    expect(labels(brand)).toContain("Mobile Legends: 172 алмаза · 3,89 $");
    c.tap("Mobile Legends: 86 алмазов");
    const card = await c.expect("Номинал: 86 алмазов");
    expect(plain(card)).toContain("Цена: 1,99 $");
    c.tap("Купить");
    const ask = await c.expect("Отправьте ID игрока");
    expect(stripHtml(ask.text)).toContain("Ваш ID и зона из профиля в игре, например 12345678(2345).");
    c.say("12345678 (2345)");
    const confirm = await c.expect("Проверьте заказ");
    expect(stripHtml(confirm.text)).toContain("ID игрока: 12345678(2345)");
    c.tap("Подтвердить");
    const checkout = await c.expect(/Заказ ORD-\w{8}/);
    const session = h.stripe.sessions.get(payButton(checkout).sessionId)!;
    expect(session.locale).toBe("ru");
    expect(session.line_items[0]!.name).toBe("Mobile Legends: 86 алмазов");
    await h.stripe.completeCheckout(session.id);
    const delivered = await c.expect("отправлено на 12345678(2345)");
    expect(stripHtml(delivered.text)).toContain("Mobile Legends: 86 алмазов");
  });

  it("gets a code with its value and instructions in Russian, and sees the order in /orders with a Russian date", async () => {
    const c = h.customer(7002, "ru");
    const { orderId, sessionId } = await openOrder(h, c, ["Подарочные карты", "Steam Wallet ·", "Steam Wallet 20 USD"]);
    await h.stripe.completeCheckout(sessionId);
    const delivery = await c.expect("Как активировать");
    expect(plain(delivery)).toContain("Steam Wallet 20 USD (20,00 $)");
    expect(stripHtml(delivery.text)).toContain("Как активировать: Откройте store.steampowered.com/account/redeemwalletcode, войдите в аккаунт и введите код.");
    expect(delivery.text).not.toContain("Open store");
    await waitForStatus(h, orderId, "delivered");
    c.say("/orders");
    const list = await c.expect("Ваши заказы");
    expect(labels(list)[0]).toBe(`${orderId} · Steam Wallet 20 USD · 21,99 $ · доставлен`);
    c.tap(orderId);
    const view = await c.expect("Статус: доставлен");
    expect(stripHtml(view.text)).toContain(`Создан: ${formatDateTime(getOrder(h.shop.db, orderId)!.createdAt, "ru")}`);
  });
});

describe("every shipped language", () => {
  it.each([
    ["uk", "Ласкаво просимо", "Подарункові картки (11)", "uk"],
    ["es-419", "Te damos la bienvenida", "Tarjetas de regalo (11)", "es"],
    ["pt-br", "Boas-vindas", "Gift cards (11)", "pt-BR"],
    ["tr", "hoş geldiniz", "Hediye kartları (11)", "tr"],
    ["de", "Welcome to", "Gift cards (11)", "en"],
  ])("Telegram's %s: the welcome and the catalog in the nearest language", async (code, welcome, category, locale) => {
    const id = 7100 + ["uk", "es-419", "pt-br", "tr", "de"].indexOf(code);
    const c = h.customer(id, code);
    c.say("/start");
    const home = await c.expect(welcome);
    expect(labels(home)[0]).toBe(category);
    expect(getCustomer(h.shop.db, id)!.language).toBe(locale);
  });

  it("the picker offers every language; the choice holds, and Stripe's page follows it where Stripe speaks it", async () => {
    const c = h.customer(7201, "en");
    c.say("/language");
    const picker = await c.expect("Choose your language");
    expect(labels(picker)).toEqual(["🇬🇧 English", "🇷🇺 Русский", "🇺🇦 Українська", "🇪🇸 Español", "🇧🇷 Português (Brasil)", "🇹🇷 Türkçe"]);
    c.tap("Português");
    await c.expect("agora vou falar com você em português");
    expect(getCustomer(h.shop.db, c.id)!.language).toBe("pt-BR");
    const pt = await openOrder(h, c, ["/start buy_xbox-15-usd"]);
    expect(h.stripe.sessions.get(pt.sessionId)!.locale).toBe("pt-BR");
    expect(h.stripe.sessions.get(pt.sessionId)!.line_items[0]!.name).toBe("Cartão-presente Xbox 15 USD");

    // Stripe Checkout has no Ukrainian: the page takes the browser's language.
    const u = h.customer(7202, "uk");
    const uk = await openOrder(h, u, ["/start buy_xbox-15-usd"]);
    expect(h.stripe.sessions.get(uk.sessionId)!.locale).toBe("auto");
    expect(plain(u.lastBotMessage()!)).toContain("Подарункова картка Xbox 15 USD × 1");
  });
});

describe("orders keep the texts they were sold with", () => {
  it("a catalog change after the order does not change what the delivery says", async () => {
    const c = h.customer(7301, "ru");
    const { orderId, sessionId } = await openOrder(h, c, ["/start buy_xbox-15-usd"]);
    const rename = (name: string) => h.shop.db.$client.prepare("UPDATE products SET labels = json_set(labels, '$.name.ru', ?) WHERE sku = 'xbox-15-usd'").run(name);
    rename("Другое имя");
    try {
      await h.stripe.completeCheckout(sessionId);
      const delivery = await c.expect("Как активировать");
      expect(stripHtml(delivery.text)).toContain(`Заказ ${orderId}`);
      expect(stripHtml(delivery.text)).toContain("Подарочная карта Xbox 15 USD");
      expect(stripHtml(delivery.text)).toContain("Как активировать: Откройте redeem.microsoft.com");
    } finally {
      rename("Подарочная карта Xbox 15 USD");
    }
  });

  it("an order from before the catalog spoke Russian (English-only snapshot) is delivered and listed, in English texts", async () => {
    const c = h.customer(7302, "ru");
    const { orderId, sessionId } = await openOrder(h, c, ["/start buy_xbox-15-usd"]);
    h.shop.db.$client.prepare("UPDATE orders SET product = json_remove(product, '$.texts') WHERE id = ?").run(orderId);
    expect(getOrder(h.shop.db, orderId)!.product.texts).toBeUndefined();
    await h.stripe.completeCheckout(sessionId);
    const delivery = await c.expect("Как активировать");
    expect(stripHtml(delivery.text)).toContain("Xbox Gift Card 15 USD");
    expect(stripHtml(delivery.text)).toContain("Как активировать: Go to redeem.microsoft.com");
    await waitForStatus(h, orderId, "delivered");
    c.say("/orders");
    const list = await c.expect("Ваши заказы");
    expect(labels(list)[0]).toContain(`${orderId} · Xbox Gift Card 15 USD`);
  });
});

describe("deep links", () => {
  it("/start buy_<unknown sku> says the product is not available, with the catalog under it", async () => {
    const c = h.customer(7401);
    c.say("/start buy_no-such-card");
    const message = await withButton(h, c.id, "Gift cards (11)");
    expect(stripHtml(message.text)).toBe("This product is not available any more. Here is what the shop has now.");
    expect(c.messages().filter((m) => m.from === "bot")).toHaveLength(1);
    const r = h.customer(7402, "ru");
    r.say("/start buy_no-such-card");
    await r.expect("Этого товара больше нет в продаже");
  });
});

describe("an operator's catalog in English only", () => {
  it("still serves every language (the bot's words translated, the catalog's in English) and says so at start", async () => {
    const dir = mkdtempSync(join(tmpdir(), "catalog-en-"));
    const path = join(dir, "catalog.json");
    writeFileSync(
      path,
      JSON.stringify({
        products: [
          {
            sku: "netflix-25-usd", name: "Netflix 25 USD", category: "Streaming", kind: "code",
            face_value: { amount: 2500, currency: "USD" }, price: { amount: 2799, currency: "USD" }, instructions: "Open netflix.com/redeem.",
          },
        ],
      }),
    );
    const english = await startHarness({ env: { CATALOG_PATH: path } });
    try {
      expect(english.logs.join("")).toContain("catalog texts without a translation");
      const c = english.customer(7501, "tr");
      c.say("/start");
      const home = await c.expect("hoş geldiniz");
      expect(labels(home)[0]).toBe("Streaming (1)");
      c.tap("Streaming");
      await c.expect("Streaming: bir ürün seçin");
    } finally {
      await english.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
