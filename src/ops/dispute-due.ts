// The reminder before a dispute's evidence is due: two days ahead, once per dispute, and only while no evidence was
// sent. Stripe decides against a shop that does not answer in time, however good its records are.
import type { Db } from "../db/connection.js";
import { formatMoney } from "../lib/money.js";
import { listDisputesDueBy, markDueAlerted } from "../orders/disputes.js";
import type { Alerts } from "./alerts.js";

/** How long before the due date the ops chat is reminded. */
export const DISPUTE_DUE_NOTICE_MS = 2 * 86_400_000;

export interface DisputeDueDeps {
  db: Db;
  alerts: Alerts;
  now: () => number;
}

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Raises the reminder for each dispute due within two days that has none yet; returns how many. */
export function remindDisputesDue(deps: DisputeDueDeps): number {
  const now = deps.now();
  let reminded = 0;
  for (const dispute of listDisputesDueBy(deps.db, now, now + DISPUTE_DUE_NOTICE_MS)) {
    // The mark and the alert commit together: one reminder per dispute, across restarts.
    deps.db.transaction(() => {
      if (!markDueAlerted(deps.db, dispute.id, now)) return;
      const hours = Math.max(1, Math.round((dispute.evidenceDueBy! - now) / 3_600_000));
      const amount = formatMoney({ amount: dispute.amount, currency: dispute.currency });
      deps.alerts.raise({
        kind: "dispute_due",
        ...(dispute.orderId ? { orderId: dispute.orderId } : {}),
        text: `${dispute.orderId ?? "no order of ours"}: dispute ${dispute.id} (${dispute.reason}, ${amount}) needs its evidence by ${utc(dispute.evidenceDueBy!)}, in about ${hours} h; none was sent`,
      });
      reminded += 1;
    });
  }
  return reminded;
}
