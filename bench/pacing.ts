// Telegram pacing: 600 deliveries (6 to each of 100 chats) with the fake Bot API enforcing Telegram's
// limits (30 messages a second overall; per chat a burst of 3, then one a second; 429 beyond). The shop's
// own pacer should keep it at no 429 in steady state, with a total close to N / 30 s.
import { benchEnvironment, fmt, releaseBacklog, report, seedFulfilledOrders, sleep, type BenchRow } from "./lib.js";

const N = Number(process.env["BENCH_ORDERS"] ?? 600);
const CHATS = 100;
const bench = await benchEnvironment();
bench.telegram.limits = {};
// Orders already fulfilled (codes stored), spread over the chats: only the deliveries are measured.
seedFulfilledOrders(bench.db, bench.telegram, bench.env, N, CHATS, 700_000);
await bench.start();
releaseBacklog(bench.db);
const delivered = bench.db.$client.prepare("SELECT count(*) AS n FROM orders WHERE status = 'delivered'");
const calls = bench.telegram.calls;
const before = calls.length;
while ((delivered.get() as { n: number }).n < N) await sleep(50);
const sends = calls.slice(before).filter((c) => c.method === "sendMessage");
const ok = sends.filter((c) => c.status === 200);
const throttled = sends.filter((c) => c.status === 429).length;
const seconds = (ok.at(-1)!.at - ok[0]!.at) / 1000;
await bench.close();

const ideal = N / 30;
const rows: BenchRow[] = [
  {
    benchmark: "Telegram pacing",
    measure: `${N} deliveries to ${CHATS} chats, fake enforcing Telegram's limits (30/s; per chat 3, then 1/s)`,
    value: `${throttled} × 429 · ${fmt(seconds, 1)} s (${fmt(N / seconds, 1)} msg/s)`,
    baseline: `${fmt(ideal, 1)} s (N / 30 s)`,
    ratio: `${fmt(seconds / ideal, 2)}×`,
    target: "no 429; total close to N / 30 s",
    met: throttled === 0 && seconds <= ideal * 1.25,
  },
];
report(rows);
process.exit(0);
