// Putting a screen in front of the customer: the tapped message edited in place, or a new one; and the one
// answer every button tap gets.
import type { ShopContext } from "./context.js";
import type { View } from "./views.js";

/** Answers the callback query of this update, if it has one (every tap gets an answer, once). */
export async function answer(ctx: { callbackQuery?: unknown; answerCallbackQuery: ShopContext["answerCallbackQuery"] }, options: { text?: string; show_alert?: boolean } = {}): Promise<void> {
  if (!ctx.callbackQuery) return;
  await ctx.answerCallbackQuery(options).catch(() => undefined);
}

/** Shows a view: edits the message a button was tapped on, or sends a new one. */
export async function show(ctx: ShopContext, view: View): Promise<void> {
  const options = { parse_mode: "HTML" as const, reply_markup: view.keyboard, link_preview_options: { is_disabled: true } };
  if (ctx.callbackQuery?.message) {
    try {
      await ctx.editMessageText(view.text, options);
      return;
    } catch (error) {
      // "message is not modified" (a second tap on the same button) is not worth a new message.
      if (String((error as Error).message).includes("message is not modified")) return;
    }
  }
  await ctx.reply(view.text, options);
}
