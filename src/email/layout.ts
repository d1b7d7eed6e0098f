// An email built from the same blocks of text the bot sends (Telegram's small HTML: b, i, code, a, escaped
// text): an HTML part with each code in a large copy-friendly block, and a plain-text part with the same words.
// No scripts, no remote images, inline styles only (mail clients drop <style> and external sheets).
import { escapeHtml } from "../lib/html.js";
import { plainText } from "../lib/telegram-text.js";
import type { EmailMessage } from "./outbox.js";

/** A code as a mail client shows it best for copying: a block of its own, large, monospaced, selected with one click. */
const CODE_STYLE =
  "display:inline-block;margin:2px 0;padding:6px 12px;font:600 18px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;" +
  "letter-spacing:0.5px;background:#f3f4f6;border:1px dashed #9ca3af;border-radius:6px;color:#111827;user-select:all;-webkit-user-select:all;word-break:break-all";

/** Telegram HTML (one block) → email HTML: line breaks kept, codes styled, links opened in a new window. */
function blockHtml(block: string): string {
  return block
    .replace(/<code>/g, `<code style="${CODE_STYLE}">`)
    .replace(/<a href="([^"]*)">/g, (_m, href: string) => `<a href="${href.replace(/"/g, "")}" style="color:#2563eb" target="_blank" rel="noopener">`)
    .replace(/\n/g, "<br>\n");
}

/**
 * The message from blocks of Telegram HTML (their variables already escaped, as for the bot). `title` heads the
 * HTML part; `footer` (plain text) ends both parts.
 */
export function emailFromBlocks(options: { locale: string; subject: string; blocks: readonly string[]; footer: string }): EmailMessage {
  const paragraphs = options.blocks.map((block) => `<p style="margin:0 0 16px">${blockHtml(block)}</p>`).join("\n");
  const html = `<!doctype html>
<html lang="${escapeHtml(options.locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.subject)}</title></head>
<body style="margin:0;padding:24px 12px;background:#f6f7f9;font:15px/1.5 -apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#111827">
<div style="max-width:560px;margin:0 auto;background:#ffffff;border-radius:10px;padding:24px;border:1px solid #e5e7eb;overflow-wrap:anywhere">
${paragraphs}
</div>
<p style="max-width:560px;margin:12px auto 0;color:#6b7280;font-size:12px">${escapeHtml(options.footer)}</p>
</body></html>
`;
  const text = `${options.blocks.map((block) => plainText(block).trim()).join("\n\n")}\n\n-- \n${options.footer}\n`;
  return { subject: options.subject, text, html };
}
