// The stand-in for Stripe Checkout: the order and amount, the customer's email (Checkout always asks for one; it
// reaches the shop as customer_details.email), Pay (a signed checkout.session.completed to the shop's real
// /webhooks/stripe) and Cancel (back to the bot, as Stripe's back link does). Like Stripe's page it speaks the
// session's locale, or the browser's when the session says "auto".
import { escapeHtml } from "../../lib/html.js";
import { nearestLocale, type Locale } from "../../lib/locales.js";
import { formatMoney } from "../../lib/money.js";
import type { FakeSession } from "../fake-stripe.js";

/** Stripe's words on its page (Stripe translates them, not the shop): one set per shipped locale. */
const WORDS: Record<Locale, { pay: string; total: string; email: string; card: string; expiry: string; back: string; paid: string; expired: string; expiresIn: (minutes: number) => string }> = {
  en: {
    pay: "Pay",
    total: "Total due",
    email: "Email",
    card: "Card number",
    expiry: "Expiry and CVC",
    back: "← Cancel and return to the bot",
    paid: "This order is paid.",
    expired: "This checkout session has expired.",
    expiresIn: (minutes) => `This page expires in ${minutes} minutes.`,
  },
  ru: {
    pay: "Оплатить",
    total: "К оплате",
    email: "Электронная почта",
    card: "Номер карты",
    expiry: "Срок действия и CVC",
    back: "← Отменить и вернуться в бот",
    paid: "Этот заказ оплачен.",
    expired: "Срок этой сессии оплаты истёк.",
    expiresIn: (minutes) => `Страница действительна ещё ${minutes} мин.`,
  },
  uk: {
    pay: "Сплатити",
    total: "До сплати",
    email: "Електронна пошта",
    card: "Номер картки",
    expiry: "Термін дії та CVC",
    back: "← Скасувати й повернутися до бота",
    paid: "Це замовлення сплачено.",
    expired: "Термін цієї сесії оплати минув.",
    expiresIn: (minutes) => `Сторінка дійсна ще ${minutes} хв.`,
  },
  es: {
    pay: "Pagar",
    total: "Total a pagar",
    email: "Correo electrónico",
    card: "Número de tarjeta",
    expiry: "Vencimiento y CVC",
    back: "← Cancelar y volver al bot",
    paid: "Este pedido está pagado.",
    expired: "Esta sesión de pago caducó.",
    expiresIn: (minutes) => `Esta página caduca en ${minutes} minutos.`,
  },
  "pt-BR": {
    pay: "Pagar",
    total: "Total a pagar",
    email: "E-mail",
    card: "Número do cartão",
    expiry: "Validade e CVC",
    back: "← Cancelar e voltar para o bot",
    paid: "Este pedido está pago.",
    expired: "Esta sessão de pagamento expirou.",
    expiresIn: (minutes) => `Esta página expira em ${minutes} minutos.`,
  },
  tr: {
    pay: "Öde",
    total: "Ödenecek tutar",
    email: "E-posta",
    card: "Kart numarası",
    expiry: "Son kullanma tarihi ve CVC",
    back: "← İptal et ve bota dön",
    paid: "Bu sipariş ödendi.",
    expired: "Bu ödeme oturumunun süresi doldu.",
    expiresIn: (minutes) => `Bu sayfanın süresi ${minutes} dakika içinde doluyor.`,
  },
};

/** The page's language: the session's locale, or with "auto" the browser's (its Accept-Language header). */
export function checkoutLocale(session: Pick<FakeSession, "locale">, acceptLanguage: string | undefined): Locale {
  const tag = session.locale && session.locale !== "auto" ? session.locale : (acceptLanguage ?? "").split(",")[0]!.split(";")[0];
  return nearestLocale(tag);
}

export function checkoutPage(session: FakeSession, nowMs: number, locale: Locale = "en", email = "customer@example.com"): string {
  const words = WORDS[locale];
  const currency = session.currency.toUpperCase();
  const lines = session.line_items
    .map((item) => `<tr><td>${escapeHtml(item.name)} × ${item.quantity}</td><td>${escapeHtml(formatMoney({ amount: item.unit_amount * item.quantity, currency }, locale))}</td></tr>`)
    .join("");
  const total = escapeHtml(formatMoney({ amount: session.amount_total, currency }, locale));
  const minutesLeft = Math.max(0, Math.floor((session.expires_at * 1000 - nowMs) / 60_000));
  const closed = session.status !== "open";
  const status = session.status === "complete" ? words.paid : session.status === "expired" ? words.expired : "";
  return /* html */ `<!doctype html>
<html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Checkout · sandbox</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<style>
  body { margin:0; font:15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background:#f6f9fc; color:#1a1f36; display:flex; justify-content:center; padding:48px 16px; }
  main { background:#fff; width:420px; max-width:100%; box-sizing:border-box; border-radius:12px; box-shadow:0 6px 24px #0002; padding:28px; overflow-wrap:anywhere; }
  .badge { display:inline-block; background:#ffde92; color:#5c3b00; font-size:12px; border-radius:4px; padding:2px 6px; }
  h1 { font-size:30px; margin:10px 0 4px; }
  table { width:100%; border-collapse:collapse; margin:16px 0; } td { padding:6px 0; border-bottom:1px solid #e3e8ee; } td:last-child { text-align:right; white-space:nowrap; padding-left:8px; }
  label { display:block; font-size:13px; color:#697386; margin-top:12px; } input { width:100%; box-sizing:border-box; padding:9px; border:1px solid #e3e8ee; border-radius:6px; font:inherit; }
  button { width:100%; margin-top:18px; padding:12px; border:0; border-radius:6px; background:#635bff; color:#fff; font:600 16px system-ui; cursor:pointer; }
  button:disabled { background:#aab; cursor:default; }
  .cancel { display:block; text-align:center; margin-top:12px; color:#697386; background:none; font-weight:400; font-size:14px; }
  .muted { color:#697386; font-size:13px; }
</style></head>
<body><main>
  <span class="badge">SANDBOX · no real money</span>
  <div class="muted">${escapeHtml(words.pay)} · ${escapeHtml(session.metadata["order_id"] ?? session.client_reference_id ?? "")}</div>
  <h1 data-testid="amount">${total}</h1>
  <table>${lines}<tr><td><b>${escapeHtml(words.total)}</b></td><td><b>${total}</b></td></tr></table>
  ${closed ? `<p data-testid="status"><b>${escapeHtml(status)}</b></p>` : `<p class="muted">${escapeHtml(words.expiresIn(minutesLeft))}</p>`}
  <form method="post" action="/checkout/${encodeURIComponent(session.id)}/pay">
    <label>${escapeHtml(words.email)}<input type="email" name="email" value="${escapeHtml(email).replace(/"/g, "&quot;")}" required autocomplete="email" data-testid="email"></label>
    <label>${escapeHtml(words.card)}<input value="4242 4242 4242 4242" readonly></label>
    <label>${escapeHtml(words.expiry)}<input value="12 / 34 · 123" readonly></label>
    <button type="submit" ${closed ? "disabled" : ""}>${escapeHtml(words.pay)} ${total}</button>
  </form>
  <form method="post" action="/checkout/${encodeURIComponent(session.id)}/cancel"><button class="cancel" type="submit">${escapeHtml(words.back)}</button></form>
</main></body></html>`;
}
