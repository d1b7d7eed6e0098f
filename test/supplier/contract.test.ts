// One contract every supplier adapter keeps (docs/SUPPLIERS.md), run against each one's simulator over real
// HTTP (the generic supplier, Reloadly gift cards, Reloadly airtime) and against a real SQLite file (the stock):
// happy path, pending, failure, an ambiguous timeout settled by a look-up, a duplicate reference, the balance.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/connection.js";
import { createCodeCipher, createCodeFingerprinter } from "../../src/lib/crypto.js";
import { createGenericAdapter } from "../../src/supplier/generic-adapter.js";
import { createHttpSupplier } from "../../src/supplier/http-client.js";
import { createReloadlyAdapter } from "../../src/supplier/reloadly/adapter.js";
import { createReloadlyClient } from "../../src/supplier/reloadly/client.js";
import { startReloadlySimulator, type ReloadlyBehaviourInput, type ReloadlySimulator } from "../../src/supplier/reloadly/simulator.js";
import { startSupplierSimulator, type SimBehaviourInput } from "../../src/supplier/simulator.js";
import { createStockAdapter } from "../../src/supplier/stock/adapter.js";
import { parseStockFile } from "../../src/supplier/stock/parse.js";
import { importStock } from "../../src/supplier/stock/store.js";
import { NOTHING_CREATED, SupplierError, type AttemptRequest, type SupplierAdapter, type SupplierBalance, type SupplierOrder } from "../../src/supplier/types.js";

type Scenario = "instant" | "pending" | "failed" | "timeout" | "no_balance";

interface Fixture {
  adapter: SupplierAdapter;
  request(reference: string): AttemptRequest;
  /** Makes the next orders end this way; false when the supplier has no such thing (the stock never pends). */
  arrange(scenario: Scenario): boolean;
  /** The supplier finishes what it has pending. */
  settle(): void;
  /** Orders the supplier created under this reference. */
  created(reference: string): number;
  balances(): SupplierBalance[];
  close(): Promise<void>;
}

const TIMEOUT_MS = 300;
let counter = 0;
const reference = () => `ORD-CONTR${String(counter++).padStart(3, "0")}`;

async function genericFixture(): Promise<Fixture> {
  const sim = await startSupplierSimulator({ apiKey: "contract-key", webhookSecret: "contract-secret-0123456789", balance: { amount: 100_000_00, currency: "USD" } });
  const adapter = createGenericAdapter(createHttpSupplier({ baseUrl: sim.url, apiKey: "contract-key", timeoutMs: TIMEOUT_MS }));
  const behaviours: Record<Scenario, SimBehaviourInput> = {
    instant: { outcome: "complete" },
    pending: { outcome: "pending", webhook: "none" },
    failed: { outcome: "fail", code: "operator_rejected" },
    timeout: { outcome: "hang", hangMs: 1_500 },
    no_balance: { outcome: "error", status: 402, code: "insufficient_balance" },
  };
  return {
    adapter,
    request: (ref) => ({ reference: ref, orderId: ref, sku: "steam-20-usd", kind: "code", quantity: 2, recipient: null, source: { supplier: "generic" } }),
    arrange: (scenario) => (sim.setBehaviour("steam-20-usd", behaviours[scenario]), true),
    settle: () => sim.resolvePending(),
    created: (ref) => sim.createdByReference.get(ref) ?? 0,
    balances: () => [{ account: "generic", ...sim.balance }],
    close: () => sim.close(),
  };
}

const RELOADLY_BEHAVIOURS: Record<Scenario, ReloadlyBehaviourInput> = {
  instant: { outcome: "instant" },
  pending: { outcome: "processing" },
  failed: { outcome: "failed" },
  timeout: { outcome: "timeout_after_create", hangMs: 1_500 },
  no_balance: { outcome: "insufficient_balance" },
};

async function reloadlyFixture(kind: "code" | "topup"): Promise<Fixture> {
  const sim: ReloadlySimulator = await startReloadlySimulator({ clientId: "contract", clientSecret: "contract-secret" });
  const client = createReloadlyClient({ clientId: "contract", clientSecret: "contract-secret", authUrl: sim.authUrl, giftcardsUrl: sim.giftcardsUrl, topupsUrl: sim.topupsUrl, timeoutMs: TIMEOUT_MS });
  const adapter = createReloadlyAdapter(client, { senderName: "Contract Shop", balanceFrom: kind === "code" ? "giftcards" : "topups" });
  const request = (ref: string): AttemptRequest =>
    kind === "code"
      ? { reference: ref, orderId: ref, sku: "amazon-us-25", kind, quantity: 2, recipient: null, source: { supplier: "reloadly", product_id: 5, unit_price: 25 } }
      : { reference: ref, orderId: ref, sku: "airtime-ht-10-usd", kind, quantity: 1, recipient: "+50936377111", source: { supplier: "reloadly", operator_id: 173, amount: 10, use_local_amount: false } };
  return {
    adapter,
    request,
    arrange: (scenario) => (kind === "code" ? sim.setBehaviour("giftcards", 5, RELOADLY_BEHAVIOURS[scenario]) : sim.setBehaviour("topups", 173, RELOADLY_BEHAVIOURS[scenario]), true),
    settle: () => sim.settleAll(),
    created: (ref) => sim.createdByIdentifier.get(ref) ?? 0,
    balances: () => [{ account: "reloadly", ...sim.balance }],
    close: () => sim.close(),
  };
}

async function stockFixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), "contract-stock-"));
  const db = openDatabase(join(dir, "stock.sqlite"));
  const key = Buffer.alloc(32, 7);
  const deps = { db, sealer: createCodeCipher(key), fingerprint: createCodeFingerprinter(key), now: Date.now };
  const adapter = createStockAdapter(deps);
  let batch = 0;
  return {
    adapter,
    request: (ref) => ({ reference: ref, orderId: ref.slice(0, 12), sku: "contract-pool", kind: "code", quantity: 2, recipient: null, source: { supplier: "stock" } }),
    arrange(scenario) {
      db.$client.prepare("DELETE FROM stock_codes WHERE reserved_for IS NULL").run();
      if (scenario === "instant") {
        batch += 1;
        importStock(deps, "contract-pool", parseStockFile(Array.from({ length: 6 }, (_, i) => `CONTRACT-${batch}-${i};PIN${i}`).join("\n")));
        return true;
      }
      // An empty pool is the stock's failure; it never pends, times out or runs out of balance.
      return scenario === "failed";
    },
    settle: () => undefined,
    created: (ref) => (db.$client.prepare("SELECT count(DISTINCT reserved_for) AS n FROM stock_codes WHERE reserved_for = ?").get(ref) as { n: number }).n,
    balances: () => [],
    async close() {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function codesOf(order: SupplierOrder): string[] {
  return order.items.map((item) => item.code ?? "");
}

function expectDelivers(order: SupplierOrder, request: AttemptRequest): void {
  expect(order.status).toBe("completed");
  expect(order.reference).toBe(request.reference);
  if (request.kind === "code") {
    expect(order.items).toHaveLength(request.quantity);
    for (const code of codesOf(order)) expect(code.trim()).not.toBe("");
  } else {
    expect(order.confirmation).toBeTruthy();
    expect(Object.keys(order.confirmation!).length).toBeGreaterThan(0);
  }
}

describe.each([
  ["generic", genericFixture],
  ["reloadly gift cards", () => reloadlyFixture("code")],
  ["reloadly airtime", () => reloadlyFixture("topup")],
  ["stock", stockFixture],
] as const)("the supplier contract: %s", (_name, build) => {
  let f: Fixture;
  beforeAll(async () => {
    f = await build();
  });
  afterAll(async () => {
    await f.close();
  });

  it("happy path: completes with what delivery needs, and the look-up by reference finds the same order", async () => {
    f.arrange("instant");
    const request = f.request(reference());
    const placed = await f.adapter.placeOrder(request);
    expectDelivers(placed, request);
    const found = await f.adapter.findOrder({ ...request, supplierOrderId: null });
    expect(found).not.toBeNull();
    expect(found!.order_id).toBe(placed.order_id);
    expect(codesOf(found!)).toEqual(codesOf(placed));
    const byId = await f.adapter.findOrder({ ...request, supplierOrderId: placed.order_id });
    expect(byId!.status).toBe("completed");
    expect(f.created(request.reference)).toBe(1);
  });

  it("pending: answers pending, then the look-up returns it completed (or it never pends)", async () => {
    const request = f.request(reference());
    if (!f.arrange("pending")) {
      f.arrange("instant");
      expectDelivers(await f.adapter.placeOrder(request), request);
      return;
    }
    const placed = await f.adapter.placeOrder(request);
    expect(placed.status).toBe("pending");
    expect((await f.adapter.findOrder({ ...request, supplierOrderId: placed.order_id }))!.status).toBe("pending");
    f.settle();
    const done = await f.adapter.findOrder({ ...request, supplierOrderId: placed.order_id });
    expectDelivers(done!, request);
    expect(f.created(request.reference)).toBe(1);
  });

  it("failure: a failed order, or a refusal whose kind proves nothing was created", async () => {
    f.arrange("failed");
    const request = f.request(reference());
    const outcome = await f.adapter.placeOrder(request).then(
      (order) => ({ order }),
      (error: unknown) => ({ error }),
    );
    if ("order" in outcome) {
      expect(outcome.order.status).toBe("failed");
      expect(outcome.order.error?.code).toBeTruthy();
      expect((await f.adapter.findOrder({ ...request, supplierOrderId: null }))!.status).toBe("failed");
    } else {
      expect(outcome.error).toBeInstanceOf(SupplierError);
      expect(NOTHING_CREATED.has((outcome.error as SupplierError).kind)).toBe(true);
      expect(await f.adapter.findOrder({ ...request, supplierOrderId: null })).toBeNull();
      expect(f.created(request.reference)).toBe(0);
    }
  });

  it("ambiguous timeout: the error says the order may exist, the look-up by the attempt's reference finds it, placing again returns it", async () => {
    const request = f.request(reference());
    if (f.arrange("timeout")) {
      const error = await f.adapter.placeOrder(request).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SupplierError);
      expect((error as SupplierError).kind).toBe("ambiguous");
      f.arrange("instant");
    } else {
      // A local supplier cannot time out; its equivalent is an answer lost in a crash after the commit.
      f.arrange("instant");
      await f.adapter.placeOrder(request);
    }
    const found = await f.adapter.findOrder({ ...request, supplierOrderId: null });
    expect(found).not.toBeNull();
    expect(found!.reference).toBe(request.reference);
    const again = await f.adapter.placeOrder(request);
    expect(again.order_id).toBe(found!.order_id);
    expect(f.created(request.reference)).toBe(1);
  });

  it("duplicate reference: a second placement returns the first order and creates nothing", async () => {
    f.arrange("instant");
    const request = f.request(reference());
    const first = await f.adapter.placeOrder(request);
    const second = await f.adapter.placeOrder(request);
    expect(second.order_id).toBe(first.order_id);
    expect(codesOf(second)).toEqual(codesOf(first));
    expect(f.created(request.reference)).toBe(1);
  });

  it("balance: the account's balance in minor units, and a refusal for lack of it creates nothing", async () => {
    expect(await f.adapter.getBalances()).toEqual(f.balances());
    const request = f.request(reference());
    if (!f.arrange("no_balance")) return;
    const error = await f.adapter.placeOrder(request).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SupplierError);
    expect((error as SupplierError).kind).toBe("insufficient_balance");
    expect(await f.adapter.findOrder({ ...request, supplierOrderId: null })).toBeNull();
    expect(f.created(request.reference)).toBe(0);
  });

  it("a reference never used is not found", async () => {
    expect(await f.adapter.findOrder({ ...f.request(reference()), supplierOrderId: null })).toBeNull();
  });
});
