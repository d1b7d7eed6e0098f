// Alerts to the ops chat: grouped by kind, each kind with a cooldown, and paced under Telegram's
// 20 messages a minute for a group. Each says what happened, how many orders, which ones, what to do.
import { escapeHtml } from "../lib/html.js";
import type { Logger } from "../logger.js";

export const ALERT_KINDS = {
  needs_review: { title: "Orders need review", action: "Open /review and choose Retry, Refund or Enter code for each." },
  insufficient_balance: { title: "Supplier balance too low to place orders", action: "Top up the supplier account, then /retry the orders in /review." },
  low_balance: { title: "Supplier balance is running low", action: "Top up the supplier account before orders start failing." },
  slow_supplier: { title: "Supplier is slow", action: "Check the supplier's status page; orders still go through, more slowly." },
  failure_rate: { title: "Order failure rate is high", action: "Look at /review and the supplier's status; consider pausing sales." },
  stuck_orders: { title: "Paid orders undelivered for over 10 minutes", action: "Check /pending; /order <id> shows where each one stopped." },
  webhook_failures: { title: "Webhooks failed to verify or process", action: "Check the signing secrets (STRIPE_WEBHOOK_SECRET, SUPPLIER_WEBHOOK_SECRET) and the logs." },
  delivery_failed: { title: "Codes could not be delivered in Telegram", action: "The customer blocked the bot or deleted the chat; the code is kept. /resend <id> when they come back." },
  refunded: { title: "Orders refunded", action: "Nothing to do unless the count keeps rising." },
  refund_failed: { title: "Refund could not be made", action: "Refund the card payment by hand in the Stripe dashboard, then close the order with /refund <id> manual." },
  stars_refund_failed: { title: "Stars refund could not be made", action: "Try again later with /refund <id>; if Telegram keeps refusing, settle with the customer and close it with /refund <id> manual." },
  stars_payment: { title: "Telegram Stars payment needs attention", action: "Check /order <id>; a second charge is returned automatically, an unmatched one needs a look at the customer's chat." },
  risk_hold: { title: "Orders held by the fraud rules", action: "Open /review: Release the ones you trust, Refund the others (held orders are refunded automatically after RISK_HOLD_AUTO_REFUND_HOURS)." },
  dispute_due: { title: "Dispute evidence due soon", action: "Open /disputes and send the evidence before the due date, or accept the dispute in Stripe." },
  stripe_refund: { title: "Refund made in Stripe", action: "Nothing to do if you refunded on purpose; an order not yet delivered is held and its code is not sent." },
  dispute: { title: "Payment disputed", action: "Answer the dispute in the Stripe dashboard with the delivery log from /order <id>; /disputes lists what is due." },
  payment_mismatch: { title: "Payment does not match its order", action: "Compare the amounts in Stripe and /order <id>, then Retry or Refund." },
  catalog_sync: { title: "Catalog sync from the supplier needs a look", action: "Check the supplier's GET /catalog (and /sync again); the shop kept what it had." },
  customer_back: { title: "Customers came back: undelivered codes sent again", action: "Nothing to do; /order <id> shows the resend." },
} as const;

export type AlertKind = keyof typeof ALERT_KINDS;

/**
 * How long a kind stays quiet after a message. Orders that need a person are news every time: they are
 * only gathered for a short while. A condition (slow supplier, failure rate) is repeated at most every 10 minutes.
 */
export const COOLDOWNS: Record<AlertKind, number> = {
  needs_review: 30_000,
  risk_hold: 30_000,
  dispute_due: 0,
  insufficient_balance: 60_000,
  payment_mismatch: 30_000,
  // Money moving back (refunds, disputes) is news at once: never held back by a cooldown.
  refund_failed: 0,
  stars_refund_failed: 0,
  stars_payment: 0,
  delivery_failed: 60_000,
  dispute: 0,
  stripe_refund: 0,
  refunded: 5 * 60_000,
  stuck_orders: 10 * 60_000,
  low_balance: 30 * 60_000,
  slow_supplier: 10 * 60_000,
  failure_rate: 10 * 60_000,
  webhook_failures: 10 * 60_000,
  catalog_sync: 10 * 60_000,
  customer_back: 60_000,
};

export interface Alert {
  kind: AlertKind;
  /** One line on this occurrence; the message groups them. */
  text: string;
  orderId?: string | undefined;
}

export interface Alerts {
  raise(alert: Alert): void;
}

export interface AlerterOptions {
  send: (text: string) => Promise<void>;
  logger: Logger;
  /** Wall-clock time: pacing is about Telegram's real limits, whatever clock the orders run on. */
  now?: () => number;
  /** Minimum time between two messages of the same kind (default: COOLDOWNS). */
  cooldownMs?: number;
  /** Minimum time between any two messages (3 s ≈ 20 a minute for a group). */
  minGapMs?: number;
  /** How long to gather alerts before the first message, so a burst becomes one message. */
  gatherMs?: number;
  /** After a message really left: its kind and the orders it named. */
  onSent?: (kind: AlertKind, orderIds: string[]) => void;
}

interface Pending {
  lines: string[];
  orderIds: Set<string>;
  count: number;
  firstAt: number;
}

/** 3 s between messages: 20 a minute, Telegram's limit for a group. */
export const DEFAULT_MIN_GAP_MS = 3_000;
const MAX_LINES = 5;
const MAX_IDS = 60;

export function formatAlert(kind: AlertKind, pending: Pending): string {
  const meta = ALERT_KINDS[kind];
  const ids = [...pending.orderIds];
  const parts = [`⚠️ <b>${escapeHtml(meta.title)}</b>`];
  parts.push(...pending.lines.slice(0, MAX_LINES).map((line) => `• ${escapeHtml(line)}`));
  if (pending.lines.length > MAX_LINES) parts.push(`• … and ${pending.lines.length - MAX_LINES} more`);
  if (ids.length > 0) {
    const shown = ids.slice(0, MAX_IDS).map((id) => `<code>${escapeHtml(id)}</code>`).join(", ");
    parts.push(`Orders (${ids.length}): ${shown}${ids.length > MAX_IDS ? ", …" : ""}`);
  }
  parts.push(`What to do: ${escapeHtml(meta.action)}`);
  return parts.join("\n");
}

/** An alerter: `raise` never blocks or throws; messages leave in the background through `send`. */
export function createAlerter(options: AlerterOptions): Alerts & { flush(): Promise<void>; stop(): void; readonly sentCount: number } {
  const cooldownOf = (kind: AlertKind) => options.cooldownMs ?? COOLDOWNS[kind];
  const minGapMs = options.minGapMs ?? DEFAULT_MIN_GAP_MS;
  const gatherMs = options.gatherMs ?? 2_000;
  const now = options.now ?? Date.now;
  const pending = new Map<AlertKind, Pending>();
  const lastSentAt = new Map<AlertKind, number>();
  let lastAnySentAt = -Infinity;
  let timer: NodeJS.Timeout | undefined;
  let sending = false;
  let stopped = false;
  let sentCount = 0;

  let timerDueAt = Infinity;
  /** One timer, at the soonest time anything is due: a later kind's cooldown must not hold up an earlier one. */
  function schedule(delay: number): void {
    if (stopped) return;
    const dueAt = now() + Math.max(0, delay);
    if (timer && timerDueAt <= dueAt) return;
    if (timer) clearTimeout(timer);
    timerDueAt = dueAt;
    timer = setTimeout(() => {
      timer = undefined;
      timerDueAt = Infinity;
      void flush();
    }, Math.max(0, delay));
    timer.unref();
  }

  /** Sends what is due now; returns when done. */
  async function flush(force = false): Promise<void> {
    if (sending) return;
    sending = true;
    try {
      for (const [kind, group] of [...pending.entries()].sort((a, b) => a[1].firstAt - b[1].firstAt)) {
        const at = now();
        const dueAt = Math.max(group.firstAt + gatherMs, (lastSentAt.get(kind) ?? -Infinity) + cooldownOf(kind), lastAnySentAt + minGapMs);
        if (!force && dueAt > at) {
          schedule(dueAt - at);
          continue;
        }
        pending.delete(kind);
        lastSentAt.set(kind, at);
        lastAnySentAt = at;
        try {
          await options.send(formatAlert(kind, group));
          sentCount += 1;
          options.onSent?.(kind, [...group.orderIds]);
        } catch (error) {
          // Not lost: merged back and tried again after a pause (Telegram's retry_after when it gave one).
          const retryAfter = (error as { parameters?: { retry_after?: number } }).parameters?.retry_after;
          options.logger.warn({ err: error, kind }, "could not send an alert to the ops chat; will try again");
          const newer = pending.get(kind);
          if (newer) {
            newer.lines.unshift(...group.lines.filter((line) => !newer.lines.includes(line)));
            for (const id of group.orderIds) newer.orderIds.add(id);
            newer.count += group.count;
            newer.firstAt = group.firstAt;
          } else pending.set(kind, group);
          lastSentAt.delete(kind);
          lastAnySentAt = now() + Math.max(retryAfter ?? 0, 5) * 1000 - minGapMs;
          if (!stopped) schedule(minGapMs + Math.max(retryAfter ?? 0, 5) * 1000);
          break;
        }
      }
    } finally {
      sending = false;
    }
  }

  return {
    raise(alert) {
      options.logger.warn({ kind: alert.kind, order_id: alert.orderId, text: alert.text }, "alert");
      if (stopped) return;
      const group = pending.get(alert.kind) ?? { lines: [], orderIds: new Set<string>(), count: 0, firstAt: now() };
      group.count += 1;
      if (!group.lines.includes(alert.text)) group.lines.push(alert.text);
      if (alert.orderId) group.orderIds.add(alert.orderId);
      pending.set(alert.kind, group);
      schedule(gatherMs);
    },
    flush: () => flush(true),
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    get sentCount() {
      return sentCount;
    },
  };
}
