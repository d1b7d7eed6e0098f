// Broadcasts to customers (/broadcast): the admin's message is copied (copyMessage: formatting and media kept) to
// every customer who has not blocked the bot (optionally one language), one at a time in customer id order, through
// the Bot API client of the pacer's `broadcast` lane, so replies, deliveries and alerts always go first. The job and
// its position (the last customer sent to) are in SQLite after every send: a restart resumes after that customer. A
// crash between Telegram's answer and that write sends the one message in flight again: at most one duplicate, at
// the crash point. 403 marks the customer blocked; the progress is one ops-chat message, edited every few seconds.
import { GrammyError, HttpError, type Api } from "grammy";
import { and, asc, count, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/connection.js";
import { broadcasts, customers } from "../db/schema.js";
import { markCustomerBlocked } from "../customers/repository.js";
import type { Logger } from "../logger.js";

export type BroadcastRow = typeof broadcasts.$inferSelect;

export interface BroadcasterDeps {
  db: Db;
  /** The broadcast lane's client (bot/telegram-api.ts createLaneApi(…, "broadcast")). */
  api: Api;
  logger: Logger;
  now: () => number;
  /** Least time between two edits of the progress message (edits count against the group's limits too). */
  progressEveryMs?: number;
  /** First wait after a passing failure (network, 5xx, a 429 auto-retry gave up on); it doubles up to a minute. */
  retryDelayMs?: number;
}

export interface LaunchRequest {
  sourceChatId: number;
  sourceMessageId: number;
  language: string | null;
  createdBy: string;
  /** Where the progress message goes (the ops chat). */
  progressChatId: number;
}

export interface Broadcaster {
  /** Resumes the broadcasts a stop or a crash left running. */
  start(): void;
  /** Stops sending after the message in flight; the job stays running, to be resumed at the next start. */
  stop(): Promise<void>;
  /** Starts a broadcast (refused while another runs). */
  launch(request: LaunchRequest): Promise<{ ok: true; job: BroadcastRow } | { ok: false; message: string }>;
  /** Cancels a running broadcast: nothing more is sent. */
  cancel(id: number, by: string): boolean;
  /** Customers a broadcast would reach now (not blocked; of this language when given). */
  recipients(language: string | null): number;
  get(id: number): BroadcastRow | undefined;
  /** Resolves when the broadcast in progress (if any) has stopped: for tests and a clean stop. */
  idle(): Promise<void>;
}

/** Callback data of the progress message's Cancel button. */
export const cancelData = (id: number) => `bc:x:${id}`;
export const CANCEL_DATA = /^bc:x:(\d{1,9})$/;

const BATCH = 50;
/** Sends to one customer that fail for a passing reason before that customer is counted failed and skipped. */
const MAX_TRIES = 5;

type Outcome = "sent" | "blocked" | "failed" | "source_gone" | "retry";

export function createBroadcaster(deps: BroadcasterDeps): Broadcaster {
  const { db, logger } = deps;
  const progressEveryMs = deps.progressEveryMs ?? 2_000;
  const retryDelayMs = deps.retryDelayMs ?? 2_000;
  const cancelled = new Set<number>();
  let stopping = false;
  let running: Promise<void> | undefined;
  /** Wakes a wait between retries early (stop, cancel). */
  let wake: (() => void) | undefined;

  const get = (id: number) => db.select().from(broadcasts).where(eq(broadcasts.id, id)).get();

  function audience(language: string | null) {
    return and(isNull(customers.blockedAt), language ? eq(customers.language, language) : undefined);
  }

  function recipients(language: string | null): number {
    return db.select({ n: count() }).from(customers).where(audience(language)).get()?.n ?? 0;
  }

  function nextCustomers(job: BroadcastRow): Array<{ id: number; chatId: number }> {
    return db
      .select({ id: customers.id, chatId: customers.chatId })
      .from(customers)
      .where(and(audience(job.language), gt(customers.id, job.lastCustomerId)))
      .orderBy(asc(customers.id))
      .limit(BATCH)
      .all();
  }

  /** The position and the count move together, after Telegram answered for this customer. */
  function record(id: number, customerId: number, outcome: "sent" | "blocked" | "failed"): void {
    const column = { sent: broadcasts.sent, blocked: broadcasts.blocked, failed: broadcasts.failed }[outcome];
    db.update(broadcasts)
      .set({ lastCustomerId: customerId, [outcome]: sql`${column} + 1` })
      .where(and(eq(broadcasts.id, id), eq(broadcasts.status, "running")))
      .run();
  }

  function finish(id: number, status: "done" | "failed" | "cancelled", lastError: string | null = null): void {
    db.update(broadcasts)
      .set({ status, finishedAt: deps.now(), ...(lastError ? { lastError } : {}) })
      .where(and(eq(broadcasts.id, id), eq(broadcasts.status, "running")))
      .run();
  }

  function describe(job: BroadcastRow): string {
    const done = job.sent + job.blocked + job.failed;
    const state = {
      running: "sending…",
      done: "✅ done",
      cancelled: "✖️ cancelled: nothing more is sent",
      failed: `⚠️ stopped: ${job.lastError ?? "an error"}`,
    }[job.status];
    return [
      `📣 <b>Broadcast #${job.id}</b>${job.language ? ` (language ${job.language})` : ""}: ${state}`,
      `${done} of ${Math.max(job.total, done)} customers · ${job.sent} sent · ${job.blocked} blocked the bot · ${job.failed} failed`,
    ].join("\n");
  }

  function keyboard(job: BroadcastRow) {
    return job.status === "running" ? { inline_keyboard: [[{ text: "✖️ Cancel broadcast", callback_data: cancelData(job.id) }]] } : { inline_keyboard: [] };
  }

  async function showProgress(id: number): Promise<void> {
    const job = get(id);
    if (!job?.progressChatId) return;
    try {
      if (job.progressMessageId === null) {
        const message = await deps.api.sendMessage(job.progressChatId, describe(job), { parse_mode: "HTML", reply_markup: keyboard(job) });
        db.update(broadcasts).set({ progressMessageId: message.message_id }).where(eq(broadcasts.id, id)).run();
      } else {
        await deps.api.editMessageText(job.progressChatId, job.progressMessageId, describe(job), { parse_mode: "HTML", reply_markup: keyboard(job) });
      }
    } catch (error) {
      logger.debug({ err: error, broadcast: id }, "could not show a broadcast's progress");
    }
  }

  async function sendOne(job: BroadcastRow, chatId: number): Promise<{ outcome: Outcome; reason?: string }> {
    try {
      await deps.api.copyMessage(chatId, job.sourceChatId, job.sourceMessageId);
      return { outcome: "sent" };
    } catch (error) {
      if (error instanceof GrammyError) {
        if (error.error_code === 403) return { outcome: "blocked", reason: error.description };
        if (error.error_code === 400 && /message to copy not found|MESSAGE_ID_INVALID|message not found/i.test(error.description)) {
          return { outcome: "source_gone", reason: error.description };
        }
        if (error.error_code === 400) return { outcome: "failed", reason: error.description };
        return { outcome: "retry", reason: error.description };
      }
      return { outcome: "retry", reason: error instanceof HttpError ? error.message : String(error) };
    }
  }

  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  async function run(id: number): Promise<void> {
    let lastShown = 0;
    let tries = 0;
    await showProgress(id);
    for (;;) {
      if (stopping) return;
      const job = get(id);
      if (!job || job.status !== "running") break;
      if (cancelled.has(id)) {
        finish(id, "cancelled");
        break;
      }
      const batch = nextCustomers(job);
      if (batch.length === 0) {
        finish(id, "done");
        logger.info({ broadcast: id, sent: job.sent, blocked: job.blocked, failed: job.failed }, "broadcast done");
        break;
      }
      for (const customer of batch) {
        if (stopping || cancelled.has(id)) break;
        const { outcome, reason } = await sendOne(job, customer.chatId);
        if (outcome === "source_gone") {
          finish(id, "failed", `the message to send was deleted from the chat (${reason})`);
          logger.error({ broadcast: id, reason }, "broadcast stopped: its message can no longer be copied");
          break;
        }
        if (outcome === "retry" && tries + 1 < MAX_TRIES) {
          tries += 1;
          logger.warn({ broadcast: id, customer_id: customer.id, reason, tries }, "broadcast send failed for a passing reason; trying again");
          await pause(Math.min(60_000, retryDelayMs * 2 ** (tries - 1)));
          break; // the batch is read again from the position: this customer comes first
        }
        tries = 0;
        if (outcome === "blocked") markCustomerBlocked(db, customer.id, deps.now());
        record(id, customer.id, outcome === "retry" ? "failed" : outcome);
        if (outcome !== "sent") logger.info({ broadcast: id, customer_id: customer.id, outcome, reason }, "broadcast not delivered to a customer");
        if (Date.now() - lastShown >= progressEveryMs) {
          lastShown = Date.now();
          await showProgress(id);
        }
      }
    }
    cancelled.delete(id);
    await showProgress(id);
  }

  function schedule(id: number): void {
    const previous = running ?? Promise.resolve();
    const next = previous
      .then(() => run(id))
      .catch((error: unknown) => logger.error({ err: error, broadcast: id }, "broadcast failed unexpectedly; it resumes at the next start"))
      .finally(() => {
        if (running === next) running = undefined;
      });
    running = next;
  }

  return {
    start() {
      stopping = false;
      const left = db.select().from(broadcasts).where(eq(broadcasts.status, "running")).orderBy(asc(broadcasts.id)).all();
      for (const job of left) {
        logger.info({ broadcast: job.id, position: job.lastCustomerId, sent: job.sent }, "resuming a broadcast");
        schedule(job.id);
      }
    },
    async stop() {
      stopping = true;
      wake?.();
      await running;
    },
    async launch(request) {
      const busy = db.select({ id: broadcasts.id }).from(broadcasts).where(eq(broadcasts.status, "running")).get();
      if (busy) return { ok: false, message: `Broadcast #${busy.id} is still running: cancel it or wait for it to finish.` };
      const job = db
        .insert(broadcasts)
        .values({ ...request, status: "running", total: recipients(request.language), createdAt: deps.now() })
        .returning()
        .get();
      logger.info({ broadcast: job.id, language: job.language, total: job.total, by: request.createdBy }, "broadcast started");
      schedule(job.id);
      return { ok: true, job };
    },
    cancel(id, by) {
      const job = get(id);
      if (!job || job.status !== "running") return false;
      cancelled.add(id);
      finish(id, "cancelled");
      logger.info({ broadcast: id, by }, "broadcast cancelled");
      wake?.();
      // Not running here (stopped, or another process's): the message still shows the end.
      if (!running) void showProgress(id);
      return true;
    },
    recipients,
    get,
    idle: async () => {
      while (running) await running;
    },
  };
}
