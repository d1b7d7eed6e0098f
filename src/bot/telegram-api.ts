// The shop's Bot API clients: one stack of transformers (pacing in a lane, auto-retry around it, "not
// modified" taken as success) on the bot's own API (replies: "interactive"), on one client per other lane (the
// worker's deliveries, the alerter's messages, broadcasts), and beneath the replay log of a conversation, so a
// replayed call waits for nothing.
import { autoRetry } from "@grammyjs/auto-retry";
import { Api, type Context, type Middleware, type Transformer } from "grammy";
import { sendGuard } from "../lib/send-guard.js";
import type { Lane, Pacer } from "./pacing.js";

export type ApiClientOptions = ConstructorParameters<typeof Api>[1];

/** Methods that change a message already sent: asking for the content it already has is refused by Telegram. */
const EDITS = new Set(["editMessageText", "editMessageReplyMarkup", "editMessageCaption", "editMessageMedia"]);

/**
 * "Bad Request: message is not modified" means the message already shows what was asked (a second tap on the
 * same button, a double tap inside the checkout): the edit succeeded in effect, so it answers `true` instead
 * of failing the update.
 */
export const notModifiedIsSuccess: Transformer = async (prev, method, payload, signal) => {
  const result = await prev(method, payload, signal);
  if (!result.ok && EDITS.has(method) && result.error_code === 400 && /message is not modified/i.test(result.description)) {
    return { ok: true, result: true } as unknown as typeof result;
  }
  return result;
};

/**
 * What every call of a lane goes through: its pacing lane first, auto-retry around it (a retry queues again),
 * and "not modified" taken as success around both; beneath them all, the send guard (lib/send-guard.ts).
 */
export function telegramTransformers(pacer: Pacer | false, lane: Lane): Transformer[] {
  const retry = autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 120 });
  // Installed first, so it runs last: the send guard just before the network, beneath the pacer.
  return pacer ? [sendGuard, pacer.transformer(lane), retry, notModifiedIsSuccess] : [sendGuard, retry, notModifiedIsSuccess];
}

/** A Bot API client whose sends wait in `lane`: hand it to the code that sends on that lane's behalf. */
export function createLaneApi(token: string, options: ApiClientOptions, pacer: Pacer | false, lane: Lane): Api {
  const api = new Api(token, options);
  api.config.use(...telegramTransformers(pacer, lane));
  return api;
}

/**
 * A conversation plugin that puts `transformers` beneath the conversation's replay log.
 *
 * @grammyjs/conversations v2 runs the conversation again from the start on every update and answers the
 * Bot API calls it made before from its log: the log is a transformer on a fresh Api in each conversational
 * context. Transformers installed the documented way (`ctx.api.config.use` in a plugin) sit above the log
 * and so run again for every replayed call: the pacer booked a slot per replayed sendMessage, and each reply
 * of a checkout came a second later than the one before. Here the context gets an Api with our transformers
 * first and the conversation's own (the log, and any menu transformer) on top, in their order: a replayed
 * call is answered from the log; only a call made for the first time reaches the pacer and the network.
 */
export function beneathReplay<C extends Context>(transformers: readonly Transformer[]): Middleware<C> {
  return (ctx, next) => {
    const conversational = ctx.api.config.installedTransformers();
    const api = new Api(ctx.api.token, ctx.api.options);
    api.config.use(...transformers, ...conversational);
    // Context.api is a plain property; nothing has called the API through this context yet.
    Object.assign(ctx, { api });
    return next();
  };
}
