// /promo add|list|off: promo codes (promo/codes.ts). Adding one asks "Are you sure?" with its terms (it changes what
// customers pay); turning one off is at once (orders that hold it keep their price).
import type { Composer } from "grammy";
import { escapeHtml } from "../../../lib/html.js";
import { addPromo, describeDiscount, disablePromo, getPromo, listPromos, normalizeCode, parsePromoSpec, type PromoRow, type PromoSpec } from "../../../promo/codes.js";
import { fitLines } from "../../admin-views.js";
import type { ShopContext } from "../../context.js";
import type { ConsoleConfirmations } from "./confirm-router.js";
import type { ConsoleDeps } from "./deps.js";

const USAGE =
  "Use: /promo add <CODE> <10% | 5.00 [USD]> [max uses] [YYYY-MM-DD] [sku or category], /promo list, /promo off <CODE>";

function terms(promo: Pick<PromoRow, "percentOff" | "amountOff" | "currency" | "maxUses" | "expiresAt" | "scope">): string {
  return [
    `${describeDiscount(promo)} off`,
    promo.maxUses !== null ? `${promo.maxUses} use(s)` : "no limit of uses",
    promo.expiresAt !== null ? `until ${new Date(promo.expiresAt).toISOString().slice(0, 10)} (UTC, end of day)` : "no expiry",
    promo.scope !== null ? `only ${promo.scope}` : "every product",
  ].join(" · ");
}

export function promoCommands(admin: Composer<ShopContext>, deps: ConsoleDeps, confirmations: ConsoleConfirmations): void {
  const db = deps.pipeline.db;

  admin.command("promo", async (ctx) => {
    const [verb = "", ...rest] = ctx.match.trim().split(/\s+/);
    switch (verb.toLowerCase()) {
      case "add": {
        const parsed = parsePromoSpec(db, rest.join(" "));
        if (!parsed.ok) return ctx.reply(`⚠️ ${parsed.message}\n${USAGE}`);
        const { spec } = parsed;
        if (getPromo(db, spec.code)) return ctx.reply(`⚠️ ${spec.code} exists already; codes keep their terms (turn it off and add another).`);
        if (spec.expiresAt !== null && spec.expiresAt < deps.pipeline.now()) return ctx.reply("⚠️ That day has passed: give a day to come (YYYY-MM-DD, UTC).");
        return confirmations.ask(ctx, {
          action: "promo_add",
          data: spec,
          confirmLabel: `🎟 Add ${spec.code}`,
          text: [`🎟 <b>Add the promo code ${escapeHtml(spec.code)}?</b>`, escapeHtml(terms(spec)), "Customers can type it at checkout (\"Have a promo code?\") from now on."].join("\n"),
        });
      }
      case "list": {
        const promos = listPromos(db);
        if (promos.length === 0) return ctx.reply("No promo codes yet. /promo add CODE 10% adds one.");
        const lines = promos.map((p) => `${p.active ? "🟢" : "⚪️"} <code>${escapeHtml(p.code)}</code> · ${escapeHtml(terms(p))} · used ${p.uses}${p.maxUses !== null ? `/${p.maxUses}` : ""}`);
        return ctx.reply(fitLines(`<b>Promo codes (${promos.length})</b>`, lines, "Uses count paid orders only. /promo off CODE turns one off.").text, { parse_mode: "HTML" });
      }
      case "off": {
        const code = normalizeCode(rest[0] ?? "");
        if (!code) return ctx.reply(USAGE);
        if (!disablePromo(db, code)) return ctx.reply(`${code} is not an active promo code.`);
        deps.pipeline.logger.info({ code, by: ctx.from!.id }, "promo code turned off");
        return ctx.reply(`⚪️ ${code} is off: refused at checkout from now on (orders already holding it keep their price).`);
      }
      default:
        return ctx.reply(USAGE);
    }
  });

  confirmations.on<PromoSpec>("promo_add", (ctx, spec) => {
    const added = addPromo(db, spec, `admin:${ctx.from.id}`, deps.pipeline.now());
    if (!added.ok) return added;
    deps.pipeline.logger.info({ code: spec.code, by: ctx.from.id }, "promo code added");
    return { ok: true, message: `${spec.code} is active: ${terms(added.promo)}.` };
  });
}
