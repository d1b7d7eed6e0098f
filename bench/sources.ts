// Sources: 500 paid orders per route through the real worker of the shop process, each route a product of the
// example catalog: the generic supplier (Steam 20), Reloadly (Amazon 50: an order and its cards, two calls), the
// shop's own stock (Spotify: a local reservation), and a failover (Amazon 25: its stock empty, Reloadly out of
// balance, then the generic supplier). Baseline: the generic route, the shop's path before sources existed.
import { createCodeCipher, createCodeFingerprinter } from "../src/lib/crypto.js";
import { refreshStockAvailability } from "../src/catalog/stock-availability.js";
import { parseStockFile } from "../src/supplier/stock/parse.js";
import { importStock } from "../src/supplier/stock/store.js";
import { benchEnvironment, fmt, paidEvent, postAll, report, seedUnpaidOrders, sleep, type BenchRow } from "./lib.js";

const N = Number(process.env["BENCH_ORDERS"] ?? 500);
const CONCURRENCY = 16;
const KEY = "ab".repeat(32);

const bench = await benchEnvironment({ WORKER_CONCURRENCY: String(CONCURRENCY), TELEGRAM_MAX_PER_SECOND: "1000", TELEGRAM_CHAT_GAP_MS: "0", CODE_ENCRYPTION_KEY: KEY });
const key = Buffer.from(KEY, "hex");
importStock(
  { db: bench.db, sealer: createCodeCipher(key), fingerprint: createCodeFingerprinter(key), now: Date.now },
  "spotify-10-usd",
  parseStockFile(Array.from({ length: N }, (_, i) => `BENCH-SPOTIFY-${i}`).join("\n")),
);
refreshStockAvailability(bench.db, Date.now());
bench.reloadly.setBehaviour("giftcards", 5, { outcome: "instant" });
const routes = [
  { name: "generic (Steam 20)", sku: "steam-20-usd" },
  { name: "Reloadly (Amazon 50)", sku: "amazon-us-50" },
  { name: "stock (Spotify)", sku: "spotify-10-usd" },
  { name: "failover stock → Reloadly → generic (Amazon 25)", sku: "amazon-us-25" },
];
const seeded = routes.map((route, i) => seedUnpaidOrders(bench.db, bench.telegram, N, route.sku, 600_000 + i * 10_000));
// A warm-up through every supplier first (JIT, connections, Reloadly's tokens; paid in USD like every route), not measured.
const warmUp = ["psn-25-usd", "netflix-15-usd"].flatMap((sku, i) => seedUnpaidOrders(bench.db, bench.telegram, 100, sku, 700_000 + i * 1_000));
await bench.start();
const delivered = bench.db.$client.prepare<[string], { n: number }>("SELECT count(*) AS n FROM orders WHERE status = 'delivered' AND sku = ?");
await postAll(warmUp.map((order) => paidEvent(bench.stripe, order)), 32, async (signed) => void (await bench.stripe.post(signed)));
while (delivered.get("psn-25-usd")!.n + delivered.get("netflix-15-usd")!.n < warmUp.length) await sleep(5);

const rates: number[] = [];
for (const [i, route] of routes.entries()) {
  // Amazon 50 and 25 share Reloadly product 5: for the failover route, Reloadly refuses for balance.
  if (route.sku === "amazon-us-25") bench.reloadly.setBehaviour("giftcards", 5, { outcome: "insufficient_balance" });
  const started = performance.now();
  await postAll(seeded[i]!.map((order) => paidEvent(bench.stripe, order)), 32, async (signed) => void (await bench.stripe.post(signed)));
  while (delivered.get(route.sku)!.n < N) await sleep(5);
  rates.push(N / ((performance.now() - started) / 1000));
}
await bench.close();

const rows: BenchRow[] = routes.map((route, i) => ({
  benchmark: "sources",
  measure: `${N} paid orders via ${route.name}, concurrency ${CONCURRENCY}`,
  value: `${fmt(rates[i]!)} orders/s`,
  ...(i === 0 ? {} : { baseline: `${fmt(rates[0]!)} orders/s (generic)`, ratio: `${fmt(rates[i]! / rates[0]!, 2)}×` }),
  target: "informational",
  met: null,
}));
report(rows);
process.exit(0);
