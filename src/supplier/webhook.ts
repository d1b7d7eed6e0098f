// POST /webhooks/supplier: HMAC-SHA256 over "<t>.<raw body>" (X-Supplier-Signature: t=…,v1=…, 300 s
// tolerance), recorded once by event id (never its body, which carries codes), answered at once. The event is
// only a hint: the worker re-fetches the order from the supplier (supplier-events.ts).
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Db } from "../db/connection.js";
import type { Logger } from "../logger.js";
import type { WebhookAnswer } from "../payments/stripe-webhook.js";
import { supplierWebhookSchema } from "./types.js";

export const SUPPLIER_SIGNATURE_TOLERANCE_S = 300;

export function signSupplierPayload(secret: string, timestamp: number, rawBody: string | Buffer): string {
  return createHmac("sha256", secret).update(`${timestamp}.`).update(rawBody).digest("hex");
}

/** Checks an X-Supplier-Signature header; returns the reason it fails, or null when it holds. */
export function verifySupplierSignature(header: string | undefined, rawBody: Buffer, secret: string, nowMs: number): string | null {
  if (!header) return "no X-Supplier-Signature header";
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const [key, value] = part.trim().split("=", 2);
    if (key === "t" && value && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === "v1" && value && /^[0-9a-f]{64}$/i.test(value)) signatures.push(value.toLowerCase());
  }
  if (timestamp === undefined || signatures.length === 0) return "malformed signature header";
  if (Math.abs(nowMs / 1000 - timestamp) > SUPPLIER_SIGNATURE_TOLERANCE_S) return "timestamp outside the 300-second tolerance";
  const expected = Buffer.from(signSupplierPayload(secret, timestamp, rawBody), "hex");
  const ok = signatures.some((signature) => timingSafeEqual(Buffer.from(signature, "hex"), expected));
  return ok ? null : "signature does not match";
}

export interface SupplierWebhookDeps {
  db: Db;
  webhookSecret: string;
  logger: Logger;
  now: () => number;
  onStored: () => void;
  onOutcome?: (outcome: "stored" | "duplicate" | "bad_signature" | "malformed") => void;
}

export function createSupplierWebhookHandler(deps: SupplierWebhookDeps) {
  const insert = deps.db.$client.prepare(
    `INSERT INTO supplier_events (id, type, supplier_order_id, reference, status, received_at)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
  );
  return (rawBody: Buffer, headers: { signature?: string | undefined; eventId?: string | undefined }): WebhookAnswer => {
    const failure = verifySupplierSignature(headers.signature, rawBody, deps.webhookSecret, deps.now());
    if (failure) {
      deps.logger.warn({ reason: failure }, "supplier webhook rejected");
      deps.onOutcome?.("bad_signature");
      return { status: 400, body: { error: failure } };
    }
    let parsed;
    try {
      parsed = supplierWebhookSchema.safeParse(JSON.parse(rawBody.toString("utf8")));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      deps.onOutcome?.("malformed");
      return { status: 400, body: { error: "the body is not a supplier event" } };
    }
    const event = parsed.data;
    if (headers.eventId !== undefined && headers.eventId !== event.id) {
      deps.onOutcome?.("malformed");
      return { status: 400, body: { error: "X-Supplier-Event-Id does not match the body" } };
    }
    const order = event.data.order;
    // Only what the shop needs: the body carries codes and PINs, and the worker re-fetches the order anyway.
    const stored = insert.run(event.id, event.type, order.order_id, order.reference, order.status, deps.now()).changes > 0;
    deps.onOutcome?.(stored ? "stored" : "duplicate");
    if (stored) deps.onStored();
    return { status: 200, body: { received: true, duplicate: !stored } };
  };
}
