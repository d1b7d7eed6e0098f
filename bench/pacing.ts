// Telegram pacing: 600 deliveries (6 to each of 100 chats) with the fake Bot API enforcing Telegram's
// limits (30 messages a second overall; per chat a burst of 3, then one a second; 429 beyond). The shop's
// own pacer should keep it at no 429 in steady state, with a total close to N / 30 s.
import { eq } from "drizzle-orm";
import { orders } from "../src/db/schema.js";
import { createCodeCipher } from "../src/lib/crypto.js";
import { createLogger } from "../src/logger.js";
import { storeItems } from "../src/fulfilment/supplier-step.js";
import { transition } from "../src/orders/state-machine.js";
import { benchEnvironment, fmt, report, seedUnpaidOrders, sleep, type BenchRow } from "./lib.js";

const N = Number(process.env["BENCH_ORDERS"] ?? 600);
const CHATS = 100;
const bench = await benchEnvironment();
bench.telegram.limits = {};
const sealer = createCodeCipher(Buffer.from(String(bench.env["CODE_ENCRYPTION_KEY"]), "hex"));
const deps = { db: bench.db, now: Date.now, logger: createLogger("silent") };
// Orders already fulfilled (codes stored), spread over the chats: only the deliveries are measured.
const seeded = Array.from({ length: N / CHATS }, () => seedUnpaidOrders(bench.db, bench.telegram, CHATS, "steam-20-usd", 700_000)).flat();
for (const [i, order] of seeded.entries()) {
  // Re-point the orders of later rounds to the same 100 chats.
  const chatId = 700_000 + (i % CHATS);
  bench.db.update(orders).set({ chatId, customerId: chatId }).where(eq(orders.id, order.orderId)).run();
  transition(deps, { orderId: order.orderId, from: "awaiting_payment", to: "paid", cause: "bench", actor: "bench", patch: { paidAt: Date.now(), nextAttemptAt: null } });
  transition(deps, {
    orderId: order.orderId,
    from: "paid",
    to: "fulfilled",
    cause: "bench",
    actor: "bench",
    patch: { paidNoticeAt: Date.now(), nextAttemptAt: Number.MAX_SAFE_INTEGER },
    also: (tx) => storeItems({ sealer }, tx, order.orderId, [{ code: `BENCH-${i}`, pin: null, serial: null, expiresAt: null }], "bench", Date.now()),
  });
}
await bench.start();
const release = Date.now();
bench.db.update(orders).set({ nextAttemptAt: release }).where(eq(orders.status, "fulfilled")).run();
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
