// Builds the configured suppliers (the generic HTTP supplier, Reloadly, the shop's own stock) as adapters by
// name. The composition root calls it once; the pipeline, the monitors and /balance read the registry.
import { createGenericAdapter } from "./generic-adapter.js";
import { createHttpSupplier, type SupplierCallObservation } from "./http-client.js";
import { createReloadlyAdapter, type ReloadlyAdapter } from "./reloadly/adapter.js";
import { createReloadlyClient, type ReloadlyApi } from "./reloadly/client.js";
import type { SupplierName } from "./sources.js";
import { createStockAdapter } from "./stock/adapter.js";
import type { StockDeps } from "./stock/store.js";
import type { Supplier, SupplierAdapter, SupplierRegistry } from "./types.js";

export interface SupplierSettings {
  timeoutMs: number;
  generic?: { baseUrl: string; apiKey: string } | undefined;
  reloadly?:
    | { clientId: string; clientSecret: string; authUrl: string; giftcardsUrl: string; topupsUrl: string; senderName: string; balanceFrom: ReloadlyApi }
    | undefined;
  stock: StockDeps;
  /** After every supplier request: latency metrics and the slow-supplier alert. */
  observe?: (supplier: SupplierName, observation: SupplierCallObservation) => void;
  now?: () => number;
}

export interface Suppliers {
  registry: SupplierRegistry;
  /** The generic supplier's client, when configured (its catalog sync reads GET /catalog). */
  generic: Supplier | undefined;
  reloadly: ReloadlyAdapter | undefined;
}

export function createSuppliers(settings: SupplierSettings): Suppliers {
  const registry = new Map<SupplierName, SupplierAdapter>();
  const observer = (name: SupplierName) => (observation: SupplierCallObservation) => settings.observe?.(name, observation);
  let generic: Supplier | undefined;
  if (settings.generic) {
    generic = createHttpSupplier({ ...settings.generic, timeoutMs: settings.timeoutMs, observe: observer("generic") });
    registry.set("generic", createGenericAdapter(generic));
  }
  let reloadly: ReloadlyAdapter | undefined;
  if (settings.reloadly) {
    const { senderName, balanceFrom, ...connection } = settings.reloadly;
    const client = createReloadlyClient({ ...connection, timeoutMs: settings.timeoutMs, observe: observer("reloadly"), ...(settings.now ? { now: settings.now } : {}) });
    reloadly = createReloadlyAdapter(client, { senderName, balanceFrom });
    registry.set("reloadly", reloadly);
  }
  registry.set("stock", createStockAdapter(settings.stock));
  return { registry, generic, reloadly };
}
