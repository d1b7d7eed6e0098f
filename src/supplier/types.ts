// The supplier contract (supplier-api.md) as zod schemas, the generic client's interface, and the adapter
// interface every supplier implements for the pipeline (docs/SUPPLIERS.md).
import { z } from "zod";
import type { Money } from "../lib/money.js";
import type { ProductSource, SupplierName } from "./sources.js";

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
 * How a failed call should be treated, and so whether the pipeline may move on to the product's next source
 * (docs/SUPPLIERS.md, "Errors"):
 * - `rejected`: refused before accepting, for this order (out of stock, recipient refused): nothing exists
 *   there and nothing will. The next source may be tried at once; without one the order fails and is refunded.
 * - `insufficient_balance`: refused before accepting; the account cannot pay. Ops are alerted; the next source
 *   may be tried at once; without one the order waits in review for a top-up.
 * - `fatal`: refused before accepting because our side is wrong (bad key, unknown product, invalid price):
 *   a person must fix it. The next source may be tried at once; without one the order goes to review.
 * - `retryable`: a passing failure (429, 5xx on a read): try the same source again after a backoff.
 * - `ambiguous`: the order may exist (timeout, reset connection, 5xx after sending): look it up by the
 *   attempt's reference before placing again, and before ever moving to another source.
 */
export type SupplierErrorKind = "retryable" | "ambiguous" | "insufficient_balance" | "rejected" | "fatal";

/** Kinds that prove nothing was created: moving to the next source is safe at once. */
export const NOTHING_CREATED: ReadonlySet<SupplierErrorKind> = new Set(["rejected", "insufficient_balance", "fatal"]);

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

/** The generic supplier's HTTP client (supplier-api.md); the pipeline reaches it through its adapter. */
export interface Supplier {
  placeOrder(request: PlaceOrderRequest): Promise<SupplierOrder>;
  getOrder(supplierOrderId: string): Promise<SupplierOrder>;
  /** The order placed with this reference, or null when the supplier has none. */
  findOrderByReference(reference: string): Promise<SupplierOrder | null>;
  getBalance(): Promise<Money>;
  getCatalog(): Promise<SupplierCatalogProduct[]>;
}

/** One attempt of one shop order at one source: what an adapter needs to place it and to find it again. */
export interface AttemptRequest {
  /**
   * Unique per attempt that may create an order at a supplier: the order id for the first source, a suffix for
   * a later one (lib/ids.ts attemptReference). It is the supplier's idempotency handle and the look-up key.
   */
  reference: string;
  /** The shop's order id (logs; the stock binds reserved codes to it). */
  orderId: string;
  /** The shop's product sku (the default generic SKU and stock pool). */
  sku: string;
  kind: "code" | "topup";
  quantity: number;
  /** Phone number, player id or e-mail of a top-up; null for codes. */
  recipient: string | null;
  /** The catalog source this attempt uses (the adapter reads its own fields). */
  source: ProductSource;
}

export interface AttemptLookup extends AttemptRequest {
  /** The supplier's id for the order once an answer carried it: an exact look-up. */
  supplierOrderId: string | null;
}

/** A balance of one supplier account, for /balance and the low-balance monitor. */
export interface SupplierBalance extends Money {
  /** Which account: "generic", "reloadly". */
  account: string;
}

/**
 * A supplier as the pipeline sees it. Every adapter answers in one shape (SupplierOrder: completed with items or
 * a confirmation, pending, or failed) and fails with a SupplierError whose kind says whether anything may have
 * been created. Guarantees each adapter keeps (the contract suite in test/supplier/contract.test.ts checks them):
 * - placeOrder with a reference already used returns that order, never a second one;
 * - findOrder returns null only when the supplier proves there is no order under the reference;
 * - a `completed` answer carries everything delivery needs (codes and PINs, or the top-up confirmation);
 * - no code, PIN or secret is ever logged.
 */
export interface SupplierAdapter {
  readonly name: SupplierName;
  placeOrder(request: AttemptRequest): Promise<SupplierOrder>;
  /** The order placed under this attempt's reference, as the supplier holds it now; null when there is none. */
  findOrder(lookup: AttemptLookup): Promise<SupplierOrder | null>;
  /** The account's balances, one per currency; none for the shop's own stock. */
  getBalances(): Promise<SupplierBalance[]>;
  /** The sku this supplier's answers carry for the attempt (checked against every answer before it is trusted). */
  skuOf(request: AttemptRequest): string;
}

/** The configured suppliers, by name. "stock" is always there: it is the shop's own database. */
export type SupplierRegistry = ReadonlyMap<SupplierName, SupplierAdapter>;
