// /export [from] [to]: the orders of those UTC days as a CSV document in the chat (orders/export.ts), streamed from the
// database in batches. No code, PIN or card detail is in it.
import { InputFile, type Composer } from "grammy";
import { countOrdersIn, exportOrdersCsv, parseExportRange } from "../../../orders/export.js";
import type { ShopContext } from "../../context.js";
import type { ConsoleDeps } from "./deps.js";

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function exportCommands(admin: Composer<ShopContext>, deps: ConsoleDeps): void {
  const db = deps.pipeline.db;
  admin.command("export", async (ctx) => {
    const parsed = parseExportRange(ctx.match, deps.pipeline.now());
    if (!parsed.ok) return ctx.reply(parsed.message);
    const { range } = parsed;
    const orders = countOrdersIn(db, range);
    const first = range.from === 0 ? "start" : day(range.from);
    const last = day(range.to - 1);
    // A supplier of the file, not the file: a retried upload (a 429) reads the orders again from the start.
    const file = new InputFile(() => exportOrdersCsv(db, range), `orders-${first}-to-${last}.csv`);
    deps.pipeline.logger.info({ orders, from: first, to: last, by: ctx.from!.id }, "orders exported");
    return ctx.replyWithDocument(file, { caption: `📄 ${orders} order(s) created ${range.from === 0 ? "up to" : `from ${first} to`} ${last} (UTC). Amounts in each order's currency; no codes.` });
  });
}
