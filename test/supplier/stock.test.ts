// The shop's own stock in a real SQLite file: files read line by line, codes encrypted at rest, duplicates
// (also against sold codes) and expired codes refused, each code reserved once, all or none, and a released
// code sold again.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../src/db/connection.js";
import { manualClock } from "../../src/lib/clock.js";
import { createCodeCipher, createCodeFingerprinter } from "../../src/lib/crypto.js";
import { parseStockFile } from "../../src/supplier/stock/parse.js";
import { availableStock, findReserved, importStock, releaseStock, reserveStock, stockCounts, type StockDeps } from "../../src/supplier/stock/store.js";

const key = Buffer.alloc(32, 3);
const clock = manualClock(Date.UTC(2026, 10, 27, 12));
let dir: string;
let db: Db;
let deps: StockDeps;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "stock-"));
  db = openDatabase(join(dir, "shop.sqlite"));
  deps = { db, sealer: createCodeCipher(key), fingerprint: createCodeFingerprinter(key), now: clock.now };
  clock.set(Date.UTC(2026, 10, 27, 12));
});
afterEach(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

const add = (pool: string, lines: string[]) => importStock(deps, pool, parseStockFile(lines.join("\n")));
const reserve = (reference: string, quantity = 1, pool = "amazon-us-25") => reserveStock(deps, { pool, reference, orderId: reference.slice(0, 12), quantity });

describe("stock files", () => {
  it("reads a code per line, optionally with a PIN and an expiry, and counts the lines it cannot read", () => {
    const parsed = parseStockFile(
      ["\uFEFFcode;pin;expires", "AAAA-1111", "", "# a comment", "BBBB-2222;9876", "CCCC-3333;;2027-01-31", "DDDD-4444;1234;2027-02-30", "EEEE;1;2;3", "FFFF-6666;;2027-03-01T00:00:00Z"].join("\r\n"),
    );
    expect(parsed.entries).toEqual([
      { code: "AAAA-1111", pin: null, expiresOn: null },
      { code: "BBBB-2222", pin: "9876", expiresOn: null },
      { code: "CCCC-3333", pin: null, expiresOn: "2027-01-31" },
      { code: "FFFF-6666", pin: null, expiresOn: "2027-03-01" },
    ]);
    // Line numbers, never the content: an unreadable line may still be a code.
    expect(parsed.invalidLines).toEqual([7, 8]);
  });
});

describe("the stock", () => {
  it("keeps codes and PINs encrypted at rest: the database file never holds them in plain text", () => {
    add("amazon-us-25", ["PLAIN-CODE-000111;PIN-424242"]);
    db.$client.pragma("wal_checkpoint(TRUNCATE)");
    const bytes = readFileSync(join(dir, "shop.sqlite")).toString("latin1");
    expect(bytes).not.toContain("PLAIN-CODE-000111");
    expect(bytes).not.toContain("PIN-424242");
    expect(reserve("ORD-STOCK001")).toEqual([{ code: "PLAIN-CODE-000111", pin: "PIN-424242", expiresOn: null }]);
  });

  it("rejects duplicates with a count: twice in a file, already in stock, or sold before (dashes and case do not matter)", () => {
    expect(add("amazon-us-25", ["AAAA-BBBB-CCCC", "aaaa bbbb cccc", "DDDD-EEEE"])).toMatchObject({ added: 2, duplicates: 1 });
    expect(reserve("ORD-STOCK002", 2)).toHaveLength(2);
    const again = add("amazon-us-25", ["AAAABBBBCCCC", "DDDD-EEEE", "FFFF-GGGG"]);
    expect(again).toMatchObject({ added: 1, duplicates: 2 });
    // Across pools too: one code is one code.
    expect(add("netflix-15-usd", ["FFFF-GGGG"])).toMatchObject({ added: 0, duplicates: 1 });
  });

  it("never sells an expired code: refused at import, and skipped once its day has passed", () => {
    expect(add("amazon-us-25", ["OLD-1;;2026-11-26", "TODAY-1;;2026-11-27", "LATER-1;;2026-11-28"])).toMatchObject({ added: 2, expired: 1 });
    clock.advance(86_400_000);
    expect(availableStock(db, "amazon-us-25", clock.now())).toBe(1);
    expect(stockCounts(db, clock.now())).toEqual([{ pool: "amazon-us-25", available: 1, sold: 0, expired: 1 }]);
    expect(reserve("ORD-STOCK003")![0]!.code).toBe("LATER-1");
    expect(reserve("ORD-STOCK004")).toBeNull();
  });

  it("sells the codes that expire soonest first", () => {
    add("amazon-us-25", ["NEVER-1", "LATE-1;;2027-06-01", "SOON-1;;2026-12-01"]);
    expect([reserve("ORD-STOCK005"), reserve("ORD-STOCK006"), reserve("ORD-STOCK007")].map((codes) => codes![0]!.code)).toEqual(["SOON-1", "LATE-1", "NEVER-1"]);
  });

  it("reserves all of an order's codes or none, each code once, and gives the same codes for the same reference", () => {
    add("amazon-us-25", ["A-1", "A-2", "A-3"]);
    const first = reserve("ORD-STOCK008", 2)!;
    expect(first).toHaveLength(2);
    expect(reserve("ORD-STOCK008", 2)).toEqual(first);
    expect(reserve("ORD-STOCK009", 2)).toBeNull();
    expect(availableStock(db, "amazon-us-25", clock.now())).toBe(1);
    // A second connection to the same file (another process) sees the reservations.
    const other = openDatabase(join(dir, "shop.sqlite"));
    try {
      const second = reserveStock({ ...deps, db: other }, { pool: "amazon-us-25", reference: "ORD-STOCK010", orderId: "ORD-STOCK010", quantity: 1 })!;
      expect(first.map((c) => c.code)).not.toContain(second[0]!.code);
      expect(reserveStock({ ...deps, db: other }, { pool: "amazon-us-25", reference: "ORD-STOCK011", orderId: "ORD-STOCK011", quantity: 1 })).toBeNull();
    } finally {
      other.$client.close();
    }
    expect(findReserved(deps, "ORD-STOCK008")).toEqual(first);
    expect(findReserved(deps, "ORD-STOCK012")).toEqual([]);
  });

  it("puts a released order's codes back, to be sold again", () => {
    add("amazon-us-25", ["R-1", "R-2"]);
    const codes = reserve("ORD-STOCK013", 2)!;
    expect(availableStock(db, "amazon-us-25", clock.now())).toBe(0);
    expect(releaseStock(db, "ORD-STOCK013")).toBe(2);
    expect(findReserved(deps, "ORD-STOCK013")).toEqual([]);
    expect(reserve("ORD-STOCK014", 2)!.map((c) => c.code).sort()).toEqual(codes.map((c) => c.code).sort());
  });
});
