// The generic supplier (supplier-api.md) as a pipeline adapter: its HTTP client already speaks the shop's
// order shape; this adds the source's SKU and the look-up by the attempt's reference.
import type { Supplier, SupplierAdapter } from "./types.js";

export function createGenericAdapter(client: Supplier): SupplierAdapter {
  const skuOf = (source: { supplier: string; sku?: string | undefined }, productSku: string) =>
    source.supplier === "generic" && source.sku ? source.sku : productSku;
  return {
    name: "generic",
    async placeOrder(request) {
      return client.placeOrder({ sku: skuOf(request.source, request.sku), quantity: request.quantity, reference: request.reference, recipient: request.recipient });
    },
    async findOrder(lookup) {
      return lookup.supplierOrderId ? client.getOrder(lookup.supplierOrderId) : client.findOrderByReference(lookup.reference);
    },
    async getBalances() {
      return [{ ...(await client.getBalance()), account: "generic" }];
    },
    skuOf: (request) => skuOf(request.source, request.sku),
  };
}
