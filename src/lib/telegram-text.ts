// Telegram's size limits on HTML text: a message holds 4096 characters and a caption 1024, counted after the
// entities are parsed (tags do not count, &amp; counts as one). Measures text as Telegram does and packs blocks
// of HTML into messages that fit, never cutting a block (a code with its PIN) in two.

/** Characters in a message, after entity parsing. */
export const MESSAGE_LIMIT = 4096;
/** Characters in a document's or a photo's caption, after entity parsing. */
export const CAPTION_LIMIT = 1024;

/** The text as Telegram shows it: tags gone, the four entities of escapeHtml (and &quot;) decoded. */
export function plainText(html: string): string {
  return html
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

/** How long Telegram counts this HTML (UTF-16 code units, as Telegram and JavaScript both count). */
export function visibleLength(html: string): number {
  return plainText(html).length;
}

/**
 * Cuts plain (unescaped) text into pieces of at most `limit` characters, at a line break or a space where one
 * is near, never inside a surrogate pair.
 */
export function splitPlainText(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    let cut = Math.max(rest.lastIndexOf("\n", limit), rest.lastIndexOf(" ", limit));
    if (cut < limit / 2) cut = limit;
    // Never between the two halves of an emoji.
    if (cut < rest.length && /[\uDC00-\uDFFF]/.test(rest[cut]!)) cut -= 1;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

/**
 * Packs blocks of HTML, in order, into as few messages of at most `limit` visible characters as will hold them,
 * joined by `separator`. Every message after the first starts with `continued` (a heading). A block longer than
 * a message on its own is an error of the caller: it must split such a block first.
 */
export function packBlocks(blocks: readonly string[], options: { limit?: number; separator?: string; continued?: string } = {}): string[] {
  const limit = options.limit ?? MESSAGE_LIMIT;
  const separator = options.separator ?? "\n\n";
  const messages: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const block of blocks) {
    const size = visibleLength(block);
    const joined = current.length === 0 ? size : length + separator.length + size;
    if (current.length > 0 && joined > limit) {
      messages.push(current.join(separator));
      current = options.continued ? [options.continued] : [];
      length = options.continued ? visibleLength(options.continued) : 0;
    }
    if ((current.length === 0 ? size : length + separator.length + size) > limit) {
      throw new RangeError(`a block of ${size} characters does not fit in a message of ${limit}`);
    }
    length = current.length === 0 ? size : length + separator.length + size;
    current.push(block);
  }
  if (current.length > 0) messages.push(current.join(separator));
  return messages;
}
