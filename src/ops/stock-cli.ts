// npm run stock -- add <sku> <file> | list: the shop's own code stock from the command line, on the database
// at DATABASE_PATH, encrypted with CODE_ENCRYPTION_KEY (read from .env or the environment, as the shop does).
import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { configSchema } from "../config.js";
import { openDatabase } from "../db/connection.js";
import { createCodeCipher, createCodeFingerprinter } from "../lib/crypto.js";
import { describeImport, describeStock, importStockFile, StockImportError } from "./stock-import.js";

const USAGE = "usage: npm run stock -- add <sku> <file.csv|file.txt>   (one code per line: code;pin;YYYY-MM-DD)\n       npm run stock -- list";

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

if (existsSync(".env")) process.loadEnvFile(".env");
const [command, pool, file] = process.argv.slice(2);
if (command !== "add" && command !== "list") fail(USAGE);
const key = configSchema.shape.CODE_ENCRYPTION_KEY.safeParse(process.env["CODE_ENCRYPTION_KEY"] ?? "");
if (!key.success) fail("CODE_ENCRYPTION_KEY is missing or invalid: set the shop's key (the stock is encrypted with it).");
const db = openDatabase(process.env["DATABASE_PATH"] || "./data/shop.sqlite");
const deps = { db, sealer: createCodeCipher(key.data), fingerprint: createCodeFingerprinter(key.data), now: Date.now };
const threshold = Number(process.env["STOCK_LOW_THRESHOLD"] || 5);
try {
  if (command === "list") {
    console.log(describeStock(deps, threshold).join("\n"));
  } else {
    if (!pool || !file) fail(USAGE);
    if (!existsSync(file)) fail(`${file}: no such file`);
    console.log(describeImport(importStockFile(deps, pool, basename(file), readFileSync(file))).join("\n"));
  }
} catch (error) {
  fail(error instanceof StockImportError ? `Nothing imported: ${error.message}` : `Failed: ${(error as Error).message}`);
} finally {
  db.$client.close();
}
