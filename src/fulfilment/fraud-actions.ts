// What an admin does about fraud: release an order the fraud rules held, ban and unban customers and cards, and
// answer a dispute with the shop's own records. Each is written to the event log (or the bans table) with the
// admin's id; the bot's fraud commands (bot/features/admin-fraud.ts) call these after "Are you sure?".
import { OPEN_PAID_STATES, recordOrderNote, transition, type OrderRow } from "../orders/state-machine.js";
import { getDispute, recordEvidenceSubmitted, type DisputeRow } from "../orders/disputes.js";
import { customersOnCard, getDeliveredItems, getOrder, listCustomerOrders, listCustomerOrdersIn } from "../orders/repository.js";
import { cancelUnpaidOrdersOf } from "../payments/cancel.js";
import { submitDisputeEvidence } from "../payments/disputes.js";
import type { Stripe } from "../payments/stripe-client.js";
import { addBan, findBan, removeBan, type BanKind, type BanRow } from "../risk/bans.js";
import { buildDisputeEvidence, fieldWithSecret, type DisputeEvidence } from "../risk/evidence.js";
import type { AdminDeps, AdminResult } from "./admin-actions.js";

export interface FraudActionDeps extends AdminDeps {
  stripe: Stripe;
}

function actor(adminId: number): string {
  return `admin:${adminId}`;
}

/** In review because the fraud rules held it, and not yet released or refunded. */
export function isRiskHeld(order: Pick<OrderRow, "status" | "riskHeldAt">): boolean {
  return order.status === "needs_review" && order.riskHeldAt !== null;
}

/** Whether an order can be released now (asked before the admin confirms, and again when they do). */
export function checkRelease(deps: AdminDeps, orderId: string): { ok: true; order: OrderRow } | { ok: false; message: string } {
  const order = getOrder(deps.pipeline.db, orderId);
  if (!order) return { ok: false, message: `No order ${orderId}.` };
  if (!isRiskHeld(order)) {
    const why = order.status === "needs_review" ? "in review for another reason (Retry, Refund or Code there)" : order.status;
    return { ok: false, message: `${orderId} is ${why}; only orders held by the fraud rules are released.` };
  }
  return { ok: true, order };
}

/** The admin trusts a held payment: the order goes on to the supplier as usual (the rules are not run again). */
export function releaseOrder(deps: AdminDeps, orderId: string, adminId: number): AdminResult {
  const checked = checkRelease(deps, orderId);
  if (!checked.ok) return checked;
  const { order } = checked;
  transition(deps.pipeline, {
    orderId,
    from: "needs_review",
    to: "paid",
    cause: "risk_released",
    actor: actor(adminId),
    detail: { holds: order.risk?.holds ?? [], signals: order.risk?.signals ?? [] },
  });
  deps.wakeWorker();
  return { ok: true, message: `${orderId}: released; it goes to the supplier now, then to the customer.` };
}

/** What a ban would touch, for the question before it. */
export interface BanPreview {
  existing: BanRow | undefined;
  /** A customer's unpaid orders (cancelled by the ban) and paid ones not yet settled (left as they are). */
  unpaid: OrderRow[];
  paidOpen: OrderRow[];
  /** A card's: the Telegram accounts that paid with it. */
  accounts: number[];
}

export function previewBan(deps: AdminDeps, kind: BanKind, value: string): BanPreview {
  const db = deps.pipeline.db;
  const existing = findBan(db, kind, value);
  if (kind === "card") return { existing, unpaid: [], paidOpen: [], accounts: customersOnCard(db, value) };
  const customerId = Number(value);
  return {
    existing,
    unpaid: listCustomerOrdersIn(db, customerId, "awaiting_payment"),
    paidOpen: listCustomerOrders(db, customerId, 200, 0).filter((order) => OPEN_PAID_STATES.includes(order.status)),
    accounts: [],
  };
}

/**
 * Bans a customer (their unpaid orders cancelled, the Checkout Sessions expired) or a card (every account that pays
 * with it is held, and banned, by the fraud rules). Paid orders are left as they are: the admin refunds them if
 * they want.
 */
export async function ban(deps: FraudActionDeps, kind: BanKind, value: string, reason: string, adminId: number): Promise<AdminResult> {
  const { db, now, logger } = deps.pipeline;
  const why = reason.trim() || "banned by an admin";
  if (!addBan(db, kind, value, why, actor(adminId), now())) {
    const existing = findBan(db, kind, value)!;
    return { ok: false, message: `${describeBan(kind, value)} was already banned (${existing.reason}); nothing changed.` };
  }
  logger.info({ ban_kind: kind, actor: actor(adminId) }, "ban added");
  if (kind === "card") {
    const accounts = customersOnCard(db, value);
    const used = accounts.length ? ` Accounts that paid with it before: ${idList(accounts.map(String))} (not banned by this; /ban them too if you want).` : "";
    return { ok: true, message: `${describeBan(kind, value)} banned: every payment with it is held and its payer banned.${used}` };
  }
  const customerId = Number(value);
  const { cancelled, failed } = await cancelUnpaidOrdersOf({ db, stripe: deps.stripe, logger, now }, customerId, actor(adminId));
  const paidOpen = listCustomerOrders(db, customerId, 200, 0).filter((order) => OPEN_PAID_STATES.includes(order.status));
  const parts = [
    `Customer ${customerId} banned: they cannot open a checkout.`,
    `${cancelled.length} unpaid order(s) cancelled${cancelled.length ? ` (${idList(cancelled)})` : ""}.`,
    failed.length ? `${failed.length} could not be cancelled (${idList(failed)}: Stripe did not answer); a payment for one is held.` : "",
    paidOpen.length
      ? `Their ${paidOpen.length} paid order(s) in progress are not touched (${idList(paidOpen.map((order) => order.id))}): /refund one if you want.`
      : "Their paid orders are not touched.",
  ];
  return { ok: true, message: parts.filter(Boolean).join(" ") };
}

export function unban(deps: AdminDeps, kind: BanKind, value: string, adminId: number): AdminResult {
  if (!removeBan(deps.pipeline.db, kind, value)) return { ok: false, message: `${describeBan(kind, value)} is not banned.` };
  deps.pipeline.logger.info({ ban_kind: kind, actor: actor(adminId) }, "ban removed");
  return { ok: true, message: `${describeBan(kind, value)} unbanned.` };
}

/** Order ids in a reply: the first ten, then how many more. */
export function idList(ids: readonly string[], max = 10): string {
  return ids.length > max ? `${ids.slice(0, max).join(", ")} and ${ids.length - max} more` : ids.join(", ");
}

export function describeBan(kind: BanKind, value: string): string {
  return kind === "card" ? `Card ${value}` : `Customer ${value}`;
}

/** Stripe's statuses in which evidence can still be sent. */
const AWAITING_EVIDENCE = new Set(["needs_response", "warning_needs_response"]);

export type EvidenceCheck = { ok: true; dispute: DisputeRow; order: OrderRow; evidence: DisputeEvidence } | { ok: false; message: string };

/**
 * The evidence the shop would send for a dispute, checked: the dispute waits for evidence, none was sent, its order
 * was delivered, and no code, PIN or serial of the order is in any field.
 */
export function prepareEvidence(deps: AdminDeps, disputeId: string): EvidenceCheck {
  const db = deps.pipeline.db;
  const dispute = getDispute(db, disputeId);
  if (!dispute) return { ok: false, message: `No dispute ${disputeId}.` };
  const refused = refusalToSend(dispute);
  if (refused) return { ok: false, message: refused };
  const built = buildDisputeEvidence(db, dispute, deps.pipeline.supportContact);
  if (!built.ok) return { ok: false, message: `No evidence is offered for ${dispute.id}: ${built.reason}. Refund it, or accept the dispute in the Stripe dashboard.` };
  const order = getOrder(db, dispute.orderId!)!;
  const leak = leakIn(deps, order, built.evidence);
  if (leak) return { ok: false, message: leak };
  return { ok: true, dispute, order, evidence: built.evidence };
}

function refusalToSend(dispute: DisputeRow): string | undefined {
  if (dispute.evidenceSubmittedAt !== null) {
    return `Evidence for ${dispute.id} was already sent (${new Date(dispute.evidenceSubmittedAt).toISOString().slice(0, 16).replace("T", " ")} UTC by ${dispute.evidenceSubmittedBy ?? "an admin"}); Stripe takes it once. Add to it in the Stripe dashboard.`;
  }
  if (!AWAITING_EVIDENCE.has(dispute.status)) return `Dispute ${dispute.id} is ${dispute.status}: Stripe takes no evidence for it now.`;
  return undefined;
}

/** Why the evidence must not leave: it holds a code, PIN or serial of the order (never which one: it is secret). */
function leakIn(deps: AdminDeps, order: OrderRow, evidence: DisputeEvidence): string | undefined {
  let secrets: Array<string | null>;
  try {
    secrets = getDeliveredItems(deps.pipeline.db, order.id).flatMap((item) => [
      deps.pipeline.sealer.open(item.codeEnc, order.id),
      item.pinEnc ? deps.pipeline.sealer.open(item.pinEnc, order.id) : null,
      item.serialEnc ? deps.pipeline.sealer.open(item.serialEnc, order.id) : null,
    ]);
  } catch (error) {
    deps.pipeline.logger.error({ order_id: order.id, err: (error as Error).message }, "could not read an order's codes to check dispute evidence against them");
    return `${order.id}: its codes could not be read to check the evidence against them (${(error as Error).message}); nothing is sent. Answer the dispute in the Stripe dashboard.`;
  }
  const field = fieldWithSecret(evidence, secrets);
  if (!field) return undefined;
  deps.pipeline.logger.error({ order_id: order.id, field }, "dispute evidence would contain a code of the order; refused");
  return `${order.id}: the evidence's ${field} would contain a code, PIN or serial of the order, so nothing is sent. Answer the dispute in the Stripe dashboard.`;
}

/**
 * Sends the evidence the admin saw (and confirmed) to Stripe and submits it; records who sent it when, in the
 * dispute's row and the order's event log. A dispute answered meanwhile is refused, and so is a code in it.
 */
export async function submitEvidence(deps: FraudActionDeps, disputeId: string, evidence: DisputeEvidence, adminId: number): Promise<AdminResult> {
  const { db, now, logger } = deps.pipeline;
  const dispute = getDispute(db, disputeId);
  if (!dispute) return { ok: false, message: `No dispute ${disputeId}.` };
  const refused = refusalToSend(dispute);
  if (refused) return { ok: false, message: refused };
  const order = dispute.orderId ? getOrder(db, dispute.orderId) : undefined;
  if (!order || order.status !== "delivered") return { ok: false, message: `No evidence is offered for ${dispute.id}: its order is not delivered.` };
  const leak = leakIn(deps, order, evidence);
  if (leak) return { ok: false, message: leak };
  let status: string;
  try {
    ({ status } = await submitDisputeEvidence(deps.stripe, disputeId, evidence));
  } catch (error) {
    const message = (error as Error).message;
    logger.warn({ order_id: order.id, dispute_id: disputeId, err: message }, "Stripe refused the dispute evidence");
    return { ok: false, message: `Stripe refused the evidence for ${disputeId} (${message}); nothing was recorded. Try again, or answer in the Stripe dashboard.` };
  }
  const by = actor(adminId);
  db.transaction(() => {
    if (!recordEvidenceSubmitted(db, disputeId, by, status, now())) return;
    recordOrderNote(deps.pipeline, { orderId: order.id, status: order.status, cause: "dispute_evidence_submitted", actor: by, detail: { dispute_id: disputeId, status } });
  });
  logger.info({ order_id: order.id, dispute_id: disputeId, actor: by, status }, "dispute evidence submitted");
  return { ok: true, message: `Evidence for ${disputeId} (${order.id}) sent to Stripe and submitted; the dispute is ${status} now.` };
}
