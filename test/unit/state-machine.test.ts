import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase, type Db } from "../../src/db/connection.js";
import { ORDER_STATUSES, customers, type OrderStatus } from "../../src/db/schema.js";
import { createLogger } from "../../src/logger.js";
import { getOrder, getOrderEvents } from "../../src/orders/repository.js";
import {
  TRANSITIONS,
  IllegalTransitionError,
  StaleTransitionError,
  canTransition,
  createOrder,
  transition,
} from "../../src/orders/state-machine.js";

let dir: string;
let db: Db;
const logger = createLogger("silent");
let clock = 1_000;
const deps = () => ({ db, logger, now: () => clock });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sm-"));
  db = openDatabase(join(dir, "t.sqlite"));
  db.insert(customers).values({ id: 1, chatId: 1, language: "en", createdAt: 0, updatedAt: 0 }).run();
});
afterEach(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

let counter = 0;
function newOrderIn(status: OrderStatus): string {
  const id = `ORD-TEST${String(counter++).padStart(4, "0")}`;
  createOrder(
    deps(),
    {
      id,
      customerId: 1,
      chatId: 1,
      sku: "steam-20-usd",
      product: {
        sku: "steam-20-usd", name: "Steam", category: "Gift cards", kind: "code",
        faceValue: { amount: 2000, currency: "USD" }, unitPrice: { amount: 2199, currency: "USD" },
        requiresPin: false, instructions: "x", recipientRule: null,
      },
      quantity: 1,
      recipient: null,
      amount: 2199,
      currency: "USD",
      expiresAt: 10_000,
    },
    "test",
  );
  // Walk a legal path to the wanted state (the table is the only way to get there).
  const paths: Record<OrderStatus, OrderStatus[]> = {
    awaiting_payment: [],
    paid: ["paid"],
    supplier_pending: ["paid", "supplier_pending"],
    fulfilled: ["paid", "fulfilled"],
    delivered: ["paid", "fulfilled", "delivered"],
    delivery_failed: ["paid", "fulfilled", "delivery_failed"],
    failed: ["paid", "failed"],
    refunding: ["paid", "failed", "refunding"],
    refunded: ["paid", "failed", "refunding", "refunded"],
    needs_review: ["paid", "needs_review"],
    expired: ["expired"],
    cancelled: ["cancelled"],
  };
  let from: OrderStatus = "awaiting_payment";
  for (const to of paths[status]) {
    transition(deps(), { orderId: id, from, to, cause: "setup", actor: "test" });
    from = to;
  }
  return id;
}

describe("the order state machine", () => {
  const pairs = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as const));

  it.each(pairs.filter(([from, to]) => canTransition(from, to)))("allows %s → %s and logs it", (from, to) => {
    const id = newOrderIn(from);
    const before = getOrderEvents(db, id).length;
    clock += 5;
    const row = transition(deps(), { orderId: id, from, to, cause: "test", actor: "admin:42", detail: { why: "because" } });
    expect(row.status).toBe(to);
    const events = getOrderEvents(db, id);
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)).toMatchObject({ fromStatus: from, toStatus: to, cause: "test", actor: "admin:42", at: clock, detail: { why: "because" } });
  });

  it.each(pairs.filter(([from, to]) => !canTransition(from, to)))("refuses %s → %s and changes nothing", (from, to) => {
    const id = newOrderIn(from);
    const before = getOrderEvents(db, id).length;
    expect(() => transition(deps(), { orderId: id, from, to, cause: "test", actor: "test" })).toThrow(IllegalTransitionError);
    expect(getOrder(db, id)!.status).toBe(from);
    expect(getOrderEvents(db, id)).toHaveLength(before);
  });

  it("refuses a transition from a state the order has already left", () => {
    const id = newOrderIn("paid");
    expect(() => transition(deps(), { orderId: id, from: "awaiting_payment", to: "paid", cause: "late", actor: "stripe" })).toThrow(StaleTransitionError);
    expect(getOrderEvents(db, id)).toHaveLength(2);
  });

  it("never lets terminal states move, and never moves an order backwards", () => {
    expect(TRANSITIONS.delivered).toEqual([]);
    expect(TRANSITIONS.refunded).toEqual([]);
    for (const later of ["supplier_pending", "fulfilled", "delivered"] as const) {
      expect(canTransition(later, "paid")).toBe(false);
      expect(canTransition(later, "awaiting_payment")).toBe(false);
    }
  });

  it("schedules the worker for states that have a next step", () => {
    const id = newOrderIn("awaiting_payment");
    clock = 50_000;
    expect(transition(deps(), { orderId: id, from: "awaiting_payment", to: "paid", cause: "t", actor: "t" }).nextAttemptAt).toBe(50_000);
    expect(transition(deps(), { orderId: id, from: "paid", to: "needs_review", cause: "t", actor: "t" }).nextAttemptAt).toBeNull();
  });
});
