// The email sender: takes due rows of the outbox (email/outbox.ts), claims each (`sending`, one attempt more),
// sends it over SMTP and commits the outcome: `sent` (with what the acceptance means for its order, in the same
// transaction), back to the queue with backoff (4xx, network, timeouts), or `given_up` (a 5xx, or the attempts cap)
// with an alert. A crash between the claim and the send leaves the row `sending`; at the next start it is queued
// again and goes once. A crash after the server took the message and before the commit sends it a second time:
// at most one duplicate, with the same Message-ID.
import type { Db } from "../db/connection.js";
import type { Sealer } from "../lib/crypto.js";
import { createWakeTimer } from "../lib/wake-timer.js";
import type { Logger } from "../logger.js";
import { claimEmail, dueEmails, giveUpEmail, markEmailSent, nextEmailDueAt, openEmail, requeueInterruptedEmails, rescheduleEmail, type EmailRow } from "./outbox.js";
import { smtpFailure, type Mailer } from "./transport.js";

export interface EmailSenderOptions {
  db: Db;
  sealer: Sealer;
  mailer: Mailer;
  logger: Logger;
  now: () => number;
  random: () => number;
  /** Attempts of an email the server keeps refusing for a passing reason, before it is given up. */
  maxAttempts: number;
  /** First backoff (ms); doubled each attempt up to `retryMaxMs`, with jitter. */
  retryBaseMs: number;
  retryMaxMs?: number;
  /** Emails sent at once (default 4). */
  concurrency?: number;
  /** Longest sleep between two looks at the outbox (default 30 s). */
  idleMs?: number;
  /** The domain of the Message-IDs (from EMAIL_FROM). */
  messageIdDomain: string;
  /** The server took the email: runs in the transaction that marks it sent (an order becomes delivered). */
  onSent(row: EmailRow): void;
  /** The email was given up: runs in the transaction that marks it so (an alert is raised). */
  onGivenUp(row: EmailRow, reason: string): void;
  /**
   * Asked just before an email is handed to the server: a reason it must not go any more (an email with codes
   * whose payment was refunded or disputed while it waited), and it is given up with that reason.
   */
  withheld?(row: EmailRow): string | undefined;
  /** Every outcome, for the metrics. */
  onOutcome?(row: EmailRow, outcome: "sent" | "retry" | "given_up"): void;
  /**
   * At each look at the outbox: settles what an earlier `onSent` could not record (the database refused the order's
   * side of the commit), from the rows themselves.
   */
  reconcile?(): void;
}

export interface EmailSender {
  /** Queues that were interrupted by a crash go back to the queue; sending starts. */
  start(): void;
  /** An email was queued: look now rather than at the next tick. */
  wake(): void;
  /** Stops taking rows and waits for the sends in flight. */
  stop(): Promise<void>;
  /** Sends until nothing is due now (tests). */
  drain(): Promise<void>;
}

export function createEmailSender(options: EmailSenderOptions): EmailSender {
  const { db, logger } = options;
  const concurrency = options.concurrency ?? 4;
  const idleMs = options.idleMs ?? 30_000;
  const retryMaxMs = options.retryMaxMs ?? 30 * 60_000;
  const inFlight = new Map<number, Promise<void>>();
  let running = false;
  const timer = createWakeTimer(() => tick(), { maxWaitMs: idleMs, unref: true });

  function schedule(delay: number): void {
    if (running) timer.schedule(delay);
  }

  function tick(): void {
    if (!running) return;
    try {
      options.reconcile?.();
      const free = concurrency - inFlight.size;
      if (free > 0) {
        for (const row of dueEmails(db, options.now(), free + inFlight.size)) {
          if (inFlight.size >= concurrency) break;
          if (inFlight.has(row.id) || !claimEmail(db, row.id, options.now())) continue;
          launch({ ...row, attempts: row.attempts + 1, status: "sending" });
        }
      }
      const next = nextEmailDueAt(db);
      schedule(inFlight.size >= concurrency || next === undefined ? idleMs : next - options.now());
    } catch (error) {
      // The database refused a read or a claim: look again after a pause, never end the process.
      logger.error({ err: error }, "the email outbox could not be read; trying again");
      schedule(5_000);
    }
  }

  function launch(row: EmailRow): void {
    const run = send(row)
      .catch((error: unknown) => logger.error({ err: error, order_id: row.orderId ?? undefined, email_id: row.id }, "settling an email failed; it is sent again after the restart"))
      .finally(() => {
        inFlight.delete(row.id);
        schedule(0);
      });
    inFlight.set(row.id, run);
  }

  async function send(row: EmailRow): Promise<void> {
    const fields = { order_id: row.orderId ?? undefined, customer_id: row.customerId, purpose: row.purpose, attempt: row.attempts };
    let opened: ReturnType<typeof openEmail>;
    try {
      opened = openEmail(db, options.sealer, row);
    } catch (error) {
      return settle(row, "given_up", `the email cannot be read (${(error as Error).message}); was CODE_ENCRYPTION_KEY changed?`);
    }
    const withheld = options.withheld?.(row);
    if (withheld) {
      logger.warn({ ...fields, reason: withheld }, "an email was withheld");
      return settle(row, "given_up", `withheld: ${withheld}`);
    }
    try {
      await options.mailer.send({ to: opened.to, ...opened.message, messageId: `<${row.purpose}.${row.orderId ?? `c${row.customerId}`}.${row.id}@${options.messageIdDomain}>` });
    } catch (error) {
      const { permanent, reason } = smtpFailure(error);
      if (permanent || row.attempts >= options.maxAttempts) {
        logger.warn({ ...fields, reason, permanent }, "an email was given up");
        return settle(row, "given_up", permanent ? `the mail server refused it: ${reason}` : `${row.attempts} attempts failed; last: ${reason}`);
      }
      const delay = backoff(row.attempts);
      logger.warn({ ...fields, reason, retry_in_ms: delay }, "an email could not be sent for a passing reason; will retry");
      rescheduleEmail(db, row.id, options.now() + delay, reason);
      options.onOutcome?.(row, "retry");
      return;
    }
    settle(row, "sent");
    logger.info(fields, "email sent");
  }

  /**
   * The outcome and what it means, committed together; the row is settled only if it is still ours. What it means
   * for an order runs in a savepoint of its own: if that fails (a bug, the database), the email still counts as sent.
   */
  function settle(row: EmailRow, outcome: "sent" | "given_up", reason = ""): void {
    const now = options.now();
    const client = db.$client;
    client.transaction(() => {
      const settled = outcome === "sent" ? markEmailSent(db, row.id, now) : giveUpEmail(db, row.id, now, reason);
      if (!settled) return;
      try {
        client.transaction(() => {
          if (outcome === "sent") options.onSent({ ...row, status: "sent", sentAt: now });
          else options.onGivenUp({ ...row, status: "given_up", givenUpAt: now, lastError: reason }, reason);
        })();
      } catch (error) {
        logger.error({ err: error, order_id: row.orderId ?? undefined, email_id: row.id, outcome }, "what an email's outcome means for its order could not be recorded");
      }
    })();
    options.onOutcome?.(row, outcome);
  }

  function backoff(attempt: number): number {
    const exponential = Math.min(retryMaxMs, options.retryBaseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(exponential * (0.5 + options.random() * 0.5));
  }

  return {
    start() {
      if (running) return;
      const requeued = requeueInterruptedEmails(db, options.now());
      if (requeued > 0) logger.warn({ emails: requeued }, "emails claimed before a crash are queued again (one may reach its customer twice)");
      running = true;
      schedule(0);
    },
    wake() {
      schedule(0);
    },
    async stop() {
      running = false;
      timer.cancel();
      await Promise.allSettled([...inFlight.values()]);
      options.mailer.close();
    },
    async drain() {
      for (;;) {
        tick();
        if (inFlight.size === 0) {
          const next = nextEmailDueAt(db);
          if (next === undefined || next > options.now()) return;
        }
        await Promise.race([...inFlight.values(), new Promise((resolve) => setTimeout(resolve, 5))]);
      }
    },
  };
}
