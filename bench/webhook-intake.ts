// Stripe webhook intake: events/s and latency of the real POST /webhooks/stripe (signature check and the
// stored event) in the shop process, under autocannon, against a bare node:http handler doing constructEvent
// and one better-sqlite3 insert, in the same run. Each request is a distinct, validly signed event.
import { spawn } from "node:child_process";
import { join } from "node:path";
import autocannon from "autocannon";
import Stripe from "stripe";
import { benchEnvironment, BENCH_WEBHOOK_SECRET, fmt, report, type BenchRow } from "./lib.js";
import { ROOT } from "../test/helpers/shop-process.js";

const DURATION = Number(process.env["BENCH_SECONDS"] ?? 10);
const CONNECTIONS = 32;
const signer = new Stripe("sk_test_signer");

// Pre-signed events, so that signing costs the load generator nothing during the run.
function signedEvents(count: number): Array<{ body: string; header: string }> {
  const now = Math.floor(Date.now() / 1000);
  return Array.from({ length: count }, (_, i) => {
    const body = JSON.stringify({
      id: `evt_bench_${process.pid}_${i}`,
      object: "event",
      type: "payment_intent.created",
      data: { object: { id: `pi_${i}`, object: "payment_intent", amount: 2199, currency: "usd", metadata: {} } },
    });
    return { body, header: signer.webhooks.generateTestHeaderString({ payload: body, secret: BENCH_WEBHOOK_SECRET, timestamp: now }) };
  });
}

async function load(url: string, events: Array<{ body: string; header: string }>): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION,
    method: "POST",
    requests: [
      {
        setupRequest: (request) => {
          const event = events[next++ % events.length]!;
          return { ...request, method: "POST", body: event.body, headers: { "content-type": "application/json", "stripe-signature": event.header } };
        },
      },
    ],
  });
}

const events = signedEvents(120_000);

// The baseline, in its own process like the shop.
const bench = await benchEnvironment();
const bare = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), join(ROOT, "bench/servers/bare-webhook-server.ts"), join(bench.dir, "bare.sqlite"), BENCH_WEBHOOK_SECRET], { stdio: ["ignore", "pipe", "inherit"] });
const barePort = await new Promise<number>((resolve) => bare.stdout!.on("data", (chunk: Buffer) => resolve(Number(/PORT (\d+)/.exec(chunk.toString())![1]))));
const baseline = await load(`http://127.0.0.1:${barePort}/`, events);
bare.kill();

await bench.start();
const shop = await load(`${bench.shopUrl}/webhooks/stripe`, events.slice(60_000));
const stored = (bench.db.$client.prepare("SELECT count(*) AS n FROM stripe_events").get() as { n: number }).n;
await bench.close();

const errors = (r: autocannon.Result) => r.non2xx + r.errors + r.timeouts;
const ratio = shop.requests.average / baseline.requests.average;
const rows: BenchRow[] = [
  {
    benchmark: "Stripe webhook intake",
    measure: `${CONNECTIONS} connections, ${DURATION} s, ${fmt(stored)} events stored`,
    value: `${fmt(shop.requests.average)} events/s · p50 ${shop.latency.p50} ms · p99 ${shop.latency.p99} ms`,
    baseline: `${fmt(baseline.requests.average)} events/s · p50 ${baseline.latency.p50} ms · p99 ${baseline.latency.p99} ms (bare)`,
    ratio: `${fmt(ratio, 2)}×`,
    target: "≥ 0.8 × bare and ≥ 2,000 events/s",
    met: ratio >= 0.8 && shop.requests.average >= 2000 && errors(shop) === 0,
  },
];
if (errors(shop) + errors(baseline) > 0) console.log(`errors: shop ${errors(shop)}, bare ${errors(baseline)}`);
report(rows);
process.exit(0);
