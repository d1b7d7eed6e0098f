// "Are you sure?" before an admin action that moves money or sends a code: the question names the orders and
// amounts, its Confirm and Cancel buttons are for admins only, and a Confirm acts only on orders still in the state
// they were in when it was asked (a stale one does nothing). Held in memory for a few minutes: after a restart the
// admin simply asks again. One confirmation may cover several orders, for bulk actions.
import { randomBytes } from "node:crypto";
import { InlineKeyboard } from "grammy";
import type { OrderRow } from "../orders/state-machine.js";

/** An order as it was when the question was asked. */
export interface AskedOrder {
  id: string;
  status: string;
  updatedAt: number;
}

export interface Confirmation<Payload> {
  id: string;
  /** What to do on Confirm (the caller's name for it: "refund", "enter_code", …). */
  action: string;
  orders: AskedOrder[];
  payload: Payload;
  askedBy: number;
  expiresAt: number;
}

export type Taken<Payload> =
  | { ok: true; confirmation: Confirmation<Payload> }
  | { ok: false; reason: string };

export interface Confirmations<Payload> {
  /** Records a question; returns its keyboard (Confirm / Cancel). */
  ask(request: { action: string; orders: readonly Pick<OrderRow, "id" | "status" | "updatedAt">[]; payload: Payload; askedBy: number; confirmLabel: string }): { id: string; keyboard: InlineKeyboard };
  /**
   * Takes the answer to a question, once: gone, expired, or an order that changed since (read through `current`)
   * is a refusal that says why; nothing is done then.
   */
  confirm(id: string, current: (orderId: string) => Pick<OrderRow, "status" | "updatedAt"> | undefined): Taken<Payload>;
  /** Forgets a question; false when there was none. */
  cancel(id: string): boolean;
  /**
   * Whether this registry asked the question (and it is still waiting): features with registries of their own share
   * the buttons' callback data, and pass on a question that is not theirs.
   */
  owns(id: string): boolean;
}

/** Callback data of the buttons: `cf:<id>` confirms, `cx:<id>` cancels. */
export const CONFIRM_DATA = /^cf:([0-9a-f]{16})$/;
export const CANCEL_DATA = /^cx:([0-9a-f]{16})$/;

export function createConfirmations<Payload>(options: { now: () => number; ttlMs?: number }): Confirmations<Payload> {
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const pending = new Map<string, Confirmation<Payload>>();

  function sweep(): void {
    const now = options.now();
    for (const [id, confirmation] of pending) if (confirmation.expiresAt <= now) pending.delete(id);
  }

  return {
    ask(request) {
      sweep();
      const id = randomBytes(8).toString("hex");
      pending.set(id, {
        id,
        action: request.action,
        orders: request.orders.map((order) => ({ id: order.id, status: order.status, updatedAt: order.updatedAt })),
        payload: request.payload,
        askedBy: request.askedBy,
        expiresAt: options.now() + ttlMs,
      });
      const keyboard = new InlineKeyboard().text(request.confirmLabel, `cf:${id}`).text("✖️ Cancel", `cx:${id}`);
      return { id, keyboard };
    },
    confirm(id, current) {
      const confirmation = pending.get(id);
      pending.delete(id);
      if (!confirmation || confirmation.expiresAt <= options.now()) return { ok: false, reason: "This question has expired or was answered already; nothing was done. Ask again." };
      for (const asked of confirmation.orders) {
        const now = current(asked.id);
        if (!now || now.status !== asked.status || now.updatedAt !== asked.updatedAt) {
          return { ok: false, reason: `${asked.id} changed since you were asked (it is ${now?.status ?? "gone"} now); nothing was done. Ask again if it still applies.` };
        }
      }
      return { ok: true, confirmation };
    },
    cancel(id) {
      return pending.delete(id);
    },
    owns(id) {
      return pending.has(id);
    },
  };
}
