// Reads a stock file (.txt or .csv): one code per line, optionally `code;pin;expires`. Blank lines, lines
// starting with # and a header line ("code;pin;expires") are skipped; a malformed line is counted, not fatal.

export interface StockEntry {
  code: string;
  pin: string | null;
  /** The last day the code may be sold, YYYY-MM-DD (UTC); null when it does not expire. */
  expiresOn: string | null;
}

export interface ParsedStockFile {
  entries: StockEntry[];
  /** 1-based numbers of the lines that could not be read (never their content: it may be a code). */
  invalidLines: number[];
}

/** The largest file the shop reads: 100,000 codes of ~50 characters is about 5 MB. */
export const MAX_STOCK_FILE_BYTES = 8 * 1024 * 1024;
const MAX_CODE_LENGTH = 512;

export function parseStockFile(text: string): ParsedStockFile {
  const entries: StockEntry[] = [];
  const invalidLines: number[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    if (index === 0 && /^code\s*(;|$)/i.test(line)) return;
    const [code = "", pin = "", expires = "", ...rest] = line.split(";").map((part) => part.trim());
    const expiresOn = expires === "" ? null : toDay(expires);
    if (code === "" || code.length > MAX_CODE_LENGTH || /[\u0000-\u001f]/.test(code) || rest.length > 0 || pin.length > 128 || expiresOn === undefined) {
      invalidLines.push(index + 1);
      return;
    }
    entries.push({ code, pin: pin === "" ? null : pin, expiresOn });
  });
  return { entries, invalidLines };
}

/** "2026-12-31" or an ISO timestamp → "2026-12-31"; anything else → undefined. */
function toDay(value: string): string | undefined {
  const match = /^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+Z?)?$/.exec(value);
  if (!match) return undefined;
  const day = match[1]!;
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day ? undefined : day;
}

/** Today's date in UTC as YYYY-MM-DD: a code expiring today may still be sold today. */
export function utcDay(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}
