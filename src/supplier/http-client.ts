// The generic supplier client over HTTP (ky): Bearer auth, Idempotency-Key, a timeout, zod-parsed
// answers and errors classified by their code. One attempt per call: the worker owns retries and
// keeps their schedule on the order row, so a restart continues it.
import ky, { HTTPError, TimeoutError, type KyInstance } from "ky";
import { z } from "zod";
import type { Money } from "../lib/money.js";
import {
  classifySupplierError,
  moneySchema,
  SupplierError,
  supplierCatalogProductSchema,
  supplierErrorBodySchema,
  supplierOrderSchema,
  type PlaceOrderRequest,
  type Supplier,
  type SupplierCatalogProduct,
  type SupplierOrder,
} from "./types.js";

const balanceSchema = z.object({ balance: moneySchema });
const catalogSchema = z.object({ products: supplierCatalogProductSchema.array() });

export interface SupplierCallObservation {
  endpoint: "place_order" | "get_order" | "find_order" | "balance" | "catalog" | "auth" | "cards" | "operator";
  durationMs: number;
  outcome: "ok" | "error";
}

export interface HttpSupplierOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  /** Called after every request, for latency metrics and the slow-supplier alert. */
  observe?: (observation: SupplierCallObservation) => void;
  fetch?: typeof fetch;
}

export function createHttpSupplier(options: HttpSupplierOptions): Supplier {
  const http: KyInstance = ky.create({
    prefixUrl: options.baseUrl,
    timeout: options.timeoutMs,
    retry: 0,
    headers: { authorization: `Bearer ${options.apiKey}`, accept: "application/json" },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  async function call<T>(
    endpoint: SupplierCallObservation["endpoint"],
    schema: z.ZodType<T>,
    send: () => Promise<Response>,
    { ambiguousOnNetworkError }: { ambiguousOnNetworkError: boolean },
  ): Promise<T> {
    const started = performance.now();
    let outcome: SupplierCallObservation["outcome"] = "error";
    try {
      const response = await send();
      const body: unknown = await response.json().catch(() => undefined);
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        throw new SupplierError("retryable", "bad_response", `supplier answered ${endpoint} with an unexpected body`, response.status);
      }
      outcome = "ok";
      return parsed.data;
    } catch (error) {
      throw await toSupplierError(error, ambiguousOnNetworkError);
    } finally {
      options.observe?.({ endpoint, durationMs: performance.now() - started, outcome });
    }
  }

  return {
    placeOrder(request: PlaceOrderRequest) {
      return call(
        "place_order",
        supplierOrderSchema,
        () => http.post("orders", { json: request, headers: { "idempotency-key": request.reference } }),
        { ambiguousOnNetworkError: true },
      );
    },
    getOrder(supplierOrderId: string) {
      return call("get_order", supplierOrderSchema, () => http.get(`orders/${encodeURIComponent(supplierOrderId)}`), {
        ambiguousOnNetworkError: false,
      });
    },
    async findOrderByReference(reference: string): Promise<SupplierOrder | null> {
      try {
        return await call("find_order", supplierOrderSchema, () => http.get("orders", { searchParams: { reference } }), {
          ambiguousOnNetworkError: false,
        });
      } catch (error) {
        if (error instanceof SupplierError && error.code === "not_found") return null;
        throw error;
      }
    },
    async getBalance(): Promise<Money> {
      const { balance } = await call("balance", balanceSchema, () => http.get("balance"), { ambiguousOnNetworkError: false });
      return balance;
    },
    async getCatalog(): Promise<SupplierCatalogProduct[]> {
      const { products } = await call("catalog", catalogSchema, () => http.get("catalog"), { ambiguousOnNetworkError: false });
      return products;
    },
  };
}

async function toSupplierError(error: unknown, ambiguousOnNetworkError: boolean): Promise<SupplierError> {
  if (error instanceof SupplierError) return error;
  if (error instanceof HTTPError) {
    const status = error.response.status;
    const body = supplierErrorBodySchema.safeParse(await error.response.json().catch(() => undefined));
    const code = body.success ? body.data.error.code : undefined;
    const retryAfter = Number(error.response.headers.get("retry-after"));
    return new SupplierError(
      classifySupplierError(status, code),
      code ?? `http_${status}`,
      body.success ? (body.data.error.message ?? code ?? `HTTP ${status}`) : `HTTP ${status}`,
      status,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
    );
  }
  if (error instanceof TimeoutError) {
    return new SupplierError(ambiguousOnNetworkError ? "ambiguous" : "retryable", "timeout", "the supplier did not answer in time");
  }
  const message = error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ""}` : String(error);
  return new SupplierError(ambiguousOnNetworkError ? "ambiguous" : "retryable", "network", `connection to the supplier failed (${message})`);
}
