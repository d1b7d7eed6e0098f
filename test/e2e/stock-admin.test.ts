// The operator's stock: a .csv or .txt file sent to the ops chat with the caption /stock add <sku> (admins
// only), `npm run stock -- add <sku> <file>`, /stock counts per SKU and the low-stock alert.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDeliveredItems } from "../../src/orders/repository.js";
import { stripHtml } from "../../src/sandbox/fake-telegram.js";
import { availableStock } from "../../src/supplier/stock/store.js";
import { ROOT } from "../helpers/shop-process.js";
import { ADMIN_ID, ENCRYPTION_KEY, OPS_CHAT_ID, opsMessage, paidOrder, startHarness, waitForStatus, type Harness } from "../helpers/harness.js";

let h: Harness;
const STRANGER = 666;

beforeAll(async () => {
  h = await startHarness({ shop: { pipeline: { backoffBaseMs: 20 } } });
  h.customer(ADMIN_ID);
  h.customer(STRANGER);
});
afterAll(async () => {
  await h.close();
});

const FILE = ["code;pin;expires", "SPOT-AAAA-0001", "SPOT-AAAA-0002;;2030-01-01", "spot-aaaa-0001", "SPOT-OLD-0003;;2020-01-01", "SPOT-BAD;1;2;3", "SPOT-AAAA-0004"].join("\n");

function pool(sku: string): number {
  return availableStock(h.shop.db, sku, Date.now());
}

describe("stock import from the ops chat", () => {
  it("imports an admin's file: counts what was added and refused, never echoes a code, and deletes the file from the chat", async () => {
    const before = h.telegram.version;
    const messageId = h.telegram.sendDocument(ADMIN_ID, { fileName: "spotify.csv", content: FILE, caption: "/stock add spotify-10-usd", chatId: OPS_CHAT_ID });
    const report = await h.telegram.waitFor(OPS_CHAT_ID, (m) => m.version > before && m.text.includes("Stock of spotify-10-usd"));
    const text = stripHtml(report.text);
    expect(text).toContain("Stock of spotify-10-usd: 3 code(s) added; 3 available now.");
    expect(text).toContain("1 duplicate(s) rejected");
    expect(text).toContain("1 expired code(s) rejected");
    expect(text).toContain("1 unreadable line(s): 6");
    expect(text).toContain("The file was deleted from this chat.");
    expect(text).not.toMatch(/SPOT-/);
    expect(h.telegram.messages(OPS_CHAT_ID).find((m) => m.message_id === messageId)!.deleted).toBe(true);
    expect(h.logs.join("")).not.toContain("SPOT-AAAA");
    expect(pool("spotify-10-usd")).toBe(3);
  });

  it("sells the imported codes: the customer gets one of them", async () => {
    const orderId = await paidOrder(h, 9001, ["/start buy_spotify-10-usd"]);
    await waitForStatus(h, orderId, "delivered");
    const code = h.shop.pipeline.sealer.open(getDeliveredItems(h.shop.db, orderId)[0]!.codeEnc, orderId);
    expect(["SPOT-AAAA-0001", "SPOT-AAAA-0002", "SPOT-AAAA-0004"]).toContain(code);
    await h.customer(9001).expect(code);
    expect(pool("spotify-10-usd")).toBe(2);
  });

  it("refuses a file that is not .csv or .txt, and a caption without a sku gets the usage", async () => {
    h.telegram.sendDocument(ADMIN_ID, { fileName: "codes.xlsx", content: "X", caption: "/stock add spotify-10-usd" });
    await h.telegram.waitFor(ADMIN_ID, (m) => m.text.includes("Nothing imported: send the codes as a .csv or .txt file"));
    h.telegram.sendText(ADMIN_ID, "/stock add spotify-10-usd");
    await h.telegram.waitFor(ADMIN_ID, (m) => m.text.includes("with the caption /stock add &lt;sku&gt;") || m.text.includes("with the caption /stock add <sku>"));
  });

  it("/stock shows the counts per SKU, and the pools in use that are empty", async () => {
    h.telegram.sendText(ADMIN_ID, "/stock");
    const answer = stripHtml((await h.telegram.waitFor(ADMIN_ID, (m) => m.text.includes("the shop's own codes"))).text);
    expect(answer).toContain("spotify-10-usd: 2 available ⚠️ low · 1 sold · 0 expired");
    expect(answer).toContain("amazon-us-25: 0 available ⚠️ low · 0 sold · 0 expired");
    expect(answer).toContain("netflix-15-usd: 0 available");
  });

  it("raises the low-stock alert under STOCK_LOW_THRESHOLD", async () => {
    await h.shop.monitors.check();
    const alert = stripHtml((await opsMessage(h, "stock is running low")).text);
    expect(alert).toContain("spotify-10-usd: 2 code(s) left (threshold 5; used by spotify-10-usd)");
    // Every pool under the threshold has its line (each pool is a subject of its own, not one overwriting another).
    expect(alert).toContain("amazon-us-25: 0 code(s) left");
  });

  it("ignores a stranger's file and command: nothing imported, no hint that they exist", async () => {
    const before = pool("amazon-us-25");
    h.telegram.sendDocument(STRANGER, { fileName: "evil.txt", content: "EVIL-0001\nEVIL-0002", caption: "/stock add amazon-us-25" });
    h.telegram.sendDocument(STRANGER, { fileName: "evil.txt", content: "EVIL-0003", caption: "/stock add amazon-us-25", chatId: OPS_CHAT_ID });
    const sent = h.telegram.messages(STRANGER).length;
    h.telegram.sendText(STRANGER, "/stock");
    const answer = await h.telegram.waitFor(STRANGER, (m) => h.telegram.messages(STRANGER).indexOf(m) >= sent);
    expect(stripHtml(answer.text)).toBe("I don't know that command. /help lists what I can do.");
    expect(pool("amazon-us-25")).toBe(before);
    expect(h.telegram.messages(STRANGER).filter((m) => m.from === "bot").map((m) => stripHtml(m.text))).toEqual(["I don't know that command. /help lists what I can do."]);
    expect(h.telegram.messages(OPS_CHAT_ID).some((m) => m.text.includes("Stock of amazon-us-25"))).toBe(false);
  });
});

describe("npm run stock", () => {
  it("adds a file's codes to the shop's database, encrypted with its key, while the shop runs", () => {
    const file = join(h.dir, "amazon.txt");
    writeFileSync(file, "AMZN-CLI-0001\nAMZN-CLI-0002\nAMZN-CLI-0001\n");
    const env = { ...process.env, DATABASE_PATH: h.dbPath, CODE_ENCRYPTION_KEY: ENCRYPTION_KEY };
    const run = (...args: string[]) => spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), join(ROOT, "src/ops/stock-cli.ts"), ...args], { cwd: h.dir, env, encoding: "utf8" });
    const added = run("add", "amazon-us-25", file);
    expect(added.status).toBe(0);
    expect(added.stdout).toContain("Stock of amazon-us-25: 2 code(s) added; 2 available now.");
    expect(added.stdout).toContain("1 duplicate(s) rejected");
    expect(added.stdout).not.toContain("AMZN-CLI");
    expect(pool("amazon-us-25")).toBe(2);
    expect(run("list").stdout).toContain("amazon-us-25: 2 available");
    const wrong = spawnSync(process.execPath, ["--import", import.meta.resolve("tsx"), join(ROOT, "src/ops/stock-cli.ts"), "add", "amazon-us-25", file], {
      cwd: h.dir,
      env: { ...env, CODE_ENCRYPTION_KEY: "" },
      encoding: "utf8",
    });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain("CODE_ENCRYPTION_KEY is missing or invalid");
    expect(run("nonsense").stderr).toContain("usage: npm run stock -- add <sku>");
  });
});
