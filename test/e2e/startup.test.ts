// Start-up and one instance per database, as an operator meets them: Telegram unreachable or refusing the
// token, a busy port, a leftover webhook, another poller, a second process on the same database, and the
// production entry point refusing to start the sandbox or sell the example catalog.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createShop, type Shop, type ShopOptions } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { openDatabase } from "../../src/db/connection.js";
import { createLease, holderIsGone } from "../../src/db/lease.js";
import { createLogger } from "../../src/logger.js";
import { startFakeStripe, type FakeStripe } from "../../src/sandbox/fake-stripe.js";
import { startFakeTelegram, type FakeTelegram } from "../../src/sandbox/fake-telegram.js";
import { startSupplierSimulator, type SupplierSimulator } from "../../src/supplier/simulator.js";
import { fakeEnv } from "../helpers/env.js";
import { OPS_CHAT_ID, RELOADLY_CLIENT_ID, RELOADLY_CLIENT_SECRET, STRIPE_SECRET, SUPPLIER_KEY, SUPPLIER_SECRET, TOKEN, reloadlyEnv, waitUntil } from "../helpers/harness.js";
import { startReloadlySimulator, type ReloadlySimulator } from "../../src/supplier/reloadly/simulator.js";
import { freePort, ROOT } from "../helpers/shop-process.js";

let telegram: FakeTelegram;
let stripe: FakeStripe;
let supplier: SupplierSimulator;
let reloadly: ReloadlySimulator;
let dir: string;
const shops: Shop[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "shop-startup-"));
  telegram = await startFakeTelegram({ token: TOKEN });
  telegram.addGroup(OPS_CHAT_ID);
  stripe = await startFakeStripe({ webhookSecret: STRIPE_SECRET });
  supplier = await startSupplierSimulator({ apiKey: SUPPLIER_KEY, webhookSecret: SUPPLIER_SECRET });
  reloadly = await startReloadlySimulator({ clientId: RELOADLY_CLIENT_ID, clientSecret: RELOADLY_CLIENT_SECRET });
});

afterEach(async () => {
  for (const shop of shops.splice(0)) await shop.stop().catch(() => undefined);
  await Promise.all([telegram.close(), stripe.close(), supplier.close(), reloadly.close()]);
  rmSync(dir, { recursive: true, force: true });
});

function env(more: Record<string, string> = {}): Record<string, string> {
  return fakeEnv({ telegramRoot: telegram.apiRoot, stripeUrl: stripe.url, supplierUrl: supplier.url }, { DATABASE_PATH: join(dir, "shop.sqlite"), ...reloadlyEnv(reloadly), ...more });
}

function build(more: Record<string, string> = {}, options: ShopOptions = {}): { shop: Shop; logs: string[] } {
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(chunk.toString());
      done();
    },
  });
  const shop = createShop(loadConfig(env(more)), { pacing: false, logDestination: destination, ...options });
  shops.push(shop);
  return { shop, logs };
}

async function health(port: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("start-up", () => {
  it("listens before Telegram answers: /healthz says starting, each retry is logged, and it gives up with one clear line", async () => {
    // A port where nothing listens: every getMe fails at once with a connection error.
    const deadRoot = `http://127.0.0.1:${await freePort()}`;
    const port = await freePort();
    const { shop, logs } = build({ TELEGRAM_API_ROOT: deadRoot, HTTP_PORT: String(port), TELEGRAM_STARTUP_TIMEOUT_MS: "2500" });
    const starting = shop.start();
    const seen = await waitUntil(async () => health(port).catch(() => undefined), 5_000, "/healthz to answer");
    expect(seen?.status).toBe(503);
    expect(seen?.body).toMatchObject({ status: "starting", starting: "telegram" });
    await expect(starting).rejects.toThrow(/^cannot reach Telegram at http:\/\/127\.0\.0\.1:\d+ \(\d+ tries in [\d.]+ s, TELEGRAM_STARTUP_TIMEOUT_MS=2500; last: .+\): check the network, a proxy, or TELEGRAM_API_ROOT$/);
    expect(logs.some((line) => line.includes("cannot reach Telegram yet; retrying"))).toBe(true);
    // Nothing is left listening after a failed start.
    await expect(health(port)).rejects.toThrow();
  });

  it("a token Telegram refuses fails at once, naming BOT_TOKEN", async () => {
    const { shop } = build({ BOT_TOKEN: "123456:WRONG-token-for-the-fake-bot-api" });
    const started = Date.now();
    await expect(shop.start()).rejects.toThrow(/^BOT_TOKEN was refused by Telegram \(401 Unauthorized\)/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("a busy HTTP_PORT is one line that names HTTP_PORT", async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      const { shop } = build({ HTTP_PORT: String(port) });
      await expect(shop.start()).rejects.toThrow(`HTTP_PORT ${port} is already in use on 127.0.0.1: stop what listens there, or set HTTP_PORT to a free port`);
      expect(shop.db.$client.open).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it("polling removes a webhook left over from webhook mode, then takes updates", async () => {
    telegram.webhookUrl = "https://old.example.com/telegram/webhook";
    const { shop, logs } = build();
    await shop.start();
    expect(telegram.webhookUrl).toBe("");
    expect(logs.some((line) => line.includes("removing it to poll for updates"))).toBe(true);
    telegram.addUser({ id: 5001, first_name: "Ann" });
    telegram.sendText(5001, "/start");
    await telegram.waitFor(5001, (m) => m.text.includes("Welcome"));
  });

  it("another poller (409) ends the shop with a clear message instead of an unhandled rejection", async () => {
    const fatal: string[] = [];
    const { shop } = build({}, { onFatal: (message) => fatal.push(message) });
    telegram.failNext("getUpdates", 1, { code: 409, description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running" });
    await shop.start();
    await waitUntil(() => fatal.length > 0, 5_000, "the fatal report");
    expect(fatal[0]).toMatch(/^Telegram refused to send updates \(409 Conflict: terminated by other getUpdates request.*another process is polling with this BOT_TOKEN/);
  });

  it("a token revoked while running (401 on getUpdates) ends the shop with a clear message", async () => {
    const fatal: string[] = [];
    const { shop } = build({}, { onFatal: (message) => fatal.push(message) });
    telegram.failNext("getUpdates", 1, { code: 401, description: "Unauthorized" });
    await shop.start();
    await waitUntil(() => fatal.length > 0, 5_000, "the fatal report");
    expect(fatal[0]).toMatch(/^Telegram stopped accepting BOT_TOKEN \(401 Unauthorized\)/);
  });
});

describe("one shop process per database", () => {
  it("a second shop with INSTANCE_LEASE=refuse refuses to start, naming the holder", async () => {
    const first = build();
    await first.shop.start();
    const second = build({ INSTANCE_LEASE: "refuse" });
    await expect(second.shop.start()).rejects.toThrow(/^another shop process \(.+\) is running on this database .*stop it first/);
    // The first keeps its lease and keeps working.
    expect(first.shop.phase).toBe("running");
  });

  it("a second shop stands by (/healthz: standby) and takes over when the first stops", async () => {
    const first = build({}, { lease: { ttlMs: 60_000, heartbeatMs: 50 } });
    await first.shop.start();
    const port = await freePort();
    const second = build({ HTTP_PORT: String(port) }, { lease: { ttlMs: 60_000, heartbeatMs: 50 } });
    const starting = second.shop.start();
    await waitUntil(async () => (await health(port).catch(() => undefined))?.body["status"] === "standby", 5_000, "standby");
    expect(second.logs.some((line) => line.includes("waiting as a standby"))).toBe(true);
    // The standby does not take updates: the first still answers customers.
    telegram.addUser({ id: 5002, first_name: "Bo" });
    telegram.sendText(5002, "/start");
    await telegram.waitFor(5002, (m) => m.text.includes("Welcome"));
    await first.shop.stop();
    await starting;
    expect(second.shop.phase).toBe("running");
    expect((await health(port)).body["status"]).toBe("ok");
  });

  it("a stale lease (the holder stopped heartbeating) is taken over", async () => {
    const first = build({}, { lease: { ttlMs: 300, heartbeatMs: 50 } });
    await first.shop.start();
    // The first freezes (its heartbeat stops) without releasing: as after a SIGKILL on another machine.
    first.shop.db.$client.prepare("UPDATE instance_lease SET holder = 'other-host:1:1:abc', heartbeat_at = ?").run(Date.now() - 1_000);
    const second = build({}, { lease: { ttlMs: 300, heartbeatMs: 50 } });
    await second.shop.start();
    expect(second.shop.phase).toBe("running");
  });

  it("a holder that took over from this one makes this one stop (fencing)", async () => {
    const fatal: string[] = [];
    const { shop } = build({}, { lease: { ttlMs: 300, heartbeatMs: 20 }, onFatal: (message) => fatal.push(message) });
    await shop.start();
    shop.db.$client.prepare("UPDATE instance_lease SET holder = 'other-host:1:1:abc'").run();
    await waitUntil(() => fatal.length > 0, 3_000, "the fatal report");
    expect(fatal[0]).toMatch(/another shop process took over this database/);
  });

  it("knows a dead process of this machine from a live one", () => {
    const db = openDatabase(join(dir, "lease.sqlite"));
    const lease = createLease(db, { mode: "refuse", logger: createLogger("silent"), onLost: () => undefined });
    const [host] = lease.holder.split(":");
    expect(holderIsGone(lease.holder)).toBe(false); // this very process
    expect(holderIsGone(`${host}:${process.pid}:12345:abc`)).toBe(true); // an earlier life of this pid
    expect(holderIsGone(`${host}:4194303:1:abc`)).toBe(true); // no such process
    expect(holderIsGone(`another-machine:1:1:abc`)).toBe(false); // cannot tell: wait for the TTL
    db.$client.close();
  });
});

/** Runs src/main.ts (through tsx) with this environment and no .env; resolves with its exit code and output. */
function runMain(environment: Record<string, string>, cwd: string, timeoutMs = 20_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), join(ROOT, "src/main.ts")], {
      cwd,
      env: { PATH: process.env["PATH"] ?? "", ...environment },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`main did not exit within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("production entry point", () => {
  it("without BOT_TOKEN it does not start the sandbox: one line, exit 1", async () => {
    const result = await runMain({ NODE_ENV: "production", BOT_TOKEN: "" }, dir);
    expect(result.code).toBe(1);
    expect(result.output.trim()).toBe(
      "BOT_TOKEN is missing: set it to the token @BotFather gave you (the offline sandbox runs only with `npm start` on a development checkout)",
    );
  });

  it("without CATALOG_PATH it does not sell the example catalog: one line, exit 1", async () => {
    const { CATALOG_PATH: _unset, ...rest } = env();
    const result = await runMain({ ...rest, NODE_ENV: "production" }, ROOT);
    expect(result.code).toBe(1);
    expect(result.output.trim()).toBe("CATALOG_PATH is missing: give the path of your catalog file (the example catalog is not sold in production)");
  });

  it("a second process on the same database with INSTANCE_LEASE=refuse exits with one line", async () => {
    const first = build();
    await first.shop.start();
    const result = await runMain({ ...env({ INSTANCE_LEASE: "refuse", LOG_LEVEL: "silent" }), NODE_ENV: "production", CATALOG_PATH: join(ROOT, "catalog.example.json") }, dir);
    expect(result.code).toBe(1);
    expect(result.output.trim()).toMatch(/^another shop process \([^)]+\) is running on this database \(last heartbeat \d+ s ago\): stop it first; two processes on one database would deliver codes twice$/);
  });
});

describe("stopping", () => {
  it("Ctrl-C twice in the terminal of `npm start` (tsx runs the shop in a child and relays signals) stops it cleanly: lease released, exit 0", async () => {
    const port = await freePort();
    // As `npm start` runs it: the tsx command, which runs the shop in a child and relays signals to it; in a process
    // group of its own, which the test signals as a terminal's Ctrl-C does (every process of the group).
    const child = spawn(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "src/main.ts")], {
      cwd: dir,
      detached: true,
      env: { PATH: process.env["PATH"] ?? "", ...env({ HTTP_PORT: String(port), CATALOG_PATH: join(ROOT, "catalog.example.json") }), NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    await waitUntil(async () => (await health(port).catch(() => ({ status: 0 }))).status === 200, 20_000, "the shop to be healthy");
    // Ctrl-C, and again a moment later (an impatient operator; or tsx relaying it because the shop, busy stopping,
    // did not acknowledge it within 30 ms).
    process.kill(-child.pid!, "SIGINT");
    await new Promise((resolve) => setTimeout(resolve, 15));
    process.kill(-child.pid!, "SIGINT");
    expect(await exited).toBe(0);
    expect(output).toContain("shutting down");
    const db = openDatabase(join(dir, "shop.sqlite"));
    expect(db.$client.prepare("SELECT count(*) AS n FROM instance_lease").get()).toEqual({ n: 0 });
    db.$client.close();
  }, 30_000);
});

describe("tools", () => {
  it("npm run backup names the database it could not open", async () => {
    const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), join(ROOT, "src/ops/backup-cli.ts")], {
        cwd: dir,
        env: { PATH: process.env["PATH"] ?? "", DATABASE_PATH: join(dir, "nowhere", "shop.sqlite") },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      child.on("exit", (code) => resolve({ code, output }));
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain(`cannot open the database ${join(dir, "nowhere", "shop.sqlite")}`);
  });

  it("npm run simulator serves the supplier API on its port", async () => {
    const port = await freePort();
    // In a process group of its own: npm runs tsx, which runs the simulator in a child; the whole group is stopped.
    const child = spawn("npm", ["run", "--silent", "simulator"], {
      cwd: ROOT,
      detached: true,
      env: { ...process.env, SIMULATOR_PORT: String(port), SUPPLIER_API_KEY: "cli-key" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let output = "";
      child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      await waitUntil(() => output.includes("listening on"), 15_000, "the simulator to listen");
      const response = await fetch(`http://127.0.0.1:${port}/balance`, { headers: { authorization: "Bearer cli-key" } });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ balance: { currency: "USD" } });
    } finally {
      process.kill(-child.pid!, "SIGTERM");
    }
  });
});
