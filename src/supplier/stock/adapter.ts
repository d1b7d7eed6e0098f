// The shop's own stock as a pipeline adapter: placing an order reserves codes for the attempt's reference
// in one transaction (so a replay or a restart finds the same codes), and an empty pool is a refusal that
// nothing was created: the pipeline moves on to the next source.
import type { StockSource } from "../sources.js";
import { SupplierError, type AttemptRequest, type SupplierAdapter, type SupplierOrder } from "../types.js";
import { findReserved, reserveStock, type ReservedCode, type StockDeps } from "./store.js";

export function stockPool(source: StockSource, productSku: string): string {
  return source.sku ?? productSku;
}

export function createStockAdapter(deps: StockDeps): SupplierAdapter {
  function answer(request: AttemptRequest, codes: ReservedCode[]): SupplierOrder {
    const stamp = new Date(deps.now()).toISOString();
    return {
      order_id: `STOCK-${request.reference}`,
      reference: request.reference,
      sku: request.sku,
      quantity: codes.length,
      status: "completed",
      items: codes.map((code) => ({ code: code.code, pin: code.pin, serial: null, instructions: null, expires_at: code.expiresOn })),
      confirmation: null,
      error: null,
      // What the codes cost was paid when they were bought; the stock records no cost per sale.
      cost: null,
      created_at: stamp,
      updated_at: stamp,
    };
  }

  function poolOf(request: AttemptRequest): string {
    if (request.source.supplier !== "stock") throw new SupplierError("fatal", "wrong_source", `a ${request.source.supplier} source was sent to the stock`);
    if (request.kind !== "code") throw new SupplierError("fatal", "not_a_code", "the stock holds codes; a top-up cannot come from it");
    return stockPool(request.source, request.sku);
  }

  return {
    name: "stock",
    skuOf: (request) => request.sku,
    async placeOrder(request) {
      const pool = poolOf(request);
      const codes = reserveStock(deps, { pool, reference: request.reference, orderId: request.orderId, quantity: request.quantity });
      if (!codes) throw new SupplierError("rejected", "out_of_stock", `the stock of ${pool} has fewer than ${request.quantity} unexpired code(s)`);
      return answer(request, codes);
    },
    async findOrder(lookup) {
      poolOf(lookup);
      const codes = findReserved(deps, lookup.reference);
      return codes.length > 0 ? answer(lookup, codes) : null;
    },
    async getBalances() {
      return [];
    },
  };
}
