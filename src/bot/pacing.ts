// Telegram's limits, kept before Telegram has to enforce them: an API transformer that spaces out the
// calls that create messages, at most `globalLimit` in any `globalWindowMs` overall and one per `privateGapMs`
// in a private chat (one per `groupGapMs` in a group: 20 a minute). A 429 still gets through to
// auto-retry, which waits `retry_after`; in steady state there should be none.
import type { Transformer } from "grammy";

export interface PacerOptions {
  globalLimit?: number;
  globalWindowMs?: number;
  privateGapMs?: number;
  groupGapMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Methods that create a message (and so count against Telegram's send limits). Edits and answers do not wait. */
const PACED = new Set(["sendMessage", "sendInvoice", "sendPhoto", "sendDocument", "sendMediaGroup", "copyMessage", "forwardMessage"]);

export interface Pacer {
  /** Waits for a slot for a message to this chat and reserves it. */
  reserve(chatId: number | string): Promise<void>;
  transformer: Transformer;
  /** How many sends were delayed, and for how long in all (for benchmarks and metrics). */
  readonly stats: { reserved: number; delayed: number; waitedMs: number };
}

export function createPacer(options: PacerOptions = {}): Pacer {
  // 30 a second is Telegram's figure; a window a little over a second leaves room for network jitter.
  const globalLimit = options.globalLimit ?? 30;
  const globalWindowMs = options.globalWindowMs ?? 1_100;
  const privateGapMs = options.privateGapMs ?? 1_050;
  const groupGapMs = options.groupGapMs ?? 3_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  /** Reserved send times, ascending. */
  const slots: number[] = [];
  const chatNext = new Map<string, number>();
  const stats = { reserved: 0, delayed: 0, waitedMs: 0 };

  function insert(time: number): void {
    let index = slots.length;
    while (index > 0 && slots[index - 1]! > time) index--;
    slots.splice(index, 0, time);
  }

  /** The earliest time at or after `from` when fewer than `globalLimit` slots fall in the window before it. */
  function globalSlot(from: number): number {
    let time = from;
    for (;;) {
      const inWindow = slots.filter((slot) => slot > time - globalWindowMs && slot <= time + globalWindowMs);
      // Every window of length globalWindowMs that contains `time` must hold fewer than the limit.
      let blockedUntil: number | undefined;
      for (let i = 0; i + globalLimit - 1 < inWindow.length; i++) {
        const first = inWindow[i]!;
        const last = inWindow[i + globalLimit - 1]!;
        if (last - first < globalWindowMs && time - first < globalWindowMs && last - time < globalWindowMs) {
          blockedUntil = Math.max(blockedUntil ?? 0, first + globalWindowMs);
        }
      }
      if (blockedUntil === undefined || blockedUntil <= time) return time;
      time = blockedUntil;
    }
  }

  async function reserve(chatId: number | string): Promise<void> {
    const key = String(chatId);
    const at = now();
    while (slots.length > 0 && slots[0]! <= at - globalWindowMs) slots.shift();
    const gap = key.startsWith("-") ? groupGapMs : privateGapMs;
    const time = globalSlot(Math.max(at, chatNext.get(key) ?? at));
    insert(time);
    chatNext.set(key, time + gap);
    stats.reserved += 1;
    if (chatNext.size > 50_000) for (const [chat, next] of chatNext) if (next < at) chatNext.delete(chat);
    const wait = time - at;
    if (wait > 0) {
      stats.delayed += 1;
      stats.waitedMs += wait;
      await sleep(wait);
    }
  }

  const transformer: Transformer = async (prev, method, payload, signal) => {
    const chatId = (payload as { chat_id?: number | string } | undefined)?.chat_id;
    if (PACED.has(method) && chatId !== undefined) await reserve(chatId);
    return prev(method, payload, signal);
  };

  return { reserve, transformer, stats };
}
