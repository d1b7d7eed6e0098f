// The stand-in for Stripe Checkout: the order and amount, Pay (a signed checkout.session.completed to the
// shop's real /webhooks/stripe) and Cancel (back to the bot, as Stripe's back link does).
import { escapeHtml } from "../../lib/html.js";
import { formatMoney } from "../../lib/money.js";
import type { FakeSession } from "../fake-stripe.js";

export function checkoutPage(session: FakeSession, nowMs: number): string {
  const currency = session.currency.toUpperCase();
  const lines = session.line_items
    .map((item) => `<tr><td>${escapeHtml(item.name)} × ${item.quantity}</td><td>${escapeHtml(formatMoney({ amount: item.unit_amount * item.quantity, currency }))}</td></tr>`)
    .join("");
  const total = escapeHtml(formatMoney({ amount: session.amount_total, currency }));
  const minutesLeft = Math.max(0, Math.floor((session.expires_at * 1000 - nowMs) / 60_000));
  const closed = session.status !== "open";
  const status = session.status === "complete" ? "This order is paid." : session.status === "expired" ? "This checkout session has expired." : "";
  return /* html */ `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Checkout · sandbox</title>
<style>
  body { margin:0; font:15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background:#f6f9fc; color:#1a1f36; display:flex; justify-content:center; padding:48px 16px; }
  main { background:#fff; width:420px; border-radius:12px; box-shadow:0 6px 24px #0002; padding:28px; }
  .badge { display:inline-block; background:#ffde92; color:#5c3b00; font-size:12px; border-radius:4px; padding:2px 6px; }
  h1 { font-size:30px; margin:10px 0 4px; }
  table { width:100%; border-collapse:collapse; margin:16px 0; } td { padding:6px 0; border-bottom:1px solid #e3e8ee; } td:last-child { text-align:right; }
  label { display:block; font-size:13px; color:#697386; margin-top:12px; } input { width:100%; box-sizing:border-box; padding:9px; border:1px solid #e3e8ee; border-radius:6px; font:inherit; }
  button { width:100%; margin-top:18px; padding:12px; border:0; border-radius:6px; background:#635bff; color:#fff; font:600 16px system-ui; cursor:pointer; }
  button:disabled { background:#aab; cursor:default; }
  .cancel { display:block; text-align:center; margin-top:12px; color:#697386; background:none; font-weight:400; font-size:14px; }
  .muted { color:#697386; font-size:13px; }
</style></head>
<body><main>
  <span class="badge">SANDBOX · no real money</span>
  <div class="muted">Pay ${escapeHtml(session.metadata["order_id"] ?? session.client_reference_id ?? "")}</div>
  <h1 data-testid="amount">${total}</h1>
  <table>${lines}<tr><td><b>Total due</b></td><td><b>${total}</b></td></tr></table>
  ${closed ? `<p data-testid="status"><b>${status}</b></p>` : `<p class="muted">This page expires in ${minutesLeft} minutes.</p>`}
  <form method="post" action="/checkout/${encodeURIComponent(session.id)}/pay">
    <label>Card number<input value="4242 4242 4242 4242" readonly></label>
    <label>Expiry and CVC<input value="12 / 34 · 123" readonly></label>
    <button type="submit" ${closed ? "disabled" : ""}>Pay ${total}</button>
  </form>
  <form method="post" action="/checkout/${encodeURIComponent(session.id)}/cancel"><button class="cancel" type="submit">← Cancel and return to the bot</button></form>
</main></body></html>`;
}
