// POST /webhooks/stripe: verify the signature on the raw body, store the event once by its id, answer.
// The work happens in the worker (stripe-events.ts), never in the request.
import type Stripe from "stripe";
import type { Db } from "../db/connection.js";
import type { Logger } from "../logger.js";
import { HANDLED_TYPES } from "./stripe-events.js";

export interface StripeWebhookDeps {
  db: Db;
  stripe: Stripe;
  webhookSecret: string;
  logger: Logger;
  now: () => number;
  /** Tells the worker there is something to do. */
  onStored: () => void;
  onOutcome?: (outcome: "stored" | "duplicate" | "bad_signature") => void;
}

export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
}

export function createStripeWebhookHandler(deps: StripeWebhookDeps): (rawBody: Buffer, signature: string | undefined) => WebhookAnswer {
  // A prepared statement, not the query builder: this runs once per event on the hot path.
  const insert = deps.db.$client.prepare(
    "INSERT INTO stripe_events (id, type, order_id, payment_intent_id, payload, received_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING",
  );
  // A type the shop does not act on (an endpoint may be sent every type) is recorded as processed at once: its id
  // still answers a duplicate, and the worker is not woken for nothing.
  const insertIgnored = deps.db.$client.prepare(
    "INSERT INTO stripe_events (id, type, order_id, payment_intent_id, payload, received_at, processed_at, outcome) VALUES (?, ?, ?, ?, '', ?, ?, 'ignored') ON CONFLICT(id) DO NOTHING",
  );
  return (rawBody, signature) => {
    let event: Stripe.Event;
    try {
      if (!signature) throw new Error("no Stripe-Signature header");
      event = deps.stripe.webhooks.constructEvent(rawBody, signature, deps.webhookSecret);
    } catch (error) {
      deps.logger.warn({ reason: (error as Error).message }, "stripe webhook rejected: signature did not verify");
      deps.onOutcome?.("bad_signature");
      return { status: 400, body: { error: "signature verification failed" } };
    }
    const object = event.data.object as { client_reference_id?: string | null; metadata?: Record<string, string> | null; payment_intent?: unknown };
    const orderId = object.client_reference_id ?? object.metadata?.order_id ?? null;
    const paymentIntent = typeof object.payment_intent === "string" ? object.payment_intent : ((object.payment_intent as { id?: string } | null)?.id ?? null);
    const now = deps.now();
    const handled = HANDLED_TYPES.has(event.type);
    const stored = (handled ? insert.run(event.id, event.type, orderId, paymentIntent, rawBody.toString("utf8"), now) : insertIgnored.run(event.id, event.type, orderId, paymentIntent, now, now)).changes > 0;
    deps.onOutcome?.(stored ? "stored" : "duplicate");
    if (stored && handled) deps.onStored();
    return { status: 200, body: { received: true, duplicate: !stored } };
  };
}
