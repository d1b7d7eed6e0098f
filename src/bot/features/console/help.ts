// /help for admins: every admin command, one line each, from the one list (bot/admin-help.ts). A customer's /help
// is not touched: this answers admins only.
import type { Composer } from "grammy";
import { escapeHtml } from "../../../lib/html.js";
import { ADMIN_HELP } from "../../admin-help.js";
import type { ShopContext } from "../../context.js";

export function adminHelpText(): string {
  const lines = ["🧰 <b>Admin commands</b> (admins only; in the ops chat or here)"];
  for (const section of ADMIN_HELP) {
    lines.push("", `<b>${escapeHtml(section.section)}</b>`);
    for (const { command, usage, does } of section.commands) lines.push(`/${command}${usage ? ` ${escapeHtml(usage)}` : ""} — ${escapeHtml(does)}`);
  }
  return lines.join("\n");
}

export function helpCommands(admin: Composer<ShopContext>): void {
  admin.command("help", (ctx) => ctx.reply(adminHelpText(), { parse_mode: "HTML", link_preview_options: { is_disabled: true } }));
}
