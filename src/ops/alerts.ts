// Alerts to the ops chat: every alert a row of the outbox (alert-outbox.ts) from the moment it is raised, so
// none is lost to a crash; grouped by kind, each kind with a cooldown, paced under Telegram's 20 messages a minute
// for a group, and one alert Telegram refuses never holds up the others. Each message says what happened, how many
// orders, which ones, what to do.
import type { Db } from "../db/connection.js";
import { escapeHtml } from "../lib/html.js";
import { MESSAGE_LIMIT, visibleLength } from "../lib/telegram-text.js";
import type { Logger } from "../logger.js";
import { giveUpAlert, lastSentByKind, markAlertsRefused, markAlertsSent, pendingAlerts, pruneAlerts, recordAlert, type OutboxRow } from "./alert-outbox.js";

export const ALERT_KINDS = {
  needs_review: { title: "Orders need review", action: "Open /review and choose Retry, Refund or Enter code for each." },
  insufficient_balance: { title: "Supplier balance too low to place orders", action: "Top up the supplier account, then /retry the orders in /review." },
  low_balance: { title: "Supplier balance is running low", action: "Top up the supplier account before orders start failing." },
  slow_supplier: { title: "Supplier is slow", action: "Check the supplier's status page; orders still go through, more slowly." },
  failure_rate: { title: "Order failure rate is high", action: "Look at /review and the supplier's status; consider pausing sales." },
  stuck_orders: { title: "Paid orders undelivered for over 10 minutes", action: "Check /pending; /order <id> shows where each one stopped." },
  webhook_failures: { title: "Webhooks failed to verify or process", action: "Check the signing secrets (STRIPE_WEBHOOK_SECRET, SUPPLIER_WEBHOOK_SECRET) and the logs." },
  delivery_failed: { title: "Codes could not be delivered in Telegram", action: "The customer blocked the bot or deleted the chat; the code is kept (and emailed when an address is known). /resend <id> when they come back." },
  email_failed: { title: "Emails could not be delivered", action: "Check the mail server (SMTP_URL, its logs) and the address in /order <id>; codes are kept: /resend <id> when the customer is back, or /resend <id> email." },
  refunded: { title: "Orders refunded", action: "Nothing to do unless the count keeps rising." },
  refund_failed: { title: "Refund could not be made", action: "Refund the card payment by hand in the Stripe dashboard, then close the order with /refund <id> manual." },
  stars_refund_failed: { title: "Stars refund could not be made", action: "Try again later with /refund <id>; if Telegram keeps refusing, settle with the customer and close it with /refund <id> manual." },
  stars_payment: { title: "Telegram Stars payment needs attention", action: "Check /order <id>; a second charge is returned automatically, an unmatched one needs a look at the customer's chat." },
  risk_hold: { title: "Orders held by the fraud rules", action: "Open /review: Release the ones you trust, Refund the others (held orders are refunded automatically after RISK_HOLD_AUTO_REFUND_HOURS)." },
  dispute_due: { title: "Dispute evidence due soon", action: "Open /disputes and send the evidence (📎 Evidence) before the due date, or accept the dispute in Stripe." },
  stripe_refund: { title: "Refund made in Stripe", action: "Nothing to do if you refunded on purpose; an order not yet delivered is held and its code is not sent." },
  dispute: { title: "Payment disputed", action: "Open /disputes: 📎 Evidence sends the shop's records of a delivered order to Stripe (after a preview); or answer it in the Stripe dashboard." },
  payment_mismatch: { title: "Payment does not match its order", action: "Compare the amounts in Stripe and /order <id>, then Retry or Refund." },
  source_refused: { title: "A supplier refused orders; they moved to the next source", action: "Check that source's settings in the catalog (product id, price) and the supplier account." },
  low_stock: { title: "The shop's own stock is running low", action: "Import more codes: send a file with the caption /stock add <sku>, or npm run stock -- add <sku> <file>." },
  step_errors: { title: "Orders stopped by an unexpected error", action: "Read the error-level log lines with these order ids (a bug, the database, a changed CODE_ENCRYPTION_KEY), fix the cause, then Retry, Refund or Enter code in /review." },
  cost_above_price: { title: "A supplier's cost rose above the price", action: "Raise the price with /product <sku> price <amount>, or turn the product off (/product <sku>)." },
  balance_recovered: { title: "Supplier balance topped up", action: "Orders held for lack of balance were retried automatically; 🔁 Retry all retries the rest that can be." },
  catalog_sync: { title: "Catalog sync from the supplier needs a look", action: "Check the supplier's GET /catalog (and /sync again); the shop kept what it had." },
  customer_back: { title: "Customers came back: undelivered codes sent again", action: "Nothing to do; /order <id> shows the resend." },
} as const;

export type AlertKind = keyof typeof ALERT_KINDS;

/** A button under an alert: the admin acts from the alert itself (the bot's console answers it, after "Are you sure?"). */
export interface AlertButton {
  text: string;
  /** Callback data the console features handle (bot/features/console/). */
  data: string;
}

/** Callback data of the alert buttons. */
export const ALERT_ACTIONS = { pause: "ops:pause", retryAll: "ops:retry_all" } as const;

/** The buttons each kind's message carries: a high failure rate offers a pause, orders waiting for a person a bulk retry. */
export const ALERT_BUTTONS: Partial<Record<AlertKind, readonly AlertButton[]>> = {
  failure_rate: [{ text: "⏸ Pause sales", data: ALERT_ACTIONS.pause }],
  needs_review: [{ text: "🔁 Retry all", data: ALERT_ACTIONS.retryAll }],
  insufficient_balance: [{ text: "🔁 Retry all", data: ALERT_ACTIONS.retryAll }],
  balance_recovered: [{ text: "🔁 Retry all", data: ALERT_ACTIONS.retryAll }],
};

/**
 * How long a kind stays quiet after a message. Orders that need a person are news every time: they are
 * only gathered for a short while. A condition (slow supplier, failure rate) is repeated at most every 10 minutes.
 */
export const COOLDOWNS: Record<AlertKind, number> = {
  needs_review: 30_000,
  risk_hold: 30_000,
  // Raised once per dispute, two days ahead: a few minutes' gathering costs nothing and groups a bank's batch.
  dispute_due: 10 * 60_000,
  insufficient_balance: 60_000,
  payment_mismatch: 30_000,
  step_errors: 30_000,
  // Money moving back (refunds, disputes) is news at once: never held back by a cooldown.
  refund_failed: 0,
  stars_refund_failed: 0,
  stars_payment: 0,
  delivery_failed: 60_000,
  email_failed: 60_000,
  dispute: 0,
  stripe_refund: 0,
  refunded: 5 * 60_000,
  stuck_orders: 10 * 60_000,
  low_balance: 30 * 60_000,
  slow_supplier: 10 * 60_000,
  failure_rate: 10 * 60_000,
  webhook_failures: 10 * 60_000,
  source_refused: 5 * 60_000,
  low_stock: 60 * 60_000,
  catalog_sync: 10 * 60_000,
  cost_above_price: 10 * 60_000,
  balance_recovered: 60_000,
  customer_back: 60_000,
};

/** States rather than events: while one holds, the monitors raise it at every check; its latest reading is what is sent. */
export const CONDITION_KINDS: ReadonlySet<AlertKind> = new Set(["slow_supplier", "failure_rate", "low_balance", "low_stock"]);

export interface Alert {
  kind: AlertKind;
  /** One line on this occurrence; the message groups them. */
  text: string;
  orderId?: string | undefined;
  /** A condition's subject (a stock pool, a supplier account): each keeps its own line, the latest reading. */
  subject?: string | undefined;
}

export interface Alerts {
  /** Records the alert (in the caller's transaction when one is open); never blocks, never throws. */
  raise(alert: Alert): void;
}

export interface AlerterOptions {
  /** Where the outbox lives (the shop's database). */
  db: Db;
  /** Posts one HTML message to a chat, with the kind's buttons when it has some; throws what Telegram answered. */
  send: (chatId: number, text: string, buttons?: readonly AlertButton[]) => Promise<void>;
  /** The ops chat (OPS_CHAT_ID). */
  chatId: number;
  logger: Logger;
  /** Wall-clock time: pacing is about Telegram's real limits, whatever clock the orders run on. */
  now?: () => number;
  /** Minimum time between two messages of the same kind (default: COOLDOWNS). */
  cooldownMs?: number;
  /** Minimum time between any two messages (3 s ≈ 20 a minute for a group). */
  minGapMs?: number;
  /** How long to gather alerts before the first message, so a burst becomes one message. */
  gatherMs?: number;
  /** Messages Telegram may refuse one alert in (the last ones with it alone) before it is given up (default 3). */
  maxAttempts?: number;
  /** After a message really left: its kind and the orders it named. */
  onSent?: (kind: AlertKind, orderIds: string[]) => void;
}

export interface Alerter extends Alerts {
  /** Loads when each kind last went out and sends what is waiting (alerts raised before a crash); nothing goes before. */
  start(): void;
  /** Sends everything waiting now, ignoring gathering, cooldowns and pacing (at shutdown); gives up after `timeoutMs`. */
  flush(options?: { timeoutMs?: number }): Promise<void>;
  stop(): void;
  readonly sentCount: number;
}

/** 3 s between messages: 20 a minute, Telegram's limit for a group. */
export const DEFAULT_MIN_GAP_MS = 3_000;
const MAX_LINES = 5;
const MAX_IDS = 60;
/** A line of an alert is cut here (characters): five of them, 60 order ids and the rest stay far under 4096. */
export const MAX_LINE_CHARS = 300;
/** Sent and given-up alerts are kept this long (the log of what ops were told), then deleted. */
const KEEP_MS = 7 * 86_400_000;

function cut(line: string, max = MAX_LINE_CHARS): string {
  const chars = Array.from(line);
  return chars.length <= max ? line : `${chars.slice(0, max - 1).join("")}…`;
}

/** One message for a kind: its lines (cut to length), the orders it names, what to do. Never over 4096 characters. */
export function formatAlert(kind: string, lines: readonly string[], orderIds: readonly string[]): string {
  const meta = (ALERT_KINDS as Record<string, { title: string; action: string } | undefined>)[kind] ?? { title: kind, action: "See the shop's log." };
  const parts = [`⚠️ <b>${escapeHtml(meta.title)}</b>`];
  parts.push(...lines.slice(0, MAX_LINES).map((line) => `• ${escapeHtml(cut(line))}`));
  if (lines.length > MAX_LINES) parts.push(`• … and ${lines.length - MAX_LINES} more`);
  if (orderIds.length > 0) {
    const shown = orderIds.slice(0, MAX_IDS).map((id) => `<code>${escapeHtml(cut(id, 64))}</code>`).join(", ");
    parts.push(`Orders (${orderIds.length}): ${shown}${orderIds.length > MAX_IDS ? ", …" : ""}`);
  }
  parts.push(`What to do: ${escapeHtml(meta.action)}`);
  const text = parts.join("\n");
  return visibleLength(text) <= MESSAGE_LIMIT ? text : `⚠️ <b>${escapeHtml(meta.title)}</b>\n${orderIds.length} order(s); see the shop's log.\nWhat to do: ${escapeHtml(meta.action)}`;
}

/** What a refusal of an alert message means. */
type Refusal =
  | { kind: "migrated"; to: number }
  | { kind: "rate_limited"; waitMs: number }
  /** The bot cannot post in the ops chat at all: not a member, no rights, the chat is gone. */
  | { kind: "chat" }
  /** Telegram refused this message (a 400 on its content): sending it again as it is changes nothing. */
  | { kind: "message" }
  /** Network, 5xx: try again later. */
  | { kind: "passing" };

const CHAT_REFUSED = /chat not found|not enough rights|have no rights|CHAT_WRITE_FORBIDDEN|bot was kicked|not a member|PEER_ID_INVALID|chat was deactivated|CHAT_RESTRICTED/i;

function classify(error: unknown): { refusal: Refusal; reason: string } {
  const e = error as { error_code?: number; description?: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number }; message?: string };
  const reason = e.description ?? e.message ?? String(error);
  if (typeof e.parameters?.migrate_to_chat_id === "number") return { refusal: { kind: "migrated", to: e.parameters.migrate_to_chat_id }, reason };
  if (e.error_code === 429) return { refusal: { kind: "rate_limited", waitMs: Math.max(1, e.parameters?.retry_after ?? 5) * 1000 }, reason };
  if (e.error_code === 403 || (e.error_code === 400 && CHAT_REFUSED.test(reason))) return { refusal: { kind: "chat" }, reason };
  if (e.error_code === 400) return { refusal: { kind: "message" }, reason };
  return { refusal: { kind: "passing" }, reason };
}

interface Row extends OutboxRow {
  /** Kept in memory only: the database would not take it (it still goes out while the process runs). */
  memory?: true;
}

interface Group {
  kind: AlertKind;
  rows: Row[];
  /** A retry of alerts Telegram refused: sent alone, without the kind's cooldown. */
  alone: boolean;
}

/**
 * The alerter: `raise` writes the alert to the outbox and returns; messages leave in the background. A message
 * is marked sent after Telegram answered: a crash between the two sends it again after the restart (at least
 * once: a repeated alert costs a glance, a lost one costs an order).
 */
export function createAlerter(options: AlerterOptions): Alerter {
  const { db, logger } = options;
  const cooldownOf = (kind: string) => options.cooldownMs ?? COOLDOWNS[kind as AlertKind] ?? 60_000;
  const minGapMs = options.minGapMs ?? DEFAULT_MIN_GAP_MS;
  const gatherMs = options.gatherMs ?? 2_000;
  const maxAttempts = options.maxAttempts ?? 3;
  const now = options.now ?? Date.now;
  const memory: Row[] = [];
  let memoryIds = 0;
  let lastSentAt = new Map<string, number>();
  let lastAnySentAt = -Infinity;
  /** Nothing goes before this (a 429, the chat unreachable, the network down). */
  let pausedUntil = -Infinity;
  let passingFailures = 0;
  /** The trouble last logged, so that a chat that stays unreachable is one log line, not one per try. */
  let trouble: string | undefined;
  let chatId = options.chatId;
  let timer: NodeJS.Timeout | undefined;
  let timerDueAt = Infinity;
  let running: Promise<void> | undefined;
  /** Nothing is sent before start(): a process standing by for the database lease must not send its outbox. */
  let started = false;
  let stopped = false;
  let sentCount = 0;
  let lastPruneAt = -Infinity;

  /** One timer, at the soonest time anything is due: a later kind's cooldown must not hold up an earlier one. */
  function schedule(delay: number): void {
    if (stopped || !started) return;
    const dueAt = now() + Math.max(0, delay);
    if (timer && timerDueAt <= dueAt) return;
    if (timer) clearTimeout(timer);
    timerDueAt = dueAt;
    timer = setTimeout(() => {
      timer = undefined;
      timerDueAt = Infinity;
      void run(false);
    }, Math.max(0, delay));
    timer.unref();
  }

  function rows(): Row[] {
    return [...pendingAlerts(db), ...memory];
  }

  function groupsOf(all: Row[]): Group[] {
    const byKind = new Map<string, Row[]>();
    const groups: Group[] = [];
    for (const row of all) {
      if (row.attempts > 0) groups.push({ kind: row.kind as AlertKind, rows: [row], alone: true });
      else byKind.set(row.kind, [...(byKind.get(row.kind) ?? []), row]);
    }
    for (const [kind, kindRows] of byKind) groups.push({ kind: kind as AlertKind, rows: kindRows, alone: false });
    return groups;
  }

  function dueAt(group: Group): number {
    const paced = Math.max(lastAnySentAt + minGapMs, pausedUntil, ...group.rows.map((row) => row.notBefore ?? -Infinity));
    if (group.alone) return paced;
    const firstAt = Math.min(...group.rows.map((row) => row.raisedAt));
    return Math.max(paced, firstAt + gatherMs, (lastSentAt.get(group.kind) ?? -Infinity) + cooldownOf(group.kind));
  }

  function settle(ids: Row[], update: (dbIds: number[]) => void, inMemory: (row: Row) => void): void {
    const dbIds = ids.filter((row) => !row.memory).map((row) => row.id);
    update(dbIds);
    for (const row of ids.filter((r) => r.memory)) inMemory(row);
  }

  function forget(row: Row): void {
    const index = memory.indexOf(row);
    if (index >= 0) memory.splice(index, 1);
  }

  function note(what: string, fields: Record<string, unknown>, message: string, level: "warn" | "error"): void {
    if (trouble === what) return;
    trouble = what;
    logger[level](fields, message);
  }

  /** Sends one group; "next" to go on with the next group, "wait" when nothing more may go now. */
  async function sendGroup(group: Group): Promise<"next" | "wait"> {
    const orderIds = [...new Set(group.rows.flatMap((row) => (row.orderId ? [row.orderId] : [])))];
    const lines = [...new Set(group.rows.map((row) => row.text))];
    const at = now();
    try {
      await options.send(chatId, formatAlert(group.kind, lines, orderIds), ALERT_BUTTONS[group.kind]);
    } catch (error) {
      return refused(group, error);
    }
    const sentAt = now();
    settle(group.rows, (ids) => markAlertsSent(db, ids, sentAt), forget);
    lastSentAt.set(group.kind, at);
    lastAnySentAt = at;
    passingFailures = 0;
    sentCount += 1;
    if (trouble) {
      logger.info({ chat_id: chatId }, "alerts reach the ops chat again");
      trouble = undefined;
    }
    try {
      options.onSent?.(group.kind, orderIds);
    } catch (error) {
      logger.error({ err: error, kind: group.kind }, "bookkeeping after an alert was sent failed");
    }
    return "next";
  }

  function refused(group: Group, error: unknown): "next" | "wait" {
    const { refusal, reason } = classify(error);
    const at = now();
    switch (refusal.kind) {
      case "migrated":
        logger.error(
          { old_chat_id: chatId, new_chat_id: refusal.to },
          `the ops chat was upgraded to a supergroup and has a new id: set OPS_CHAT_ID=${refusal.to} (alerts go to the new id until the shop restarts)`,
        );
        chatId = refusal.to;
        return "next";
      case "rate_limited":
        pausedUntil = at + refusal.waitMs;
        note("rate_limited", { chat_id: chatId, retry_in_ms: refusal.waitMs }, "Telegram asks the alerts to slow down; they wait", "warn");
        return "wait";
      case "chat":
        pausedUntil = at + 60_000;
        note(
          `chat:${reason}`,
          { chat_id: chatId, reason },
          `the bot cannot post in the ops chat ${chatId} (${reason}): add the bot to the group with the right to post, or fix OPS_CHAT_ID; alerts are kept and sent once it can`,
          "error",
        );
        return "wait";
      case "passing": {
        passingFailures += 1;
        const waitMs = Math.min(5 * 60_000, 5_000 * 2 ** (passingFailures - 1));
        pausedUntil = at + waitMs;
        note("passing", { chat_id: chatId, reason, retry_in_ms: waitMs }, "could not send an alert to the ops chat; it is kept and tried again", "warn");
        return "wait";
      }
      case "message": {
        if (group.rows.length > 1) {
          // One of them (a line Telegram will not take): each is tried alone, so the others still go out.
          logger.warn({ kind: group.kind, alerts: group.rows.length, reason }, "Telegram refused an alert message; its alerts are tried one by one");
          settle(group.rows, (ids) => markAlertsRefused(db, ids, reason, at), (row) => Object.assign(row, { attempts: row.attempts + 1 }));
          return "next";
        }
        const [row] = group.rows as [Row];
        if (row.attempts + 1 >= maxAttempts) {
          logger.error({ kind: row.kind, order_id: row.orderId ?? undefined, text: row.text, reason }, "Telegram refused an alert for good; it is not sent (the other alerts are)");
          settle([row], ([id]) => id !== undefined && giveUpAlert(db, id, reason, at), forget);
          return "next";
        }
        const notBefore = at + 5_000 * 2 ** row.attempts;
        settle([row], (ids) => markAlertsRefused(db, ids, reason, notBefore), (r) => Object.assign(r, { attempts: r.attempts + 1, notBefore }));
        return "next";
      }
    }
  }

  /** Sends what is due (everything waiting when forced), one message at a time. */
  async function pass(force: boolean): Promise<void> {
    for (;;) {
      if (stopped && !force) return;
      let groups: Group[];
      try {
        if (now() - lastPruneAt > 3_600_000) {
          lastPruneAt = now();
          pruneAlerts(db, lastPruneAt - KEEP_MS);
        }
        groups = groupsOf(rows());
      } catch (error) {
        logger.error({ err: error }, "could not read the alert outbox; trying again");
        schedule(5_000);
        return;
      }
      if (groups.length === 0) return;
      const at = now();
      if (force && pausedUntil > at) return;
      let best = groups[0]!;
      let bestDue = Infinity;
      for (const group of groups) {
        const due = force ? Math.max(...group.rows.map((row) => row.notBefore ?? -Infinity)) : dueAt(group);
        if (due < bestDue) [best, bestDue] = [group, due];
      }
      if (bestDue > at) {
        if (!force) schedule(bestDue - at);
        return;
      }
      if ((await sendGroup(best)) === "wait") {
        schedule(pausedUntil - now());
        return;
      }
    }
  }

  /** One pass at a time; a forced one runs after the pass in progress. */
  function run(force: boolean): Promise<void> {
    const previous = running ?? Promise.resolve();
    if (running && !force) return running;
    const next = previous.then(() => pass(force)).finally(() => {
      if (running === next) running = undefined;
    });
    running = next;
    return next;
  }

  return {
    raise(alert) {
      const orderId = alert.orderId ?? null;
      try {
        const recorded = recordAlert(db, { kind: alert.kind, orderId, text: alert.text, condition: CONDITION_KINDS.has(alert.kind), subject: alert.subject ?? null }, now());
        // A condition that keeps holding, or an alert already waiting, is not news: the log hears of it once.
        if (recorded === "inserted") logger.warn({ kind: alert.kind, order_id: alert.orderId, text: alert.text }, "alert");
        else logger.debug({ kind: alert.kind, order_id: alert.orderId, text: alert.text, recorded }, "alert already waiting");
      } catch (error) {
        // The database would not take it: it still goes out while this process runs.
        logger.error({ err: error, kind: alert.kind, order_id: alert.orderId, text: alert.text }, "alert kept in memory only: the outbox could not be written");
        memory.push({ id: --memoryIds, kind: alert.kind, orderId, text: alert.text, raisedAt: now(), attempts: 0, notBefore: null, memory: true });
      }
      schedule(gatherMs);
    },
    start() {
      started = true;
      stopped = false;
      try {
        lastSentAt = lastSentByKind(db);
        lastAnySentAt = Math.max(-Infinity, ...lastSentAt.values());
      } catch (error) {
        logger.error({ err: error }, "could not read when alerts last went out");
      }
      schedule(0);
    },
    async flush(flushOptions = {}) {
      if (!started) return;
      const timeoutMs = flushOptions.timeoutMs ?? 10_000;
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([run(true), new Promise<void>((resolve) => (timeout = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timeout);
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
    get sentCount() {
      return sentCount;
    },
  };
}
