// Answering a dispute at Stripe: the customer communication uploaded as a file (purpose dispute_evidence), then
// the evidence sent and submitted with disputes.update.
import type { DisputeEvidence } from "../risk/evidence.js";
import type { Stripe } from "./stripe-client.js";

export async function submitDisputeEvidence(stripe: Stripe, disputeId: string, evidence: DisputeEvidence): Promise<{ status: string }> {
  const { communication, ...fields } = evidence;
  const file = await stripe.files.create({
    purpose: "dispute_evidence",
    file: { data: Buffer.from(communication, "utf8"), name: `customer-communication-${disputeId}.txt`, type: "text/plain" },
  });
  const dispute = await stripe.disputes.update(disputeId, { evidence: { ...fields, customer_communication: file.id }, submit: true });
  return { status: dispute.status };
}
