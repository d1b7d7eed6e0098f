// Showing a screen and answering a tap: the two moves every feature makes.
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
    // "Message is not modified" (a second tap on the same button) counts as success (notModifiedIsSuccess);
    // a message that can no longer be edited gets the view as a new one.
    const edited = await ctx.editMessageText(view.text, options).then(() => true, () => false);
    if (edited) return;
  }
  await ctx.reply(view.text, options);
}

