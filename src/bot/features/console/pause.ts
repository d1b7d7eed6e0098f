// /pause and /resume: sales of the whole shop or of one product (catalog/pause.ts). The failure-rate alert's
// "⏸ Pause sales" button asks first, then pauses the whole shop.
import type { Composer } from "grammy";
import { getProduct } from "../../../catalog/catalog.js";
import { listPauses, pauseSales, resumeSales, WHOLE_SHOP } from "../../../catalog/pause.js";
import { escapeHtml } from "../../../lib/html.js";
import { ALERT_ACTIONS } from "../../../ops/alerts.js";
import type { ShopContext } from "../../context.js";
import type { ConsoleConfirmations } from "./confirm-router.js";
import type { ConsoleDeps } from "./deps.js";

function describe(scope: string): string {
  return scope === WHOLE_SHOP ? "the whole shop" : `<code>${escapeHtml(scope)}</code>`;
}

const looksLikeSku = (word: string): boolean => /^[a-z0-9][a-z0-9._-]{1,47}$/i.test(word) && /[\d._-]/.test(word);

export function pauseCommands(admin: Composer<ShopContext>, deps: ConsoleDeps, confirmations: ConsoleConfirmations): void {
  const db = deps.pipeline.db;
  /** A product by its SKU as typed, or in lower case (SKUs are written in lower case; a phone capitalises). */
  const findProduct = (sku: string) => getProduct(db, sku) ?? getProduct(db, sku.toLowerCase());

  function pause(scope: string, reason: string | null, adminId: number): string {
    pauseSales(db, { scope, reason, actor: `admin:${adminId}` }, deps.pipeline.now());
    deps.pipeline.logger.warn({ scope, reason, by: adminId }, "sales paused");
    return `⏸ Sales paused for ${describe(scope)}${reason ? ` (${escapeHtml(reason)})` : ""}. Customers see "back soon" instead of Buy; paid orders still complete. /resume${scope === WHOLE_SHOP ? "" : ` ${escapeHtml(scope)}`} sells again.`;
  }

  // "/pause [reason]" pauses the shop; "/pause <sku> [reason]" one product. A first word shaped like a SKU
  // (a digit, dash, dot or underscore in it) that names no product is refused: a mistyped SKU must not stop
  // every sale.
  admin.command("pause", (ctx) => {
    const [first = "", ...rest] = ctx.match.trim().split(/\s+/);
    const product = first ? findProduct(first) : undefined;
    if (first && !product && looksLikeSku(first)) {
      return ctx.reply(
        `No product <code>${escapeHtml(first.slice(0, 48))}</code>: nothing was paused. /products lists the SKUs; /pause alone, or with a reason in words, pauses the whole shop.`,
        { parse_mode: "HTML" },
      );
    }
    const scope = product ? product.sku : WHOLE_SHOP;
    const reason = (product ? rest.join(" ") : ctx.match.trim()).slice(0, 200) || null;
    return ctx.reply(pause(scope, reason, ctx.from!.id), { parse_mode: "HTML" });
  });

  admin.command("resume", (ctx) => {
    const wanted = ctx.match.trim();
    const scope = wanted ? (findProduct(wanted)?.sku ?? wanted) : WHOLE_SHOP;
    if (!resumeSales(db, scope)) {
      const pauses = listPauses(db);
      const now = pauses.length ? `Paused now: ${pauses.map((p) => describe(p.scope)).join(", ")}.` : "Nothing is paused.";
      return ctx.reply(`${describe(scope)} was not paused. ${now}`, { parse_mode: "HTML" });
    }
    deps.pipeline.logger.warn({ scope, by: ctx.from!.id }, "sales resumed");
    const still = listPauses(db);
    return ctx.reply(`▶️ Sales resumed for ${describe(scope)}.${still.length ? ` Still paused: ${still.map((p) => describe(p.scope)).join(", ")}.` : ""}`, { parse_mode: "HTML" });
  });

  // The failure-rate alert's button: a question first (it stops every sale).
  admin.callbackQuery(ALERT_ACTIONS.pause, async (ctx) => {
    await ctx.answerCallbackQuery();
    await confirmations.ask(ctx, {
      action: "pause_shop",
      data: null,
      confirmLabel: "⏸ Pause sales",
      text: "⏸ <b>Pause sales for the whole shop?</b>\nCustomers see \"back soon\" instead of Buy until /resume; orders already paid still complete.",
    });
  });
  confirmations.on("pause_shop", (ctx) => ({ ok: true, message: pause(WHOLE_SHOP, "from the failure-rate alert", ctx.from.id).replace(/<[^>]+>/g, "") }));
}
