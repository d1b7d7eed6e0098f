// No code or PIN rests in plaintext anywhere: codes that arrived by supplier webhook, by polling, typed by an
// admin, bought with Stars, looked for in the database file, its WAL and a backup made with `npm run backup`;
// and a database written by an older version (webhook bodies stored whole) is scrubbed by its migration.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER, openDatabase } from "../../src/db/connection.js";
import { ADMIN_ID, STEAM_20, confirmAsAdmin, openOrder, paidOrder, startHarness, waitForStatus, waitUntil, type Harness } from "../helpers/harness.js";
import { ROOT } from "../helpers/shop-process.js";

function fileContains(path: string, needles: string[]): string[] {
  if (!existsSync(path)) return [];
  const bytes = readFileSync(path).toString("latin1");
  return needles.filter((needle) => bytes.includes(needle));
}

describe("codes at rest, by every way they arrive", () => {
  let h: Harness;
  const codes: string[] = [];
  let backupPath = "";

  beforeAll(async () => {
    h = await startHarness({
      env: { PAYMENT_METHODS: "stripe,stars" },
      shop: { pipeline: { backoffBaseMs: 20, pollIntervalMs: 200, pollWindowMs: 60_000 } },
      simulator: {
        behaviours: {
          // By webhook: pending, then completed with a webhook whose body carries the code.
          "psn-25-usd": { outcome: "pending", resolveAfterMs: 100, webhook: "once" },
          // By polling: pending with no webhook at all.
          "google-play-10-eur": { outcome: "pending", resolveAfterPolls: 1, webhook: "none" },
          // By hand: the supplier's answer cannot be trusted, an admin types the code.
          "steam-50-usd": { outcome: "empty_code" },
        },
      },
    });
    const webhook = await paidOrder(h, 8101, ["/start buy_psn-25-usd"]);
    const polled = await paidOrder(h, 8102, ["/start buy_google-play-10-eur"]);
    const byHand = await paidOrder(h, 8103, ["/start buy_steam-50-usd"]);
    await waitForStatus(h, webhook, "delivered");
    await waitForStatus(h, polled, "delivered");
    await waitForStatus(h, byHand, "needs_review");
    const typed = "HANDTYPED-7Q4K-2M9X-PLAIN";
    h.customer(ADMIN_ID);
    h.telegram.sendText(ADMIN_ID, `/code ${byHand} ${typed}`);
    await confirmAsAdmin(h, "Send this code");
    await waitForStatus(h, byHand, "delivered");
    // Stars: an invoice paid in the chat, the code delivered like any other.
    const starsCustomer = h.customer(8104);
    const { orderId: starsOrder } = await openOrder(h, starsCustomer, STEAM_20);
    starsCustomer.tap(/^⭐/);
    const invoice = await h.telegram.waitFor(starsCustomer.id, (m) => Boolean(m.invoice));
    await h.telegram.payInvoice(starsCustomer.id, invoice.message_id);
    await waitForStatus(h, starsOrder, "delivered");
    for (const reference of [webhook, polled, starsOrder]) {
      for (const item of h.supplier.orderByReference(reference)!.items) codes.push(item.code!, ...(item.pin ? [item.pin] : []));
    }
    codes.push(typed);
    // The supplier's webhook for the first order really carried its code in the body.
    expect(h.supplier.webhooksSent.some((w) => w.reference === webhook && w.status === 200)).toBe(true);
    // A backup made with `npm run backup` while the shop runs.
    backupPath = join(h.dir, "backups", "shop.sqlite");
    const result = spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), join(ROOT, "src/ops/backup-cli.ts"), backupPath], {
      cwd: h.dir,
      env: { PATH: process.env["PATH"] ?? "", DATABASE_PATH: h.dbPath },
      encoding: "utf8",
    });
    expect(result.status, result.stderr).toBe(0);
  });
  afterAll(async () => {
    await h.close();
  });

  it("the codes are known (webhook, polling, by hand, Stars)", () => {
    expect(codes.length).toBeGreaterThanOrEqual(4);
  });

  it("are in none of the database file, its WAL, or the backup", async () => {
    await waitUntil(() => (h.shop.db.$client.prepare("SELECT count(*) AS n FROM supplier_events WHERE processed_at IS NULL").get() as { n: number }).n === 0);
    for (const file of [h.dbPath, `${h.dbPath}-wal`, backupPath]) {
      expect(fileContains(file, codes), `plaintext code in ${file}`).toEqual([]);
    }
    h.shop.db.$client.pragma("wal_checkpoint(TRUNCATE)");
    expect(fileContains(h.dbPath, codes)).toEqual([]);
  });

  it("supplier webhooks keep only what the shop needs (no body)", () => {
    const columns = (h.shop.db.$client.prepare("PRAGMA table_info(supplier_events)").all() as Array<{ name: string }>).map((c) => c.name);
    expect(columns).not.toContain("payload");
    const rows = h.shop.db.$client.prepare("SELECT * FROM supplier_events").all() as Array<Record<string, unknown>>;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]).toMatchObject({ type: "order.completed", status: "completed" });
  });
});

describe("a database from before the scrub", () => {
  it("loses the webhook bodies it kept in plaintext when the migration runs, leaving no trace in the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "shop-scrub-"));
    try {
      // The migrations as they were before the scrub (0000 and 0001).
      const old = join(dir, "migrations");
      cpSync(MIGRATIONS_FOLDER, old, { recursive: true });
      const journalPath = join(old, "meta", "_journal.json");
      const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: Array<{ tag: string }> };
      journal.entries = journal.entries.filter((entry) => entry.tag === "0000_init" || entry.tag === "0001_instance_lease");
      writeFileSync(journalPath, JSON.stringify(journal));
      const path = join(dir, "old.sqlite");
      const before = openDatabase(path, { migrationsFolder: old });
      const leaked = ["LEAKED-CODE-AAAA-1111", "LEAKED-PIN-9876"];
      const insert = before.$client.prepare("INSERT INTO supplier_events (id, type, supplier_order_id, reference, payload, received_at) VALUES (?, 'order.completed', 'SUP-1', ?, ?, ?)");
      for (let i = 0; i < 50; i++) {
        const body = JSON.stringify({ id: `evt_${i}`, data: { order: { items: [{ code: `${leaked[0]}-${i}`, pin: `${leaked[1]}-${i}` }] } } });
        insert.run(`evt_${i}`, `ORD-${i}`, body, Date.now());
      }
      before.$client.close();
      expect(fileContains(path, leaked).length + fileContains(`${path}-wal`, leaked).length).toBeGreaterThan(0);

      const after = openDatabase(path);
      expect(after.$client.prepare("SELECT count(*) AS n FROM supplier_events").get()).toEqual({ n: 50 });
      after.$client.close();
      expect(fileContains(path, leaked)).toEqual([]);
      expect(fileContains(`${path}-wal`, leaked)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
