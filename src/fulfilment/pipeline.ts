// What every step of the pipeline works with, passed in by the composition root (app.ts), and the retry schedule.
import type { Api } from "grammy";
import type { Db } from "../db/connection.js";
import type { Sealer } from "../lib/crypto.js";
import type { Logger } from "../logger.js";
import type { Alerts } from "../ops/alerts.js";
import type { PaymentProviders } from "../payments/providers.js";
import type { NotifyCustomer } from "../customers/notify.js";
import type { RiskSettings } from "../risk/rules.js";
import type { SupplierRegistry } from "../supplier/types.js";
import type { Translate } from "../bot/i18n.js";
import type { Metrics } from "../ops/metrics.js";
import { updateOrderFields } from "../orders/repository.js";
import type { OrderRow } from "../orders/state-machine.js";
import type { EmailChannel } from "./email-orders.js";

export interface PipelineSettings {
  /** Attempts of a supplier order before review (3 by default). */
  maxAttempts: number;
  /** First backoff; each attempt doubles it, with jitter. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Fallback polling of a pending supplier order: every interval, for the window, then review. */
  pollIntervalMs: number;
  pollWindowMs: number;
  /** Tell the customer "on its way" when the code is not there this long after payment. */
  slowNoticeMs: number;
  /** Attempts to send a delivery that fails for a passing reason (network, 5xx, a long 429) before `delivery_failed`. */
  deliveryMaxAttempts: number;
  /** Attempts of a step that keeps failing unexpectedly (a bug, the database, the key) before the order goes to review. */
  maxStepErrors: number;
}

export const DEFAULT_PIPELINE_SETTINGS: PipelineSettings = {
  maxAttempts: 3,
  backoffBaseMs: 2_000,
  backoffMaxMs: 5 * 60_000,
  pollIntervalMs: 2 * 60_000,
  pollWindowMs: 10 * 60_000,
  slowNoticeMs: 15_000,
  deliveryMaxAttempts: 5,
  maxStepErrors: 5,
};

export interface PipelineDeps {
  db: Db;
  logger: Logger;
  now: () => number;
  random: () => number;
  /** The configured suppliers by name; each order's product says which it uses, in which order. */
  suppliers: SupplierRegistry;
  /** Refunds at the provider an order was paid with; what Stripe knows of the card. */
  payments: PaymentProviders;
  api: Api;
  t: Translate;
  alerts: Alerts;
  sealer: Sealer;
  metrics: Metrics;
  notify: NotifyCustomer;
  /** The fraud rules' settings (RISK_* in config.ts). */
  risk: RiskSettings;
  supportContact: string;
  settings: PipelineSettings;
  /** Email, the backup channel (EMAIL_DELIVERY): fallback when Telegram cannot deliver, receipts when always. */
  email: EmailChannel;
}

/**
 * Schedules the next attempt of an order's current step: one more attempt counted, the last error kept,
 * `next_attempt_at` after the backoff. Every step (supplier, delivery, refund) retries through this.
 */
export function scheduleRetry(
  deps: Pick<PipelineDeps, "db" | "now" | "random" | "settings" | "metrics">,
  order: Pick<OrderRow, "id" | "status" | "attempts">,
  step: "risk" | "supplier" | "delivery" | "refund",
  lastError: string,
  retryAfterMs?: number,
): void {
  const attempt = order.attempts + 1;
  deps.metrics.retries.inc({ step });
  const now = deps.now();
  updateOrderFields(deps.db, order.id, order.status, { attempts: attempt, lastError, nextAttemptAt: now + backoffDelay(deps.settings, attempt, deps.random, retryAfterMs) }, now);
}

/** Exponential backoff with jitter, never shorter than what the other side asked for. */
export function backoffDelay(settings: PipelineSettings, attempt: number, random: () => number, retryAfterMs?: number): number {
  const exponential = Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** Math.max(0, attempt - 1));
  const jittered = exponential * (0.5 + random() * 0.5);
  return Math.round(Math.max(jittered, retryAfterMs ?? 0));
}
