// Telegram's limits, kept before Telegram has to enforce them, with priority lanes: every call that creates a
// message waits in its lane for a send slot. Overall: never more than `globalLimit` in any `globalWindowMs`,
// spaced evenly under load (a short burst after a quiet moment); per chat: a short burst to a chat that has
// been quiet, then one per gap (groups: 20 a minute). When a slot is free, the first lane in LANES with a
// message whose chat may take it goes, except that a lane that has fallen behind its reserved share goes
// first: a flood of replies cannot starve deliveries, and a backlog of deliveries holds a reply up by a slot
// or two at most. A 429 still reaches auto-retry (installed around this transformer), which waits
// `retry_after` and queues the call again.
import type { Transformer } from "grammy";
import { setTimeout as delay } from "node:timers/promises";

/**
 * Who is waiting, in priority order: replies to a customer's own update, the worker's deliveries (codes and
 * order notices), ops alerts, broadcasts.
 */
export const LANES = ["interactive", "delivery", "alerts", "broadcast"] as const;
export type Lane = (typeof LANES)[number];

/** Per cent of the sends a lane is owed while it has messages waiting, whatever waits in lanes before it. */
export const DEFAULT_SHARES: Readonly<Record<Lane, number>> = { interactive: 0, delivery: 30, alerts: 5, broadcast: 5 };

export interface PacerOptions {
  /** At most this many messages in any `globalWindowMs` overall (Telegram: about 30 a second). */
  globalLimit?: number;
  globalWindowMs?: number;
  /** How many may go at once overall after a quiet moment; under load they go one per window / limit. */
  globalBurst?: number;
  /** One message per gap to a private chat, after a burst of `privateBurst` to a chat that has been quiet. */
  privateGapMs?: number;
  privateBurst?: number;
  /** One message per gap to a group or channel (Telegram: 20 a minute), after a burst of `groupBurst`. */
  groupGapMs?: number;
  groupBurst?: number;
  shares?: Partial<Record<Lane, number>>;
  /** Told of every send and how long it waited (ms): the metrics' histogram. */
  observe?: (lane: Lane, waitedMs: number) => void;
  now?: () => number;
  /** Resolves after `ms`, or early (resolving or rejecting) when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<unknown>;
}

/** Methods that create a message (and so count against Telegram's send limits). Edits and answers do not wait. */
const PACED = new Set(["sendMessage", "sendInvoice", "sendPhoto", "sendDocument", "sendMediaGroup", "copyMessage", "forwardMessage"]);

export interface LaneStats {
  sent: number;
  /** Sends that waited at all, and the waits in all and at most (ms). */
  delayed: number;
  waitedMs: number;
  maxWaitMs: number;
}

export interface Pacer {
  /** Waits in `lane` for a slot for a message to this chat, and takes it. */
  reserve(chatId: number | string, lane?: Lane): Promise<void>;
  /** The API transformer for calls made on behalf of `lane` (see telegram-api.ts for who uses which). */
  transformer(lane: Lane): Transformer;
  /** Messages waiting in a lane now. */
  queued(lane: Lane): number;
  /** Totals since start (benchmarks and metrics). */
  readonly stats: { reserved: number; delayed: number; waitedMs: number; lanes: Record<Lane, LaneStats> };
}

interface Waiter {
  chat: string;
  group: boolean;
  since: number;
  release: () => void;
}

export function createPacer(options: PacerOptions = {}): Pacer {
  const globalLimit = options.globalLimit ?? 30;
  // 30 in any 1.05 s: 5 % under Telegram's figure, room for network jitter between our clock and theirs.
  const globalWindow = options.globalWindowMs ?? 1_050;
  const spacing = globalWindow / globalLimit;
  // The even spacing may be run ahead of by this much: a burst after a quiet moment, and a timer that fires
  // late costs no throughput. The window below still caps any `globalWindowMs`.
  const tolerance = (Math.max(1, options.globalBurst ?? 3) - 1) * spacing;
  const privateGap = options.privateGapMs ?? 1_050;
  const privateBurst = Math.max(1, options.privateBurst ?? 3);
  const groupGap = options.groupGapMs ?? 3_100;
  const groupBurst = Math.max(1, options.groupBurst ?? 1);
  const shares = { ...DEFAULT_SHARES, ...options.shares };
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }));

  const queues: Record<Lane, Waiter[]> = { interactive: [], delivery: [], alerts: [], broadcast: [] };
  /** Per cent of a send each lane is owed; at 100 it goes before the lanes ahead of it. */
  const credit: Record<Lane, number> = { interactive: 0, delivery: 0, alerts: 0, broadcast: 0 };
  const emptyStats = (): LaneStats => ({ sent: 0, delayed: 0, waitedMs: 0, maxWaitMs: 0 });
  const stats = { reserved: 0, delayed: 0, waitedMs: 0, lanes: { interactive: emptyStats(), delivery: emptyStats(), alerts: emptyStats(), broadcast: emptyStats() } };
  /** The theoretical time of the next send overall, and per chat (GCRA: a bucket as one number). */
  let globalNext = -Infinity;
  /** The last `globalLimit` send times, oldest at `recentIndex`: the next send waits for that one's window. */
  const recent: number[] = new Array<number>(globalLimit).fill(-Infinity);
  let recentIndex = 0;
  const chatNext = new Map<string, number>();
  let prunedAt = -Infinity;
  let waiting = 0;
  let running = false;
  let wake: (() => void) | undefined;

  /** When this chat may take its next message: its burst allows that many gaps early. */
  function chatReadyAt(waiter: Pick<Waiter, "chat" | "group">): number {
    const next = chatNext.get(waiter.chat);
    if (next === undefined) return -Infinity;
    return waiter.group ? next - (groupBurst - 1) * groupGap : next - (privateBurst - 1) * privateGap;
  }

  /** When the next message may go overall. */
  function globalReadyAt(): number {
    return Math.max(globalNext - tolerance, recent[recentIndex]! + globalWindow);
  }

  function take(lane: Lane, waiter: Waiter, at: number): void {
    const gap = waiter.group ? groupGap : privateGap;
    chatNext.set(waiter.chat, Math.max(chatNext.get(waiter.chat) ?? at, at) + gap);
    globalNext = Math.max(globalNext, at) + spacing;
    recent[recentIndex] = at;
    recentIndex = (recentIndex + 1) % globalLimit;
    const wait = at - waiter.since;
    options.observe?.(lane, wait);
    const laneStats = stats.lanes[lane];
    laneStats.sent += 1;
    stats.reserved += 1;
    if (wait > 0) {
      laneStats.delayed += 1;
      laneStats.waitedMs += wait;
      laneStats.maxWaitMs = Math.max(laneStats.maxWaitMs, wait);
      stats.delayed += 1;
      stats.waitedMs += wait;
    }
    // Chats whose bucket is full again carry no information: forget them once there are many.
    if (chatNext.size > 50_000 && at - prunedAt > 1_000) {
      prunedAt = at;
      for (const [chat, next] of chatNext) if (next <= at) chatNext.delete(chat);
    }
    waiter.release();
  }

  /** Sends what may go now; returns how long to wait before anything else may (0: nothing waits). */
  function step(): number {
    const at = now();
    const globalReady = globalReadyAt();
    if (at < globalReady) return globalReady - at;
    let chosen: { lane: Lane; index: number } | undefined;
    let owed: { lane: Lane; index: number } | undefined;
    let soonest = Infinity;
    for (const lane of LANES) {
      const queue = queues[lane];
      // The first message in the lane whose chat may take one now; the ones before it wait for their chat.
      for (let index = 0; index < queue.length; index++) {
        const ready = chatReadyAt(queue[index]!);
        if (ready <= at) {
          chosen ??= { lane, index };
          if (!owed && credit[lane] >= 100) owed = { lane, index };
          break;
        }
        soonest = Math.min(soonest, ready);
      }
    }
    const pick = owed ?? chosen;
    if (!pick) return soonest - at;
    // Every lane with messages waiting earns its share of this send; the one that sends pays a whole send.
    for (const lane of LANES) if (queues[lane].length > 0) credit[lane] = Math.min(200, credit[lane] + shares[lane]);
    credit[pick.lane] = Math.max(0, credit[pick.lane] - 100);
    const [waiter] = queues[pick.lane].splice(pick.index, 1);
    waiting -= 1;
    take(pick.lane, waiter!, at);
    return waiting > 0 ? Math.max(0, globalReadyAt() - now()) : 0;
  }

  /** Sleeps, or less when a message arrives (it may be able to go at once). */
  function nap(ms: number): Promise<void> {
    const controller = new AbortController();
    return new Promise<void>((resolve) => {
      wake = () => {
        controller.abort();
        resolve();
      };
      sleep(ms, controller.signal).then(() => resolve(), () => resolve());
    }).finally(() => {
      wake = undefined;
    });
  }

  async function run(): Promise<void> {
    running = true;
    try {
      while (waiting > 0) {
        const ms = step();
        if (ms > 0) await nap(Math.ceil(ms));
      }
    } finally {
      running = false;
    }
  }

  function reserve(chatId: number | string, lane: Lane = "interactive"): Promise<void> {
    const chat = String(chatId);
    const group = chat.startsWith("-") || chat.startsWith("@");
    const at = now();
    const waiter: Waiter = { chat, group, since: at, release: () => undefined };
    // Nothing waits and both limits allow it: the message goes without a turn through the queue.
    if (waiting === 0 && at >= globalReadyAt() && chatReadyAt(waiter) <= at) {
      take(lane, waiter, at);
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      waiter.release = resolve;
      queues[lane].push(waiter);
      waiting += 1;
      if (running) wake?.();
      else void run();
    });
  }

  const transformers = new Map<Lane, Transformer>();
  function transformer(lane: Lane): Transformer {
    let paced = transformers.get(lane);
    if (!paced) {
      paced = async (prev, method, payload, signal) => {
        const chatId = (payload as { chat_id?: number | string } | undefined)?.chat_id;
        if (PACED.has(method) && chatId !== undefined) await reserve(chatId, lane);
        return prev(method, payload, signal);
      };
      transformers.set(lane, paced);
    }
    return paced;
  }

  return { reserve, transformer, queued: (lane) => queues[lane].length, stats };
}
