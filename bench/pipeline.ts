// Pipeline: 2,000 paid orders through the real worker of the shop process (simulator at 0 ms, fake Bot API
// without limits, the shop's own pacer opened up accordingly). Throughput: all payment events at once,
// until every code is sent. Latency: a steady stream, from the stored payment event to the delivery's
// sendMessage. Baseline: the two HTTP calls an order needs (supplier POST, sendMessage) made by a bare loop
// at the same concurrency: the network floor on this machine.
import { readFileSync } from "node:fs";
import { benchEnvironment, fmt, paidEvent, percentile, postAll, report, seedUnpaidOrders, sleep, type BenchRow } from "./lib.js";

const N = Number(process.env["BENCH_ORDERS"] ?? 2000);
const CONCURRENCY = Number(process.env["BENCH_CONCURRENCY"] ?? 16);
const STREAM = Math.min(1000, N);

const bench = await benchEnvironment({ WORKER_CONCURRENCY: String(CONCURRENCY), TELEGRAM_MAX_PER_SECOND: "1000", TELEGRAM_CHAT_GAP_MS: "0" });
const burst = seedUnpaidOrders(bench.db, bench.telegram, N);
const stream = seedUnpaidOrders(bench.db, bench.telegram, STREAM, "steam-20-usd", 900_000);
const shop = await bench.start();
/** CPU seconds used so far by the shop process (user + system, from /proc) and by this one (the fakes and load). */
const cpu = () => {
  const fields = readFileSync(`/proc/${shop.child.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const usage = process.cpuUsage();
  return { shop: (Number(fields[11]) + Number(fields[12])) / 100, harness: (usage.user + usage.system) / 1e6 };
};
const delivered = bench.db.$client.prepare("SELECT count(*) AS n FROM orders WHERE status = 'delivered'");
const deliveredCount = () => (delivered.get() as { n: number }).n;

// Throughput: every payment event at once.
const events = burst.map((order) => paidEvent(bench.stripe, order));
const cpuBefore = cpu();
const started = performance.now();
await postAll(events, 32, async (signed) => void (await bench.stripe.post(signed)));
while (deliveredCount() < N) await sleep(5);
const seconds = (performance.now() - started) / 1000;
const cpuAfter = cpu();
// Where the CPU went: the shop's own cost per order, and the harness's (fake Stripe, Bot API and supplier, and the
// load generator, on the other core). The one near 100 % of its core is the limit of this figure.
const shopBusy = (cpuAfter.shop - cpuBefore.shop) / seconds;
const harnessBusy = (cpuAfter.harness - cpuBefore.harness) / seconds;
console.log(
  `burst: shop ${fmt(((cpuAfter.shop - cpuBefore.shop) * 1000) / N, 2)} ms CPU per order (${fmt(shopBusy * 100)} % of a core), ` +
    `harness ${fmt(((cpuAfter.harness - cpuBefore.harness) * 1000) / N, 2)} ms per order (${fmt(harnessBusy * 100)} % of a core)`,
);
const ordersPerSecond = N / seconds;

// Latency under a steady stream of 100 orders a second.
const callsBefore = bench.telegram.calls.length;
for (const order of stream) {
  void bench.stripe.post(paidEvent(bench.stripe, order));
  await sleep(10);
}
while (deliveredCount() < N + STREAM) await sleep(5);
const storedAt = new Map(
  (bench.db.$client.prepare("SELECT order_id, received_at FROM stripe_events").all() as Array<{ order_id: string; received_at: number }>).map((r) => [r.order_id, r.received_at]),
);
const chatToOrder = new Map(stream.map((o) => [o.chatId, o.orderId]));
const latencies: number[] = [];
for (const call of bench.telegram.calls.slice(callsBefore)) {
  const orderId = call.method === "sendMessage" ? chatToOrder.get(Number(call.params["chat_id"])) : undefined;
  if (orderId && String(call.params["text"]).includes("How to redeem")) latencies.push(call.at - storedAt.get(orderId)!);
}

// Baseline: the bare network cost of an order, same concurrency.
let reference = 0;
const bareStarted = performance.now();
await postAll(Array.from({ length: N }, (_, i) => i), CONCURRENCY, async () => {
  const ref = `BARE-${reference++}`;
  const response = await fetch(`${bench.supplier.url}/orders`, {
    method: "POST",
    headers: { authorization: "Bearer bench-key", "content-type": "application/json", "idempotency-key": ref },
    body: JSON.stringify({ sku: "steam-20-usd", quantity: 1, reference: ref, recipient: null }),
  });
  const order = (await response.json()) as { items: Array<{ code: string }> };
  await fetch(`${bench.telegram.apiRoot}/bot${bench.env["BOT_TOKEN"]}/sendMessage`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ chat_id: 500_000, text: `Code: ${order.items[0]!.code}` }),
  });
});
const bareOrdersPerSecond = N / ((performance.now() - bareStarted) / 1000);
await bench.close();

const rows: BenchRow[] = [
  {
    benchmark: "pipeline",
    measure: `${N} paid orders, worker concurrency ${CONCURRENCY}`,
    value: `${fmt(ordersPerSecond)} orders/s (shop ${fmt(((cpuAfter.shop - cpuBefore.shop) * 1000) / N, 1)} ms CPU/order, ${fmt(shopBusy * 100)} % busy; harness ${fmt(harnessBusy * 100)} %)`,
    baseline: `${fmt(bareOrdersPerSecond)} orders/s (bare calls)`,
    ratio: `${fmt(ordersPerSecond / bareOrdersPerSecond, 2)}×`,
    target: "≥ 300 orders/s",
    met: ordersPerSecond >= 300,
  },
  {
    benchmark: "pipeline",
    measure: `stored event → sendMessage, ${STREAM} at 100/s`,
    value: `p50 ${fmt(percentile(latencies, 50), 1)} ms · p99 ${fmt(percentile(latencies, 99), 1)} ms`,
    target: "p99 ≤ 50 ms",
    met: latencies.length === STREAM && percentile(latencies, 99) <= 50,
  },
];
report(rows);
process.exit(0);
