// Every timer and interval callback is guarded: an error in one run is logged and the process (here, the test
// worker, which fails on any uncaught exception) goes on.
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { repeating } from "../../src/lib/component.js";
import { createLogger } from "../../src/logger.js";
import { schedulePaidNotice } from "../../src/fulfilment/notify.js";
import { startHarness, waitUntil, type Harness } from "../helpers/harness.js";

function capture(): { logs: string[]; logger: ReturnType<typeof createLogger> } {
  const logs: string[] = [];
  const logger = createLogger(
    "info",
    new Writable({
      write(chunk, _encoding, done) {
        logs.push(chunk.toString());
        done();
      },
    }),
  );
  return { logs, logger };
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("repeating jobs", () => {
  it("log a failing run at error level and run again", async () => {
    const { logs, logger } = capture();
    let runs = 0;
    const job = repeating("flaky", 20, () => {
      runs += 1;
      if (runs <= 2) throw new Error("database is locked");
    }, { logger });
    job.start?.();
    try {
      await waitUntil(() => runs >= 4, 2_000, "four runs");
    } finally {
      job.stop?.();
    }
    const failures = logs.map((line) => JSON.parse(line) as { level: number; job: string; msg: string }).filter((entry) => entry.job === "flaky");
    expect(failures).toHaveLength(2);
    expect(failures.every((entry) => entry.level === 50)).toBe(true);
  });

  it("never overlap: a slow run is not started twice", async () => {
    const { logger } = capture();
    let active = 0;
    let most = 0;
    const job = repeating("slow", 10, async () => {
      active += 1;
      most = Math.max(most, active);
      await new Promise((resolve) => setTimeout(resolve, 60));
      active -= 1;
    }, { logger });
    job.start?.();
    await new Promise((resolve) => setTimeout(resolve, 200));
    job.stop?.();
    expect(most).toBe(1);
  });
});

describe("the shop's timers survive database errors", () => {
  it("a broken orders table fails the Stars expiry and the monitors, logged, and the shop keeps running", async () => {
    h = await startHarness({ env: { MONITOR_INTERVAL_MS: "1000", PAYMENT_METHODS: "stripe,stars" } });
    const db = h.shop.db.$client;
    db.exec("ALTER TABLE orders RENAME TO orders_away");
    try {
      await waitUntil(() => h!.logs.some((line) => line.includes('"job":"Stars invoice expiry"')), 5_000, "the failed expiry run to be logged");
    } finally {
      db.exec("ALTER TABLE orders_away RENAME TO orders");
    }
    const response = await fetch(`${h.shopUrl}/healthz`);
    expect(response.status).toBe(200);
  });

  it("the paid-notice timer survives a database error", async () => {
    h = await startHarness();
    const { logs, logger } = capture();
    const db = h.shop.db.$client;
    schedulePaidNotice({ ...h.shop.pipeline, logger }, "ORD-AAAAAAAA");
    db.exec("ALTER TABLE orders RENAME TO orders_away");
    try {
      await waitUntil(() => logs.some((line) => line.includes("could not send the payment-received notice")), 3_000, "the logged failure");
    } finally {
      db.exec("ALTER TABLE orders_away RENAME TO orders");
    }
  });
});
