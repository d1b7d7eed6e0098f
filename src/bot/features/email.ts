// /email: the customer's own address for codes Telegram cannot deliver (for Stars buyers above all: Stripe's
// Checkout collects one, Telegram's payment form does not). The bot asks for the address, mails a 6-digit code to
// it and takes the address only when the customer types the code back (customers/email.ts). No conversation: what
// the bot waits for lives in the customer's row, so a restart keeps it and no replay can mail a second code.
// Installed after the checkout: a checkout in progress takes the customer's text first.
import { Composer, InlineKeyboard } from "grammy";
import { awaitAddress, awaitedFrom, checkConfirmationCode, confirmationEmail, confirmedEmail, CONFIRMATION_TTL_MS, removeEmail, requestConfirmation, stopAwaiting } from "../../customers/email.js";
import { maskEmailAddress, parseEmailAddress } from "../../email/address.js";
import { escapeHtml } from "../../lib/html.js";
import type { ShopContext } from "../context.js";
import type { BotDeps } from "../deps.js";

const CHANGE = "em:change";
const REMOVE = "em:remove";

export function emailFeature(deps: BotDeps): Composer<ShopContext> {
  const feature = new Composer<ShopContext>();
  const store = { db: deps.db, sealer: deps.sealer, now: deps.now };
  const on = deps.email.mode !== "off";

  async function askAddress(ctx: ShopContext): Promise<void> {
    awaitAddress(store, ctx.from!.id);
    await ctx.reply(ctx.t("email-ask"));
  }

  /** An address typed: checked, then a code mailed to it (or why not). */
  async function takeAddress(ctx: ShopContext, typed: string): Promise<void> {
    const address = parseEmailAddress(typed);
    if (!address) {
      awaitAddress(store, ctx.from!.id);
      await ctx.reply(ctx.t("email-invalid", { value: escapeHtml(typed.slice(0, 64)) }), { parse_mode: "HTML" });
      return;
    }
    const locale = ctx.customer?.language ?? "en";
    const requested = requestConfirmation(store, ctx.from!.id, address, (code) =>
      confirmationEmail({ t: deps.t, shopName: deps.shopName, supportContact: deps.supportContact }, locale, code),
    );
    if (!requested.ok) {
      const key = requested.reason === "too_soon" ? "email-code-too-soon" : "email-code-too-many";
      await ctx.reply(ctx.t(key, { support: escapeHtml(deps.supportContact) }), { parse_mode: "HTML" });
      return;
    }
    deps.email.wake();
    ctx.logger.info({ customer_id: ctx.from!.id }, "an email confirmation code was queued");
    await ctx.reply(ctx.t("email-code-sent", { email: escapeHtml(address), minutes: CONFIRMATION_TTL_MS / 60_000 }), { parse_mode: "HTML" });
  }

  async function takeCode(ctx: ShopContext, typed: string): Promise<void> {
    const checked = checkConfirmationCode(store, ctx.from!.id, typed);
    if (checked.ok) {
      ctx.logger.info({ customer_id: ctx.from!.id }, "the customer confirmed an email address");
      await ctx.reply(ctx.t("email-confirmed", { email: escapeHtml(checked.address) }), { parse_mode: "HTML" });
      return;
    }
    if (checked.reason === "wrong") await ctx.reply(ctx.t("email-code-wrong", { left: checked.left }));
    else if (checked.reason === "none") await askAddress(ctx);
    else await ctx.reply(ctx.t(checked.reason === "expired" ? "email-code-expired" : "email-code-too-many-tries"));
  }

  feature.command("email", async (ctx) => {
    if (!on) return void (await ctx.reply(ctx.t("email-unavailable")));
    const typed = ctx.match.trim();
    if (typed) return takeAddress(ctx, typed);
    const current = confirmedEmail(store, ctx.from!.id);
    if (!current) return askAddress(ctx);
    stopAwaiting(store, ctx.from!.id);
    await ctx.reply(ctx.t("email-current", { email: escapeHtml(maskEmailAddress(current.address)) }), {
      parse_mode: "HTML",
      reply_markup: new InlineKeyboard().text(ctx.t("button-email-change"), CHANGE).text(ctx.t("button-email-remove"), REMOVE),
    });
  });

  feature.callbackQuery(CHANGE, async (ctx) => {
    await ctx.answerCallbackQuery();
    if (on) await askAddress(ctx);
  });
  feature.callbackQuery(REMOVE, async (ctx) => {
    removeEmail(store, ctx.from.id);
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.t("email-removed")).catch(() => ctx.reply(ctx.t("email-removed")));
  });

  // While the bot waits for an address or a code: a command ends the wait (and is answered as usual); text is taken.
  feature.on("message:text", async (ctx, next) => {
    const waiting = on ? awaitedFrom(store, ctx.from.id) : undefined;
    if (!waiting) return next();
    const text = ctx.msg.text.trim();
    if (text.startsWith("/")) {
      stopAwaiting(store, ctx.from.id);
      return next();
    }
    if (waiting === "address") return takeAddress(ctx, text);
    if (/^\d(?:\s?\d){5}$/.test(text)) return takeCode(ctx, text);
    if (parseEmailAddress(text)) return takeAddress(ctx, text);
    await ctx.reply(ctx.t("email-code-expected"));
  });
  return feature;
}
