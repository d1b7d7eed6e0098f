// The context every handler sees: grammY's, plus translations, the customer row and a per-update logger.
import type { ConversationFlavor } from "@grammyjs/conversations";
import type { I18nFlavor } from "@grammyjs/i18n";
import type { Context } from "grammy";
import type { CustomerRow } from "../customers/repository.js";
import type { Logger } from "../logger.js";

/** Inside a conversation: the same, without the conversation controls. */
export type BaseContext = Context &
  I18nFlavor & {
    /** The customer behind this update (set for every update that has a sender). */
    customer?: CustomerRow;
    logger: Logger;
  };

export type ShopContext = ConversationFlavor<BaseContext>;
