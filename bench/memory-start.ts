// Memory and start: the shop process's time from spawn to a healthy /healthz (compiled, as production runs
// it; and through tsx, as `npm start` does), and its resident memory after 10,000 orders went through it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { benchEnvironment, buildShop, fmt, nodeFlags, paidEvent, postAll, report, seedUnpaidOrders, sleep, type BenchRow } from "./lib.js";
import { ROOT, spawnShop } from "../test/helpers/shop-process.js";

const N = Number(process.env["BENCH_ORDERS"] ?? 10_000);
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024;

/**
 * Where the resident memory is, from /proc/<pid>/smaps: the node binary's own mappings (its code and data, the
 * same for any Node program), the malloc heap, libraries, and the rest (anonymous: V8's heap pages, thread arenas).
 */
function whereResident(pid: number): string {
  const regions = new Map<string, number>();
  for (const block of readFileSync(`/proc/${pid}/smaps`, "utf8").split(/\n(?=[0-9a-f]+-[0-9a-f]+ )/)) {
    const path = block.split("\n")[0]!.split(/\s+/)[5] ?? "";
    const rss = Number(/\nRss:\s+(\d+) kB/.exec(block)?.[1] ?? 0) / 1024;
    const region = path === process.execPath ? "node binary" : path === "[heap]" ? "malloc heap" : path.startsWith("/") ? "libraries" : "anonymous";
    regions.set(region, (regions.get(region) ?? 0) + rss);
  }
  return `RSS ${fmt(rssMb(pid), 1)} MB: ${[...regions].sort((x, y) => y[1] - x[1]).map(([name, mb]) => `${name} ${fmt(mb, 1)} MB`).join(", ")}`;
}

// The same flags as production for every start measured here.
const bench = await benchEnvironment({ WORKER_CONCURRENCY: "32", TELEGRAM_MAX_PER_SECOND: "1000", TELEGRAM_CHAT_GAP_MS: "0" });
const orders = seedUnpaidOrders(bench.db, bench.telegram, N);

// Start times, compiled, as production runs it: with the module compile cache (src/main.ts) in a folder of its own,
// first empty (a cold start: what a machine without the cache sees), then filled (every start after the first,
// and the Docker image's first, whose cache is filled at build time). And through tsx, as `npm start` does.
const compileCache = join(bench.dir, "compile-cache");
const env = { ...bench.env, NODE_COMPILE_CACHE: compileCache };
const cold = await spawnShop(env, { cwd: bench.dir, entry: [...nodeFlags(), buildShop()] });
const coldMs = cold.startMs;
await cold.kill("SIGTERM");
const starts: number[] = [];
const tsxStarts: number[] = [];
for (let i = 0; i < 3; i++) {
  const compiled = await spawnShop(env, { cwd: bench.dir, entry: [...nodeFlags(), buildShop()] });
  starts.push(compiled.startMs);
  await compiled.kill("SIGTERM");
  const viaTsx = await spawnShop(env, { cwd: bench.dir, entry: [...nodeFlags(), "--import", import.meta.resolve("tsx"), join(ROOT, "src/main.ts")] });
  tsxStarts.push(viaTsx.startMs);
  await viaTsx.kill("SIGTERM");
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const shop = await bench.start();
const pid = shop.child.pid!;
const idleRss = rssMb(pid);
console.log(`idle: ${whereResident(pid)}`);
const delivered = bench.db.$client.prepare("SELECT count(*) AS n FROM orders WHERE status = 'delivered'");
await postAll(orders, 32, async (order) => void (await bench.stripe.post(paidEvent(bench.stripe, order))));
while ((delivered.get() as { n: number }).n < N) await sleep(100);
await sleep(2_000);
const afterRss = rssMb(pid);
console.log(`after ${fmt(N)} orders: ${whereResident(pid)}`);
if (process.env["BENCH_HEAP_SNAPSHOT"]) {
  process.kill(pid, "SIGUSR2");
  await sleep(8_000);
}
const metrics = await (await fetch(`${bench.shopUrl}/metrics`)).text();
const heap = (name: string) => Number(new RegExp(`^shop_process_${name}(?:\\{[^}]*\\})? (\\S+)`, "m").exec(metrics)?.[1] ?? NaN) / 1024 / 1024;
console.log(`heap used ${fmt(heap("nodejs_heap_size_used_bytes"), 1)} MB, heap total ${fmt(heap("nodejs_heap_size_total_bytes"), 1)} MB, external ${fmt(heap("nodejs_external_memory_bytes"), 1)} MB`);
await bench.close();

const rows: BenchRow[] = [
  {
    benchmark: "memory and start",
    measure: `RSS after ${fmt(N)} orders`,
    value: `${fmt(afterRss, 1)} MB`,
    baseline: `${fmt(idleRss, 1)} MB (the same process, idle after start)`,
    ratio: `${fmt(afterRss / idleRss, 2)}×`,
    target: "≤ 150 MB",
    met: afterRss <= 150,
  },
  {
    benchmark: "memory and start",
    measure: "start to ready (/healthz 200), compiled, compile cache filled",
    value: `${fmt(median(starts))} ms`,
    baseline: `${fmt(coldMs)} ms (cache empty) · ${fmt(median(tsxStarts))} ms (tsx, npm start)`,
    target: "≤ 1.5 s",
    met: median(starts) <= 1500,
  },
];
report(rows);
process.exit(0);
