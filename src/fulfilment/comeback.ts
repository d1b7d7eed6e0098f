// The customer comes back: one who blocked the bot (their codes could not be sent, `delivery_failed`) unblocked
// it. Each undelivered code is sent again, the same delivery as an admin's resend, paced like every send; ops
// are told which orders went out.
import { listCustomerOrdersIn } from "../orders/repository.js";
import { runDeliveryStep } from "./delivery.js";
import type { PipelineDeps } from "./pipeline.js";

/** Sends the customer's undelivered orders again; returns the ids that reached them. */
export async function redeliverToReturningCustomer(deps: PipelineDeps, customerId: number): Promise<string[]> {
  const undelivered = listCustomerOrdersIn(deps.db, customerId, "delivery_failed");
  const sent: string[] = [];
  for (const order of undelivered) {
    try {
      const outcome = await runDeliveryStep(deps, order, "system:customer_back");
      if (outcome.sent) sent.push(order.id);
      else deps.logger.info({ order_id: order.id, reason: outcome.reason }, "an undelivered order was not sent to a customer who came back");
    } catch (error) {
      deps.logger.warn({ order_id: order.id, err: (error as Error).message }, "could not resend to a customer who came back");
    }
  }
  if (sent.length > 0) {
    deps.logger.info({ customer_id: customerId, orders: sent }, "a customer unblocked the bot; undelivered codes sent again");
    for (const id of sent) deps.alerts.raise({ kind: "customer_back", orderId: id, text: `${id}: sent again to customer ${customerId}, who unblocked the bot` });
  }
  return sent;
}
