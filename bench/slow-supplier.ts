// Slow supplier: 1,000 orders with 500 ms supplier latency at several worker concurrencies C. With the
// steps overlapping, throughput should approach C / 0.5 s; the target is ≥ 0.8 of that.
import { benchEnvironment, fmt, paidEvent, postAll, report, seedUnpaidOrders, sleep, type BenchRow } from "./lib.js";

const N = Number(process.env["BENCH_ORDERS"] ?? 1000);
const LEVELS = (process.env["BENCH_CONCURRENCY"] ?? "16,32,64").split(",").map(Number);
const rows: BenchRow[] = [];
for (const concurrency of LEVELS) {
  const bench = await benchEnvironment(
    { WORKER_CONCURRENCY: String(concurrency), TELEGRAM_MAX_PER_SECOND: "1000", TELEGRAM_CHAT_GAP_MS: "0", SUPPLIER_TIMEOUT_MS: "5000" },
    { latencyMs: 500 },
  );
  const orders = seedUnpaidOrders(bench.db, bench.telegram, N);
  await bench.start();
  const delivered = bench.db.$client.prepare("SELECT count(*) AS n FROM orders WHERE status = 'delivered'");
  const started = performance.now();
  await postAll(orders, 32, async (order) => void (await bench.stripe.post(paidEvent(bench.stripe, order))));
  while ((delivered.get() as { n: number }).n < N) await sleep(20);
  const perSecond = N / ((performance.now() - started) / 1000);
  const ideal = concurrency / 0.5;
  await bench.close();
  rows.push({
    benchmark: "slow supplier",
    measure: `${N} orders, 500 ms supplier, C = ${concurrency}`,
    value: `${fmt(perSecond, 1)} orders/s`,
    baseline: `${fmt(ideal)} orders/s (C / 0.5 s)`,
    ratio: `${fmt(perSecond / ideal, 2)}×`,
    target: "≥ 0.8 × C / 0.5 s",
    met: perSecond >= 0.8 * ideal,
  });
}
report(rows);
process.exit(0);
