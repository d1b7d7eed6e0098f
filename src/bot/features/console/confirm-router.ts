// The console's "Are you sure?": one registry (bot/confirm.ts) for every console action that moves money or many
// orders (a price, a bulk retry, a broadcast, a promo code, a pause from an alert). Each module registers what its
// action does; the Confirm and Cancel buttons of a question that is not the console's pass on to the features after
// it (fraud, admin), which share the buttons' callback data.
import type { Composer } from "grammy";
import { escapeHtml } from "../../../lib/html.js";
import { getOrder } from "../../../orders/repository.js";
import type { Db } from "../../../db/connection.js";
import type { OrderRow } from "../../../orders/state-machine.js";
import { CANCEL_DATA, CONFIRM_DATA, createConfirmations } from "../../confirm.js";
import type { ShopContext } from "../../context.js";

export type ActionResult = { ok: boolean; message: string };

/** What a question carries until it is answered: the action's name and its own data. */
interface Payload {
  action: string;
  data: unknown;
}

export interface ConsoleConfirmations {
  /** Sends the question (HTML) with Confirm / Cancel; `orders` are checked unchanged when Confirm comes. */
  ask(ctx: ShopContext, question: { action: string; data: unknown; text: string; confirmLabel: string; orders?: readonly OrderRow[] }): Promise<unknown>;
  /** What Confirm does for an action; `data` is what `ask` was given. */
  on<Data>(action: string, run: (ctx: ShopContext & { from: { id: number } }, data: Data) => Promise<ActionResult> | ActionResult): void;
  /** Whether the question is the console's (and still waiting). */
  owns(id: string): boolean;
}

export function createConsoleConfirmations(admin: Composer<ShopContext>, db: Db): ConsoleConfirmations {
  const registry = createConfirmations<Payload>({ now: Date.now });
  const actions = new Map<string, (ctx: ShopContext & { from: { id: number } }, data: unknown) => Promise<ActionResult> | ActionResult>();

  admin.callbackQuery(CONFIRM_DATA, async (ctx, next) => {
    const id = ctx.match[1]!;
    if (!registry.owns(id)) return next();
    const taken = registry.confirm(id, (orderId) => getOrder(db, orderId));
    let result: ActionResult;
    if (!taken.ok) result = { ok: false, message: taken.reason };
    else {
      const run = actions.get(taken.confirmation.payload.action);
      result = run ? await run(ctx, taken.confirmation.payload.data) : { ok: false, message: `Nothing to do for ${taken.confirmation.payload.action}.` };
    }
    await ctx.answerCallbackQuery({ text: result.message.slice(0, 190), show_alert: !result.ok });
    // The question gives way to what came of it.
    const title = ctx.callbackQuery.message?.text?.split("\n")[0] ?? "";
    await ctx.editMessageText(`${escapeHtml(title)}\n${result.ok ? "✅" : "⚠️"} ${escapeHtml(result.message)}`.slice(0, 4000), { parse_mode: "HTML" }).catch(() => undefined);
  });
  admin.callbackQuery(CANCEL_DATA, async (ctx, next) => {
    if (!registry.cancel(ctx.match[1]!)) return next();
    await ctx.answerCallbackQuery({ text: "Cancelled: nothing was done." });
    const title = ctx.callbackQuery.message?.text?.split("\n")[0] ?? "";
    await ctx.editMessageText(`${escapeHtml(title)}\n✖️ Cancelled: nothing was done.`, { parse_mode: "HTML" }).catch(() => undefined);
  });

  return {
    async ask(ctx, question) {
      const { keyboard } = registry.ask({
        action: question.action,
        orders: question.orders ?? [],
        payload: { action: question.action, data: question.data },
        askedBy: ctx.from!.id,
        confirmLabel: question.confirmLabel,
      });
      return ctx.reply(question.text, { parse_mode: "HTML", reply_markup: keyboard, link_preview_options: { is_disabled: true } });
    },
    on(action, run) {
      actions.set(action, run as (ctx: ShopContext & { from: { id: number } }, data: unknown) => Promise<ActionResult> | ActionResult);
    },
    owns: (id) => registry.owns(id),
  };
}
