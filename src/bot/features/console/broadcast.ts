// /broadcast [language], sent as a reply to the message to broadcast: a preview (the message copied here, exactly as
// customers will get it), "Are you sure?" with the number of customers, then the broadcast (ops/broadcast.ts) with
// its progress in one message that has a Cancel button.
import type { Composer } from "grammy";
import { escapeHtml } from "../../../lib/html.js";
import { isShippedLocale, SHIPPED_LOCALES } from "../../../lib/locales.js";
import { CANCEL_DATA } from "../../../ops/broadcast.js";
import type { ShopContext } from "../../context.js";
import type { ConsoleConfirmations } from "./confirm-router.js";
import type { ConsoleDeps } from "./deps.js";

interface BroadcastRequest {
  chatId: number;
  messageId: number;
  language: string | null;
}

export function broadcastCommands(admin: Composer<ShopContext>, deps: ConsoleDeps, confirmations: ConsoleConfirmations): void {
  const { broadcaster } = deps;

  admin.command("broadcast", async (ctx) => {
    const source = ctx.msg.reply_to_message;
    const wanted = ctx.match.trim();
    const language = wanted === "" || wanted === "all" ? null : wanted;
    if (language !== null && !isShippedLocale(language)) return ctx.reply(`"${escapeHtml(language)}" is not a language of the shop (${SHIPPED_LOCALES.join(", ")}).`, { parse_mode: "HTML" });
    if (!source) return ctx.reply("Send the message to broadcast first, then reply to it with /broadcast (or /broadcast ru for one language). Keep it until the broadcast is done: customers get a copy of it.");
    const count = broadcaster.recipients(language);
    if (count === 0) return ctx.reply(`No customer${language ? ` with language ${language}` : ""} to send to (blocked ones are left out).`);
    // The preview: the copy customers will get.
    await ctx.reply("👁 Preview: customers get exactly this message:");
    await ctx.api.copyMessage(ctx.chat.id, ctx.chat.id, source.message_id);
    const request: BroadcastRequest = { chatId: ctx.chat.id, messageId: source.message_id, language };
    return confirmations.ask(ctx, {
      action: "broadcast",
      data: request,
      confirmLabel: `📣 Send to ${count}`,
      text: [
        `📣 <b>Send this message to ${count} customer(s)${language ? ` (language ${language})` : ""}?</b>`,
        "Everyone who has not blocked the bot; it goes out paced under Telegram's limits, after customers' replies and deliveries. You can cancel it while it runs.",
      ].join("\n"),
    });
  });

  confirmations.on<BroadcastRequest>("broadcast", async (ctx, request) => {
    const launched = await broadcaster.launch({
      sourceChatId: request.chatId,
      sourceMessageId: request.messageId,
      language: request.language,
      createdBy: `admin:${ctx.from.id}`,
      progressChatId: ctx.chat!.id,
    });
    if (!launched.ok) return launched;
    return { ok: true, message: `Broadcast #${launched.job.id} started for ${launched.job.total} customer(s); its progress follows.` };
  });

  admin.callbackQuery(CANCEL_DATA, async (ctx) => {
    const id = Number(ctx.match[1]);
    const cancelled = broadcaster.cancel(id, `admin:${ctx.from.id}`);
    await ctx.answerCallbackQuery({ text: cancelled ? `Broadcast #${id} cancelled: nothing more is sent.` : `Broadcast #${id} is not running.` });
  });
}
