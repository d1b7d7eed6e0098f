// Whether the customer has the bot: Telegram's my_chat_member says when they block it (kicked) and when they
// unblock it (member again); coming back hands their undelivered codes to the pipeline to send again.
import { Composer } from "grammy";
import { markCustomerBlocked, markCustomerUnblocked } from "../../customers/repository.js";
import type { ShopContext } from "../context.js";
import type { BotDeps } from "../deps.js";

export function membershipFeature(deps: BotDeps): Composer<ShopContext> {
  const feature = new Composer<ShopContext>();
  feature.on("my_chat_member", (ctx) => {
    const { old_chat_member: before, new_chat_member: now } = ctx.myChatMember;
    if (ctx.chat.type !== "private") return;
    if (now.status === "kicked") {
      markCustomerBlocked(deps.db, ctx.from.id, deps.now());
      ctx.logger.info({ customer_id: ctx.from.id }, "the customer blocked the bot");
      return;
    }
    if (before.status === "kicked" && now.status === "member") {
      markCustomerUnblocked(deps.db, ctx.from.id, deps.now());
      ctx.logger.info({ customer_id: ctx.from.id }, "the customer unblocked the bot");
      deps.onCustomerBack(ctx.from.id);
    }
  });
  return feature;
}
