// The shop's Bot API clients: one stack of transformers (pacing in a lane, auto-retry around it) on the bot's
// own API (replies: "interactive") and on one client per other lane (the worker's deliveries, the alerter's
// messages, broadcasts).
import { autoRetry } from "@grammyjs/auto-retry";
import { Api, type Transformer } from "grammy";
import type { Lane, Pacer } from "./pacing.js";

export type ApiClientOptions = ConstructorParameters<typeof Api>[1];

/** What every call of a lane goes through: its pacing lane first, auto-retry around it (a retry queues again). */
export function telegramTransformers(pacer: Pacer | false, lane: Lane): Transformer[] {
  const retry = autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 120 });
  return pacer ? [pacer.transformer(lane), retry] : [retry];
}

/** A Bot API client whose sends wait in `lane`: hand it to the code that sends on that lane's behalf. */
export function createLaneApi(token: string, options: ApiClientOptions, pacer: Pacer | false, lane: Lane): Api {
  const api = new Api(token, options);
  api.config.use(...telegramTransformers(pacer, lane));
  return api;
}
