// Pipeline: 2,000 paid orders through the real worker (simulator at 0 ms, fake Bot API without limits).
// Throughput: all events at once, until every code is sent. Latency: a steady stream, from the stored
// payment event to the delivery's sendMessage issued. Baseline: the same two HTTP calls per order
// (supplier POST, sendMessage) made by a bare loop, with the same concurrency: the network floor.
import { startHarness } from "../test/helpers/harness.js";
import { fmt, paidEvent, percentile, postAll, report, seedUnpaidOrders, sleep, type BenchRow } from "./lib.js";

const N = Number(process.env["BENCH_ORDERS"] ?? 2000);
const CONCURRENCY = Number(process.env["BENCH_CONCURRENCY"] ?? 16);

const h = await startHarness({ env: { LOG_LEVEL: "warn", WORKER_CONCURRENCY: String(CONCURRENCY) }, shop: { pacing: false, workerIdleMs: 1000 } });
const db = h.shop.db.$client;
const deliveredCount = () => (db.prepare("SELECT count(*) AS n FROM orders WHERE status = 'delivered'").get() as { n: number }).n;

// Throughput.
const burst = seedUnpaidOrders(h, N);
const events = burst.map((order) => paidEvent(h, order));
const started = performance.now();
await postAll(events, 32, async (signed) => void (await h.stripe.post(signed)));
while (deliveredCount() < N) await sleep(5);
const seconds = (performance.now() - started) / 1000;
const ordersPerSecond = N / seconds;

// Latency under a steady stream (100 orders/s, below capacity): stored event → delivery sendMessage.
const streamN = Math.min(1000, N);
const stream = seedUnpaidOrders(h, streamN, "steam-20-usd", 900_000);
const callsBefore = h.telegram.calls.length;
for (const order of stream) {
  void h.stripe.post(paidEvent(h, order));
  await sleep(10);
}
while (deliveredCount() < N + streamN) await sleep(5);
const storedAt = new Map(
  (db.prepare("SELECT order_id, received_at FROM stripe_events WHERE order_id LIKE 'ORD-B%'").all() as Array<{ order_id: string; received_at: number }>).map((r) => [r.order_id, r.received_at]),
);
const chatToOrder = new Map(stream.map((o) => [o.chatId, o.orderId]));
const latencies: number[] = [];
for (const call of h.telegram.calls.slice(callsBefore)) {
  if (call.method !== "sendMessage") continue;
  const orderId = chatToOrder.get(Number(call.params["chat_id"]));
  if (orderId && String(call.params["text"]).includes("How to redeem")) latencies.push(call.at - storedAt.get(orderId)!);
}

// Baseline: the bare network cost of one order (supplier POST + sendMessage), same concurrency.
const bareStarted = performance.now();
let bareRef = 0;
await postAll(Array.from({ length: N }, (_, i) => i), CONCURRENCY, async () => {
  const reference = `BARE-${bareRef++}`;
  const response = await fetch(`${h.supplier.url}/orders`, {
    method: "POST",
    headers: { authorization: "Bearer sim-key-123", "content-type": "application/json", "idempotency-key": reference },
    body: JSON.stringify({ sku: "steam-20-usd", quantity: 1, reference, recipient: null }),
  });
  const order = (await response.json()) as { items: Array<{ code: string }> };
  await fetch(`${h.telegram.apiRoot}/bot123456:TEST-token-for-the-fake-bot-api/sendMessage`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ chat_id: 500_000, text: `Code: ${order.items[0]!.code}` }),
  });
});
const bareOrdersPerSecond = N / ((performance.now() - bareStarted) / 1000);
await h.close();

const rows: BenchRow[] = [
  {
    benchmark: "pipeline",
    measure: `${N} paid orders, worker concurrency ${CONCURRENCY}`,
    value: `${fmt(ordersPerSecond)} orders/s`,
    baseline: `${fmt(bareOrdersPerSecond)} orders/s (bare HTTP calls)`,
    ratio: `${fmt(ordersPerSecond / bareOrdersPerSecond, 2)}×`,
    target: "≥ 300 orders/s",
    met: ordersPerSecond >= 300,
  },
  {
    benchmark: "pipeline",
    measure: `stored event → sendMessage, ${streamN} orders at 100/s`,
    value: `p50 ${fmt(percentile(latencies, 50), 1)} ms · p99 ${fmt(percentile(latencies, 99), 1)} ms`,
    target: "p99 ≤ 50 ms",
    met: percentile(latencies, 99) <= 50,
  },
];
report(rows);
process.exit(0);
