// /retry all and the "🔁 Retry all" button (under the review, low-balance-recovered and insufficient-balance alerts,
// and on /review): every order in review whose cause a retry may fix (orders/review-queue.ts), after "Are you sure?"
// naming the orders and their amounts. Each goes through the checks of a single retry; a refused one is named.
import type { Composer } from "grammy";
import { retryOrders } from "../../../fulfilment/bulk-retry.js";
import { escapeHtml } from "../../../lib/html.js";
import { formatMoney } from "../../../lib/money.js";
import { listRetryableInReview } from "../../../orders/review-queue.js";
import { ALERT_ACTIONS } from "../../../ops/alerts.js";
import { fitLines } from "../../admin-views.js";
import type { ShopContext } from "../../context.js";
import type { ConsoleConfirmations } from "./confirm-router.js";
import type { ConsoleDeps } from "./deps.js";

export function retryAllCommands(admin: Composer<ShopContext>, deps: ConsoleDeps, confirmations: ConsoleConfirmations): void {
  const db = deps.pipeline.db;

  async function ask(ctx: ShopContext): Promise<unknown> {
    const orders = listRetryableInReview(db);
    if (orders.length === 0) return ctx.reply("No order in review can be fixed by a retry (fraud holds need Release; payment mismatches and untrusted codes need a look). /review shows them.");
    const totals = new Map<string, number>();
    for (const order of orders) totals.set(order.currency, (totals.get(order.currency) ?? 0) + order.amount);
    const total = [...totals].map(([currency, amount]) => formatMoney({ amount, currency })).join(" + ");
    const lines = orders.map((o) => `<code>${o.id}</code> · ${escapeHtml(formatMoney({ amount: o.amount, currency: o.currency }))} · ${escapeHtml(o.product.name)} · ${escapeHtml(o.reviewCause ?? "")}`);
    const { text } = fitLines(`🔁 <b>Retry ${orders.length} order(s) in review?</b> Total ${escapeHtml(total)}`, lines, "Each is looked up at the supplier by its reference first: nothing is ordered twice.");
    return confirmations.ask(ctx, { action: "retry_all", data: orders.map((o) => o.id), text, confirmLabel: `🔁 Retry ${orders.length}` });
  }

  confirmations.on<string[]>("retry_all", async (ctx, ids) => {
    const result = await retryOrders(deps, ids, { cause: "admin_retry_all", actor: `admin:${ctx.from.id}` });
    const refused = result.refused.map((r) => r.message).join(" ");
    return {
      ok: result.retried.length > 0 || result.refused.length === 0,
      message: `${result.retried.length} of ${ids.length} retried.${refused ? ` Not retried: ${refused}` : ""}`,
    };
  });

  // "/retry all"; "/retry <id>" goes on to admin.ts.
  admin.command("retry", (ctx, next) => (ctx.match.trim().toLowerCase() === "all" ? ask(ctx) : next()));
  admin.callbackQuery(ALERT_ACTIONS.retryAll, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ask(ctx);
  });
}
