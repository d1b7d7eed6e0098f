// The supplier contract (supplier-api.md) as zod schemas and the interface every supplier implements.
import { z } from "zod";
import type { Money } from "../lib/money.js";

export const moneySchema = z.object({ amount: z.number().int(), currency: z.string().min(3).max(8) });

export const supplierItemSchema = z.object({
  code: z.string().nullable(),
  pin: z.string().nullable().optional(),
  serial: z.string().nullable().optional(),
  instructions: z.string().nullable().optional(),
  expires_at: z.string().nullable().optional(),
});

export const supplierOrderSchema = z.object({
  order_id: z.string().min(1),
  reference: z.string().min(1),
  sku: z.string(),
  quantity: z.number().int(),
  status: z.enum(["completed", "pending", "failed"]),
  items: z.array(supplierItemSchema).default([]),
  confirmation: z.record(z.string(), z.unknown()).nullable().optional(),
  error: z.object({ code: z.string(), message: z.string().optional() }).nullable().optional(),
  cost: moneySchema.nullable().optional(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
});
export type SupplierOrder = z.infer<typeof supplierOrderSchema>;

export const supplierErrorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string().optional(), retryable: z.boolean().optional() }),
});

export const supplierCatalogProductSchema = z.object({
  sku: z.string(),
  name: z.string(),
  kind: z.enum(["code", "topup"]),
  face_value: moneySchema,
  cost: moneySchema,
  requires_pin: z.boolean(),
  in_stock: z.boolean(),
  instructions: z.string().optional(),
  recipient: z.object({ type: z.enum(["phone", "player_id", "email"]), pattern: z.string() }).nullable().optional(),
});
export type SupplierCatalogProduct = z.infer<typeof supplierCatalogProductSchema>;

export const supplierWebhookSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.enum(["order.completed", "order.failed", "order.updated"]),
  created_at: z.string().optional(),
  data: z.object({ order: supplierOrderSchema }),
});
export type SupplierWebhookEvent = z.infer<typeof supplierWebhookSchema>;

/**
 * How a failed call should be treated:
 * - `retryable`: nothing was created; try again after a backoff (5xx, 429, `unavailable`);
 * - `ambiguous`: the order may exist (timeout, reset connection); look it up by reference first;
 * - `insufficient_balance`: the account cannot pay; alert ops, wait for a person;
 * - `rejected`: the supplier will not sell this order (out of stock, recipient refused): refund;
 * - `fatal`: our side is wrong (bad key, unknown SKU, bad request): a person must fix it.
 */
export type SupplierErrorKind = "retryable" | "ambiguous" | "insufficient_balance" | "rejected" | "fatal";

export class SupplierError extends Error {
  override readonly name = "SupplierError";
  constructor(
    readonly kind: SupplierErrorKind,
    readonly code: string,
    message: string,
    readonly httpStatus?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const CODE_KINDS: Record<string, SupplierErrorKind> = {
  invalid_request: "fatal",
  unauthorized: "fatal",
  insufficient_balance: "insufficient_balance",
  invalid_sku: "fatal",
  not_found: "fatal",
  out_of_stock: "rejected",
  invalid_recipient: "rejected",
  rate_limited: "retryable",
  internal: "retryable",
  unavailable: "retryable",
};

/** Classifies by the error code first (a balance error may come as a 500), then by the HTTP status. */
export function classifySupplierError(status: number, code: string | undefined): SupplierErrorKind {
  const byCode = code ? CODE_KINDS[code] : undefined;
  if (byCode) return byCode;
  if (status === 429 || status >= 500) return "retryable";
  return "fatal";
}

export interface PlaceOrderRequest {
  sku: string;
  quantity: number;
  reference: string;
  recipient: string | null;
}

/** A supplier of codes and top-ups. A second supplier is a second implementation of this. */
export interface Supplier {
  placeOrder(request: PlaceOrderRequest): Promise<SupplierOrder>;
  getOrder(supplierOrderId: string): Promise<SupplierOrder>;
  /** The order placed with this reference, or null when the supplier has none. */
  findOrderByReference(reference: string): Promise<SupplierOrder | null>;
  getBalance(): Promise<Money>;
  getCatalog(): Promise<SupplierCatalogProduct[]>;
}
