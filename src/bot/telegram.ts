// The shop's line to Telegram: the first getMe (retried with a visible log line, bounded), and where updates
// come from (long polling or the webhook). The Bot API clients themselves: telegram-api.ts.
import { autoRetry } from "@grammyjs/auto-retry";
import { run, type RunnerHandle } from "@grammyjs/runner";
import { Api, GrammyError, type Bot, type Context, type Transformer } from "grammy";
import { StartupError, type Component } from "../lib/component.js";
import type { Logger } from "../logger.js";
import type { Pacer } from "./pacing.js";

/** Updates the shop handles; anything else Telegram is told not to send. */
export const ALLOWED_UPDATES = ["message", "callback_query", "pre_checkout_query", "my_chat_member"] as const;

export interface ConnectOptions {
  token: string;
  apiRoot: string;
  logger: Logger;
  /** Give up after this long without an answer from Telegram. */
  timeoutMs: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Asks Telegram who the bot is (getMe), retrying while Telegram cannot be reached, with a log line each time,
 * and gives up with a StartupError after `timeoutMs`. A refused token fails at once.
 */
export async function connectBot<C extends Context>(bot: Bot<C>, options: ConnectOptions): Promise<void> {
  if (bot.isInited()) return;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // Its own client: no auto-retry hiding the wait, and a short timeout per try.
  const api = new Api(options.token, { apiRoot: options.apiRoot, timeoutSeconds: 10 });
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  let delay = 1_000;
  for (let attempt = 1; ; attempt++) {
    try {
      bot.botInfo = await api.getMe();
      if (attempt > 1) options.logger.info({ attempt, bot: bot.botInfo.username }, "reached Telegram");
      return;
    } catch (error) {
      if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404)) {
        throw new StartupError(`BOT_TOKEN was refused by Telegram (${error.error_code} ${error.description}): copy the token again from @BotFather`);
      }
      const reason = error instanceof Error ? error.message : String(error);
      if (Date.now() + delay > deadline) {
        throw new StartupError(
          `cannot reach Telegram at ${options.apiRoot} (${attempt} tries in ${((Date.now() - started) / 1000).toFixed(1)} s, TELEGRAM_STARTUP_TIMEOUT_MS=${options.timeoutMs}; last: ${reason}): check the network, a proxy, or TELEGRAM_API_ROOT`,
        );
      }
      options.logger.warn({ attempt, retry_in_ms: delay, reason, api_root: options.apiRoot }, "cannot reach Telegram yet; retrying");
      await sleep(delay);
      delay = Math.min(delay * 2, 15_000);
    }
  }
}

/** What the runner's crash means to an operator. */
export function describeUpdateFailure(error: unknown): string {
  if (error instanceof GrammyError && error.error_code === 401) {
    return `Telegram stopped accepting BOT_TOKEN (401 ${error.description}): the token was revoked or changed; copy the new one from @BotFather`;
  }
  if (error instanceof GrammyError && error.error_code === 409) {
    return `Telegram refused to send updates (409 ${error.description}): another process is polling with this BOT_TOKEN, or a webhook is set. Stop the other process (or use BOT_MODE=webhook on one instance only)`;
  }
  return `fetching updates from Telegram failed for good (${error instanceof Error ? error.message : String(error)})`;
}

export interface UpdateSourceOptions {
  mode: "polling" | "webhook" | "none";
  /** Webhook mode: the full public URL Telegram posts to, and its secret token. */
  webhookUrl?: string | undefined;
  webhookSecret?: string | undefined;
  logger: Logger;
  /** The source failed for good (a revoked token, another poller): the process should end. */
  onFatal: (message: string) => void;
}

export interface UpdateSource extends Component {
  /** Whether updates are coming in (polling runs, or the webhook is set). */
  readonly alive: boolean;
}

/**
 * Where updates come from. Polling: any leftover webhook is removed first (getUpdates answers 409 while one is
 * set), then the runner; its unrecoverable failures end the process with a clear message. Webhook: setWebhook.
 * Stopping waits for the updates already in hand.
 */
export function createUpdateSource<C extends Context>(bot: Bot<C>, options: UpdateSourceOptions): UpdateSource {
  let runner: RunnerHandle | undefined;
  let webhookSet = false;
  return {
    name: "telegram updates",
    async start() {
      if (options.mode === "webhook") {
        await bot.api.setWebhook(options.webhookUrl!, { secret_token: options.webhookSecret!, allowed_updates: [...ALLOWED_UPDATES] });
        webhookSet = true;
        return;
      }
      if (options.mode === "none") return;
      // The runner is told to be silent (it would print whole error objects): its fetch failures are logged here.
      bot.api.config.use(async (prev, method, payload, signal) => {
        try {
          return await prev(method, payload, signal);
        } catch (error) {
          if (method === "getUpdates" && !signal?.aborted) options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, "fetching updates from Telegram failed; retrying");
          throw error;
        }
      });
      const info = await bot.api.getWebhookInfo();
      if (info.url) {
        options.logger.warn({ url: info.url }, "a webhook was set for this bot; removing it to poll for updates");
        await bot.api.deleteWebhook();
      }
      runner = run(bot, { runner: { silent: true, fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
      runner.task()?.catch((error: unknown) => options.onFatal(describeUpdateFailure(error)));
    },
    async stop() {
      if (!runner?.isRunning()) return;
      await runner.stop();
      // stop() resolves once fetching stops, not when the updates in hand are done: wait for those.
      const deadline = Date.now() + 15_000;
      while (runner.size() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    },
    get alive() {
      return options.mode === "none" || webhookSet || (runner?.isRunning() ?? false);
    },
  };
}
