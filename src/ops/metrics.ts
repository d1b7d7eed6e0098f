// Prometheus metrics (prom-client), in a registry of the shop's own so that tests can build several.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Db } from "../db/connection.js";
import { countOrdersByStatus } from "../orders/repository.js";
import { ORDER_STATUSES } from "../db/schema.js";

export interface Metrics {
  registry: Registry;
  supplierLatency: Histogram<"supplier" | "endpoint" | "outcome">;
  paymentToDelivery: Histogram;
  webhooks: Counter<"source" | "outcome">;
  retries: Counter<"step">;
  alertsSent: Counter<"kind">;
  deliveries: Counter<"outcome">;
  failovers: Counter<"supplier" | "reason">;
  stepErrors: Counter<"step">;
  /** How long each Telegram send waited for its slot in the pacer, by lane (bot/pacing.ts). */
  telegramSendWait: Histogram<"lane">;
  emails: Counter<"purpose" | "outcome">;
}

export function createMetrics(db: Db, options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: "shop_process_" });
  new Gauge({
    name: "shop_orders",
    help: "Orders by state",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      const counts = countOrdersByStatus(db);
      for (const state of ORDER_STATUSES) this.set({ state }, counts[state] ?? 0);
    },
  });
  return {
    registry,
    supplierLatency: new Histogram({
      name: "shop_supplier_request_seconds",
      help: "Supplier API response time, by supplier (generic, reloadly), endpoint and outcome",
      labelNames: ["supplier", "endpoint", "outcome"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 30],
      registers: [registry],
    }),
    paymentToDelivery: new Histogram({
      name: "shop_payment_to_delivery_seconds",
      help: "Time from payment to the code sent in Telegram",
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
      registers: [registry],
    }),
    webhooks: new Counter({ name: "shop_webhooks_total", help: "Webhooks received, by source and outcome", labelNames: ["source", "outcome"], registers: [registry] }),
    retries: new Counter({ name: "shop_retries_total", help: "Retries scheduled, by pipeline step", labelNames: ["step"], registers: [registry] }),
    alertsSent: new Counter({ name: "shop_alerts_sent_total", help: "Alerts sent to the ops chat, by kind", labelNames: ["kind"], registers: [registry] }),
    deliveries: new Counter({ name: "shop_deliveries_total", help: "Telegram deliveries, by outcome", labelNames: ["outcome"], registers: [registry] }),
    failovers: new Counter({
      name: "shop_supplier_failovers_total",
      help: "Orders moved from a source to the product's next one, by the supplier left and why",
      labelNames: ["supplier", "reason"],
      registers: [registry],
    }),
    stepErrors: new Counter({ name: "shop_step_errors_total", help: "Unexpected errors in a pipeline step (a bug or the environment), by step", labelNames: ["step"], registers: [registry] }),
    telegramSendWait: new Histogram({
      name: "shop_telegram_send_wait_seconds",
      help: "Time a Telegram send waited for its slot under the shop's pacing, by lane",
      labelNames: ["lane"],
      buckets: [0.001, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    emails: new Counter({
      name: "shop_emails_total",
      help: "Emails, by purpose (delivery, receipt, refund, resend, confirm) and outcome (sent, retry, given_up)",
      labelNames: ["purpose", "outcome"],
      registers: [registry],
    }),
  };
}
