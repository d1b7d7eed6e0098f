// A local Telegram Bot API over HTTP: the methods the shop calls, with Telegram's answers and errors (a text over
// 4096 characters, a caption over 1024), documents uploaded as multipart, copies of messages (copyMessage), long-polled getUpdates, files (getFile
// and /file/bot<token>/<path>), and a user side (type a message, send a file, tap a button) for tests and the
// sandbox chat.
// Faults on demand: 403 for blocked chats, 429 with retry_after, and Telegram's pacing limits.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeUser {
  id: number;
  first_name: string;
  username?: string;
  language_code?: string;
}

export interface InlineButton {
  text: string;
  callback_data?: string;
  url?: string;
  pay?: boolean;
}

export interface ChatMessage {
  message_id: number;
  chat_id: number;
  /** "bot" for what the bot sent, otherwise the user's id. */
  from: "bot" | number;
  /** As sent, HTML included. */
  text: string;
  parse_mode?: string;
  buttons: InlineButton[][];
  date: number;
  edited: boolean;
  deleted: boolean;
  /** Increases on every change anywhere in the fake: "changed after X" is `version > X`. */
  version: number;
  invoice?: Record<string, unknown>;
  /** A file: one the user sent (its caption is the text), or one the bot sent (sendDocument, with its content). */
  document?: { file_name: string; file_size: number; mime_type?: string; content?: string };
  /** A copy the bot made (copyMessage) of this message. */
  copiedFrom?: { chatId: number; messageId: number };
}

export interface ApiCall {
  method: string;
  params: Record<string, unknown>;
  at: number;
  status: number;
}

/**
 * Telegram's send limits as its FAQ gives them, enforced on sendMessage and sendInvoice: beyond them the
 * answer is 429 with `retry_after` (whole seconds until the message would have been taken). `{}` is
 * Telegram's figures; each may be changed.
 */
export interface TelegramLimits {
  /** Messages in any second overall (Telegram: about 30). */
  globalPerSecond?: number;
  /** A private chat: a burst of `perChatBurst` to a quiet chat, then `perChatPerSecond` (Telegram: about one a second). */
  perChatPerSecond?: number;
  perChatBurst?: number;
  /** Messages in any minute to one group or channel (Telegram: 20). */
  groupPerMinute?: number;
}

export const TELEGRAM_LIMITS: Required<TelegramLimits> = { globalPerSecond: 30, perChatPerSecond: 1, perChatBurst: 3, groupPerMinute: 20 };

export interface FakeTelegramOptions {
  token: string;
  botUser?: { id: number; username: string; first_name: string };
  /** Enforce Telegram's send limits (429 beyond them); off when undefined. */
  limits?: TelegramLimits | undefined;
  /** Max updates kept for getUpdates. */
  now?: () => number;
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

type Waiter = { resolve: () => void; timer: NodeJS.Timeout };

export interface PlannedFailure {
  code: number;
  description: string;
  retry_after?: number;
  afterEffect?: boolean;
}

/** The tags Telegram's HTML parse mode takes (https://core.telegram.org/bots/api#html-style). */
const HTML_TAGS = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji"]);

/**
 * Telegram's rule for parse_mode HTML: every <, > and & that is not part of a supported tag or an entity
 * (&lt; &gt; &amp; &quot; or a numeric one) must be escaped, and tags must close in order; otherwise the
 * message is refused with "can't parse entities" (a shop name with "&" in it, a product name with "<").
 */
export function checkHtml(text: string): void {
  const open: string[] = [];
  const refuse = (why: string, at: number) => {
    throw new ApiError(400, `Bad Request: can't parse entities: ${why} at byte offset ${Buffer.byteLength(text.slice(0, at))}`);
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === "&") {
      if (!/^&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-f]{1,6});/i.test(text.slice(i, i + 12))) refuse(`character "&" must be escaped as &amp;`, i);
    } else if (char === ">") {
      refuse(`character ">" must be escaped as &gt;`, i);
    } else if (char === "<") {
      const tag = /^<(\/?)([a-z-]+)(\s[^<>]*)?>/i.exec(text.slice(i));
      if (!tag || !HTML_TAGS.has(tag[2]!.toLowerCase())) refuse(`unsupported start tag "${/^<\/?([^\s>]*)/.exec(text.slice(i))?.[1] ?? ""}"`, i);
      const name = tag![2]!.toLowerCase();
      if (tag![1]) {
        if (open.pop() !== name) refuse(`unmatched end tag "${name}"`, i);
      } else open.push(name);
      i += tag![0].length - 1;
    }
  }
  if (open.length > 0) refuse(`can't find end tag corresponding to start tag "${open.at(-1)}"`, text.length);
}

export function stripHtml(text: string): string {
  return text
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&");
}

export interface FakeTelegram {
  readonly url: string;
  /** What to set as TELEGRAM_API_ROOT. */
  readonly apiRoot: string;
  readonly server: Server;
  readonly calls: ApiCall[];
  readonly botUser: { id: number; username: string; first_name: string; is_bot: true };
  limits: FakeTelegramOptions["limits"];
  /** Chats that answer 403 (the user blocked the bot). */
  readonly blocked: Set<number>;
  /**
   * The user blocks (or unblocks) the bot, as Telegram reports it: their chat answers 403 (or no longer), and the
   * bot gets a my_chat_member update (member → kicked, or kicked → member).
   */
  setBlocked(userId: number, blocked: boolean): void;
  /**
   * The next N calls of a method answer this error (429 with retry_after, 500…). With `afterEffect` the call is
   * carried out first and only its answer is the error: a timeout after Telegram did the work.
   */
  failNext(method: string, count: number, error: PlannedFailure): void;
  /** Planned failures not yet served. */
  pendingFailures(method: string): number;
  addUser(user: FakeUser): void;
  users(): IterableIterator<FakeUser>;
  /** A group chat the bot is in (the ops chat). */
  addGroup(chatId: number): void;
  /**
   * The group becomes a supergroup with a new id, as Telegram does it: sends to the old id answer 400 "group chat
   * was upgraded to a supergroup chat" with parameters.migrate_to_chat_id. Returns the new id.
   */
  upgradeToSupergroup(chatId: number): number;
  /** A user types a message: in their private chat, or in a group (chatId), optionally replying to a message. */
  sendText(userId: number, text: string, options?: { chatId?: number; replyTo?: number }): number;
  /** A user sends a file (a document) with an optional caption, in their private chat or a group; returns the message id. */
  sendDocument(userId: number, file: { fileName: string; content: Buffer | string; caption?: string; chatId?: number }): number;
  /** Taps an inline button (in the user's private chat, or in a group); returns the callback query id. */
  tap(userId: number, messageId: number, data: string, chatId?: number): string;
  /** Adds a raw update (for fabricated input). */
  pushUpdate(update: Record<string, unknown>): void;
  messages(chatId: number): ChatMessage[];
  /** Waits for a message from the bot in the chat that satisfies the predicate (new or edited). */
  waitFor(chatId: number, predicate: (message: ChatMessage) => boolean, timeoutMs?: number): Promise<ChatMessage>;
  callbackAnswers: Map<string, { text?: string; show_alert?: boolean }>;
  /** Answers the bot gave to pre-checkout queries, by query id. */
  preCheckoutAnswers: Map<string, { ok: boolean; error_message?: string }>;
  /** Stars refunds the bot made: user and charge id. */
  readonly starRefunds: Array<{ userId: number; chargeId: string }>;
  /**
   * The user pays an invoice message in Stars, as Telegram does it: a pre_checkout_query, and when the bot
   * says yes within 10 s, a message with successful_payment. Returns the bot's pre-checkout answer.
   */
  payInvoice(
    userId: number,
    messageId: number,
    options?: { deliverUpdate?: boolean; beforeCharge?: () => Promise<void> },
  ): Promise<{ ok: boolean; error_message?: string; chargeId?: string }>;
  /**
   * Telegram's ledger of the bot's Stars (getStarTransactions): every charge made by payInvoice (incoming, with the
   * user and the invoice payload) and every refund (outgoing), in chronological order.
   */
  readonly starTransactions: Array<Record<string, unknown> & { id: string; amount: number; date: number }>;
  /** The webhook URL set with setWebhook ("" when none): getUpdates answers 409 while one is set, as Telegram does. */
  webhookUrl: string;
  /** The current change counter (see ChatMessage.version). */
  readonly version: number;
  commands: Map<string, unknown>;
  onChange(listener: (chatId: number) => void): () => void;
  close(): Promise<void>;
}

export async function startFakeTelegram(options: FakeTelegramOptions, port = 0, host = "127.0.0.1"): Promise<FakeTelegram> {
  const now = options.now ?? Date.now;
  const botUser = { id: 7_000_000_001, username: "sandbox_code_shop_bot", first_name: "Code Shop", ...options.botUser, is_bot: true as const };
  const users = new Map<number, FakeUser>();
  const chats = new Map<number, ChatMessage[]>();
  const messageCounter = new Map<number, number>();
  const updates: Array<Record<string, unknown> & { update_id: number }> = [];
  let nextUpdateId = 1;
  const waiters = new Set<Waiter>();
  const failures = new Map<string, PlannedFailure[]>();
  /** Per private chat, the tokens of its bucket when last seen; per group and overall, the recent sends. */
  const chatBuckets = new Map<number, { tokens: number; at: number }>();
  const groupSentAt = new Map<number, number[]>();
  const globalSentAt: number[] = [];
  /** When the request being handled arrived (set just before its method runs). */
  let arrivedAt = 0;
  const listeners = new Set<(chatId: number) => void>();
  const files = new Map<string, { path: string; content: Buffer }>();
  const migrated = new Map<number, number>();
  let version = 0;

  const fake: FakeTelegram = {
    url: "",
    apiRoot: "",
    server: undefined as unknown as Server,
    calls: [],
    botUser,
    limits: options.limits,
    blocked: new Set(),
    webhookUrl: "",
    callbackAnswers: new Map(),
    commands: new Map(),
    preCheckoutAnswers: new Map(),
    starRefunds: [],
    starTransactions: [],
    async payInvoice(userId, messageId, payOptions = {}) {
      const message = chats.get(userId)?.find((m) => m.message_id === messageId && m.invoice);
      if (!message?.invoice) throw new Error(`no invoice message ${messageId} in chat ${userId}`);
      const invoice = message.invoice as { payload: string; currency: string; total: number };
      const user = users.get(userId) ?? { id: userId, first_name: `User ${userId}` };
      const id = randomBytes(8).toString("hex");
      pushUpdate({
        pre_checkout_query: { id, from: { ...user, is_bot: false }, currency: invoice.currency, total_amount: invoice.total, invoice_payload: invoice.payload },
      });
      const deadline = Date.now() + 10_000;
      while (!fake.preCheckoutAnswers.has(id)) {
        if (Date.now() > deadline) return { ok: false, error_message: "the bot did not answer the pre-checkout query within 10 seconds" };
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const verdict = fake.preCheckoutAnswers.get(id)!;
      if (!verdict.ok) return verdict;
      // Between the bot's yes and the charge (the customer confirming in Telegram's payment form).
      await payOptions.beforeCharge?.();
      const chargeId = `stxCHARGE${randomBytes(6).toString("hex")}`;
      fake.starTransactions.push({
        id: chargeId,
        amount: invoice.total,
        date: Math.floor(now() / 1000),
        source: { type: "user", transaction_type: "invoice_payment", user: { ...user, is_bot: false }, invoice_payload: invoice.payload },
      });
      // The charge is made; the update that tells the bot may be lost (a crash of the bot between receipt and storage).
      if (payOptions.deliverUpdate === false) return { ok: true, chargeId };
      // What Telegram shows in the chat for the payment (a service message; the bot gets successful_payment).
      const invoiceTitle = (message.invoice as { title?: string }).title ?? "";
      const paid = addMessage(userId, userId, `⭐ Paid ${invoice.total} Stars for ${invoiceTitle}`, []);
      pushUpdate({
        message: {
          message_id: paid.message_id,
          from: { ...user, is_bot: false },
          chat: chatObject(userId, user),
          date: Math.floor(now() / 1000),
          successful_payment: { currency: invoice.currency, total_amount: invoice.total, invoice_payload: invoice.payload, telegram_payment_charge_id: chargeId, provider_payment_charge_id: "" },
        },
      });
      return { ok: true, chargeId };
    },
    get version() {
      return version;
    },
    failNext(method, count, error) {
      const list = failures.get(method) ?? [];
      for (let i = 0; i < count; i++) list.push(error);
      failures.set(method, list);
    },
    pendingFailures: (method) => failures.get(method)?.length ?? 0,
    setBlocked(userId, blocked) {
      const user = users.get(userId) ?? { id: userId, first_name: `User ${userId}` };
      if (blocked) fake.blocked.add(userId);
      else fake.blocked.delete(userId);
      const bot = { ...botUser };
      pushUpdate({
        my_chat_member: {
          chat: chatObject(userId, user),
          from: { ...user, is_bot: false },
          date: Math.floor(now() / 1000),
          old_chat_member: blocked ? { user: bot, status: "member" } : { user: bot, status: "kicked", until_date: 0 },
          new_chat_member: blocked ? { user: bot, status: "kicked", until_date: 0 } : { user: bot, status: "member" },
        },
      });
    },
    addUser(user) {
      users.set(user.id, user);
      if (!chats.has(user.id)) chats.set(user.id, []);
    },
    users: () => users.values(),
    addGroup(chatId) {
      if (!chats.has(chatId)) chats.set(chatId, []);
    },
    upgradeToSupergroup(chatId) {
      const upgraded = -1_000_000_000_000 - Math.abs(chatId);
      migrated.set(chatId, upgraded);
      fake.addGroup(upgraded);
      return upgraded;
    },
    sendText(userId, text, options = {}) {
      const user = users.get(userId) ?? { id: userId, first_name: `User ${userId}` };
      users.set(userId, user);
      const chatId = options.chatId ?? userId;
      if (!chats.has(chatId)) chats.set(chatId, []);
      const message = addMessage(chatId, userId, text, []);
      const entities = text.startsWith("/") ? [{ type: "bot_command", offset: 0, length: text.split(/\s/)[0]!.length }] : undefined;
      const repliedTo = options.replyTo !== undefined ? chats.get(chatId)?.find((m) => m.message_id === options.replyTo) : undefined;
      pushUpdate({
        message: {
          message_id: message.message_id,
          from: { ...user, is_bot: false },
          chat: chatObject(chatId, user),
          date: Math.floor(now() / 1000),
          text,
          ...(entities ? { entities } : {}),
          ...(repliedTo ? { reply_to_message: { ...asMessage(repliedTo), from: repliedTo.from === "bot" ? botUser : { id: repliedTo.from, is_bot: false, first_name: "" } } } : {}),
        },
      });
      return message.message_id;
    },
    sendDocument(userId, file) {
      const user = users.get(userId) ?? { id: userId, first_name: `User ${userId}` };
      users.set(userId, user);
      const chatId = file.chatId ?? userId;
      if (!chats.has(chatId)) chats.set(chatId, []);
      const content = Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content, "utf8");
      const fileId = `BQAC${randomBytes(12).toString("base64url")}`;
      files.set(fileId, { path: `documents/file_${files.size + 1}${/\.[a-z0-9]+$/i.exec(file.fileName)?.[0] ?? ""}`, content });
      const caption = file.caption ?? "";
      const message = addMessage(chatId, userId, caption, [], { document: { file_name: file.fileName, file_size: content.length } });
      const entities = caption.startsWith("/") ? [{ type: "bot_command", offset: 0, length: caption.split(/\s/)[0]!.length }] : undefined;
      pushUpdate({
        message: {
          message_id: message.message_id,
          from: { ...user, is_bot: false },
          chat: chatObject(chatId, user),
          date: Math.floor(now() / 1000),
          document: { file_id: fileId, file_unique_id: fileId.slice(-10), file_name: file.fileName, mime_type: file.fileName.endsWith(".csv") ? "text/csv" : "text/plain", file_size: content.length },
          ...(caption ? { caption } : {}),
          ...(entities ? { caption_entities: entities } : {}),
        },
      });
      return message.message_id;
    },
    tap(userId, messageId, data, chatId = userId) {
      const user = users.get(userId) ?? { id: userId, first_name: `User ${userId}` };
      const message = chats.get(chatId)?.find((m) => m.message_id === messageId);
      const id = randomBytes(8).toString("hex");
      pushUpdate({
        callback_query: {
          id,
          from: { ...user, is_bot: false },
          chat_instance: String(chatId),
          data,
          ...(message
            ? {
                message: {
                  message_id: message.message_id,
                  from: { ...botUser },
                  chat: chatObject(chatId, user),
                  date: message.date,
                  text: stripHtml(message.text),
                },
              }
            : {}),
        },
      });
      return id;
    },
    pushUpdate,
    messages: (chatId) => chats.get(chatId) ?? [],
    waitFor(chatId, predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = (chats.get(chatId) ?? []).find((m) => m.from === "bot" && !m.deleted && predicate(m));
          if (found) {
            cleanup();
            resolve(found);
            return true;
          }
          return false;
        };
        const listener = (changed: number) => {
          if (changed === chatId) check();
        };
        const timer = setTimeout(() => {
          cleanup();
          const seen = (chats.get(chatId) ?? []).map((m) => `[${m.from}] ${stripHtml(m.text ?? "")}`).join("\n---\n");
          reject(new Error(`no matching bot message in chat ${chatId} within ${timeoutMs} ms; the chat has:\n${seen}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(listener);
        };
        listeners.add(listener);
        check();
      });
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.resolve();
      }
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };

  function chatObject(chatId: number, user: FakeUser): Record<string, unknown> {
    return chatId < 0 ? { id: chatId, type: "supergroup", title: "Ops" } : { id: chatId, type: "private", first_name: user.first_name, ...(user.username ? { username: user.username } : {}) };
  }

  function notify(chatId: number): void {
    for (const listener of [...listeners]) listener(chatId);
  }

  function pushUpdate(update: Record<string, unknown>): void {
    updates.push({ ...update, update_id: nextUpdateId++ });
    for (const waiter of waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve();
    }
    waiters.clear();
  }

  function addMessage(chatId: number, from: "bot" | number, text: string, buttons: InlineButton[][], extra: Partial<ChatMessage> = {}): ChatMessage {
    const id = (messageCounter.get(chatId) ?? 0) + 1;
    messageCounter.set(chatId, id);
    const message: ChatMessage = { message_id: id, chat_id: chatId, from, text, buttons, date: Math.floor(now() / 1000), edited: false, deleted: false, version: ++version, ...extra };
    const list = chats.get(chatId) ?? [];
    list.push(message);
    chats.set(chatId, list);
    notify(chatId);
    return message;
  }

  function chatIdOf(params: Record<string, unknown>): number {
    const raw = params["chat_id"];
    if (raw === undefined || raw === "") throw new ApiError(400, "Bad Request: chat_id is empty");
    const id = Number(raw);
    if (!Number.isSafeInteger(id)) throw new ApiError(400, "Bad Request: chat not found");
    if (!chats.has(id)) throw new ApiError(400, "Bad Request: chat not found");
    const upgraded = migrated.get(id);
    if (upgraded !== undefined) throw new ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat", { migrate_to_chat_id: upgraded });
    if (fake.blocked.has(id)) throw new ApiError(403, "Forbidden: bot was blocked by the user");
    return id;
  }

  function parseMarkup(raw: unknown): InlineButton[][] {
    const markup = typeof raw === "string" ? (JSON.parse(raw) as unknown) : raw;
    const keyboard = (markup as { inline_keyboard?: InlineButton[][] } | undefined)?.inline_keyboard;
    if (keyboard === undefined) return [];
    if (!Array.isArray(keyboard)) throw new ApiError(400, "Bad Request: field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array");
    for (const row of keyboard) {
      for (const button of row) {
        if (!button.text) throw new ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard");
        if (button.callback_data !== undefined && Buffer.byteLength(button.callback_data) > 64) {
          throw new ApiError(400, "Bad Request: BUTTON_DATA_INVALID");
        }
        if (button.url !== undefined && !/^(https?|tg):\/\//.test(button.url)) throw new ApiError(400, "Bad Request: inline keyboard button URL is invalid");
      }
    }
    return keyboard;
  }

  function checkText(text: unknown, parseMode?: unknown): string {
    if (typeof text !== "string" || text.trim() === "") throw new ApiError(400, "Bad Request: message text is empty");
    if (parseMode === "HTML") checkHtml(text);
    if (stripHtml(text).length > 4096) throw new ApiError(400, "Bad Request: message is too long");
    return text;
  }

  function checkCaption(caption: unknown): string {
    if (caption === undefined) return "";
    if (typeof caption !== "string") throw new ApiError(400, "Bad Request: field \"caption\" must be of type String");
    if (stripHtml(caption).length > 1024) throw new ApiError(400, "Bad Request: message caption is too long");
    return caption;
  }

  /** Telegram's send limits, when enabled: 429 with retry_after instead of a message. */
  function pace(chatId: number): void {
    if (!fake.limits) return;
    const limits = { ...TELEGRAM_LIMITS, ...fake.limits };
    const at = arrivedAt;
    const tooMany = (waitMs: number) => {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      return new ApiError(429, `Too Many Requests: retry after ${seconds}`, { retry_after: seconds });
    };
    while (globalSentAt.length > 0 && at - globalSentAt[0]! >= 1000) globalSentAt.shift();
    if (globalSentAt.length >= limits.globalPerSecond) throw tooMany(globalSentAt[globalSentAt.length - limits.globalPerSecond]! + 1000 - at);
    if (chatId < 0) {
      const sent = (groupSentAt.get(chatId) ?? []).filter((t) => at - t < 60_000);
      if (sent.length >= limits.groupPerMinute) throw tooMany(sent[sent.length - limits.groupPerMinute]! + 60_000 - at);
      sent.push(at);
      groupSentAt.set(chatId, sent);
    } else {
      const bucket = chatBuckets.get(chatId) ?? { tokens: limits.perChatBurst, at };
      const tokens = Math.min(limits.perChatBurst, bucket.tokens + ((at - bucket.at) / 1000) * limits.perChatPerSecond);
      if (tokens < 1) throw tooMany(((1 - tokens) / limits.perChatPerSecond) * 1000);
      chatBuckets.set(chatId, { tokens: tokens - 1, at });
    }
    globalSentAt.push(at);
  }

  function botMessage(chatId: number, messageId: unknown): ChatMessage {
    const message = chats.get(chatId)?.find((m) => m.message_id === Number(messageId) && !m.deleted);
    if (!message) throw new ApiError(400, "Bad Request: message to edit not found");
    if (message.from !== "bot") throw new ApiError(400, "Bad Request: message can't be edited");
    return message;
  }

  function asMessage(message: ChatMessage): Record<string, unknown> {
    return {
      message_id: message.message_id,
      from: botUser,
      chat: { id: message.chat_id, type: message.chat_id < 0 ? "supergroup" : "private" },
      date: message.date,
      text: stripHtml(message.text),
      ...(message.buttons.length ? { reply_markup: { inline_keyboard: message.buttons } } : {}),
    };
  }

  async function getUpdates(params: Record<string, unknown>): Promise<unknown> {
    const offset = Number(params["offset"] ?? 0);
    const limit = Math.min(100, Number(params["limit"] ?? 100));
    const timeout = Math.min(50, Number(params["timeout"] ?? 0));
    if (offset > 0) while (updates.length > 0 && updates[0]!.update_id < offset) updates.shift();
    if (updates.length === 0 && timeout > 0) {
      await new Promise<void>((resolve) => {
        const waiter: Waiter = { resolve, timer: setTimeout(() => (waiters.delete(waiter), resolve()), timeout * 1000) };
        waiters.add(waiter);
      });
    }
    return updates.slice(0, limit);
  }

  const methods: Record<string, (params: Record<string, unknown>) => unknown> = {
    getMe: () => botUser,
    getUpdates: (params) => {
      if (fake.webhookUrl) throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
      return getUpdates(params);
    },
    deleteWebhook: () => {
      fake.webhookUrl = "";
      return true;
    },
    setWebhook: (params) => {
      fake.webhookUrl = String(params["url"] ?? "");
      return true;
    },
    getWebhookInfo: () => ({ url: fake.webhookUrl, has_custom_certificate: false, pending_update_count: 0 }),
    setMyCommands: (params) => {
      const scope = String((params["language_code"] as string | undefined) ?? "default");
      fake.commands.set(scope, typeof params["commands"] === "string" ? JSON.parse(params["commands"]) : params["commands"]);
      return true;
    },
    getMyCommands: () => fake.commands.get("default") ?? [],
    sendChatAction: (params) => (chatIdOf(params), true),
    getFile: (params) => {
      const fileId = String(params["file_id"] ?? "");
      const file = files.get(fileId);
      if (!file) throw new ApiError(400, "Bad Request: invalid file_id");
      // Telegram serves files up to 20 MB to bots.
      if (file.content.length > 20 * 1024 * 1024) throw new ApiError(400, "Bad Request: file is too big");
      return { file_id: fileId, file_unique_id: fileId.slice(-10), file_size: file.content.length, file_path: file.path };
    },
    sendMessage: (params) => {
      const chatId = chatIdOf(params);
      const text = checkText(params["text"], params["parse_mode"]);
      const buttons = parseMarkup(params["reply_markup"]);
      pace(chatId);
      return asMessage(addMessage(chatId, "bot", text, buttons, params["parse_mode"] ? { parse_mode: String(params["parse_mode"]) } : {}));
    },
    sendDocument: (params) => {
      const chatId = chatIdOf(params);
      const file = params["document"];
      if (!(file instanceof File)) throw new ApiError(400, "Bad Request: there is no document in the request");
      if (file.size === 0) throw new ApiError(400, "Bad Request: file must be non-empty");
      const caption = checkCaption(params["caption"]);
      pace(chatId);
      return file.text().then((content) => {
        const document = { file_name: file.name, file_size: file.size, mime_type: file.type || "text/plain", content };
        const message = addMessage(chatId, "bot", caption, parseMarkup(params["reply_markup"]), { document, ...(params["parse_mode"] ? { parse_mode: String(params["parse_mode"]) } : {}) });
        const { content: _content, ...sent } = document;
        return { ...asMessage(message), document: { ...sent, file_id: `DOC${message.version}`, file_unique_id: `U${message.version}` } };
      });
    },
    // A copy of any message (the user's or the bot's) to another chat, as Telegram makes it: same text, formatting and
    // file, no link to the original; 400 when the original is gone.
    copyMessage: (params) => {
      const chatId = chatIdOf(params);
      const fromChat = Number(params["from_chat_id"]);
      const source = chats.get(fromChat)?.find((m) => m.message_id === Number(params["message_id"]) && !m.deleted);
      if (!source) throw new ApiError(400, "Bad Request: message to copy not found");
      pace(chatId);
      const markup = params["reply_markup"] === undefined ? source.buttons : parseMarkup(params["reply_markup"]);
      const copy = addMessage(chatId, "bot", source.text, markup, {
        ...(source.document ? { document: source.document } : {}),
        ...(source.parse_mode ? { parse_mode: source.parse_mode } : {}),
        copiedFrom: { chatId: fromChat, messageId: source.message_id },
      });
      return { message_id: copy.message_id };
    },
    editMessageText: (params) => {
      const chatId = chatIdOf(params);
      const message = botMessage(chatId, params["message_id"]);
      const text = checkText(params["text"], params["parse_mode"]);
      const buttons = parseMarkup(params["reply_markup"]);
      if (message.text === text && JSON.stringify(message.buttons) === JSON.stringify(buttons)) {
        throw new ApiError(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
      }
      Object.assign(message, { text, buttons, edited: true, version: ++version });
      notify(chatId);
      return asMessage(message);
    },
    editMessageReplyMarkup: (params) => {
      const chatId = chatIdOf(params);
      const message = botMessage(chatId, params["message_id"]);
      Object.assign(message, { buttons: parseMarkup(params["reply_markup"]), edited: true, version: ++version });
      notify(chatId);
      return asMessage(message);
    },
    deleteMessage: (params) => {
      const chatId = chatIdOf(params);
      const message = chats.get(chatId)?.find((m) => m.message_id === Number(params["message_id"]) && !m.deleted);
      if (!message) throw new ApiError(400, "Bad Request: message to delete not found");
      message.deleted = true;
      notify(chatId);
      return true;
    },
    sendInvoice: (params) => {
      const chatId = chatIdOf(params);
      const prices = (typeof params["prices"] === "string" ? JSON.parse(params["prices"]) : params["prices"]) as Array<{ label: string; amount: number }>;
      if (params["currency"] === "XTR" && params["provider_token"] !== undefined && params["provider_token"] !== "") {
        throw new ApiError(400, "Bad Request: provider_token must be empty for payments in Telegram Stars");
      }
      if (!Array.isArray(prices) || prices.length !== 1 || !Number.isInteger(prices[0]!.amount) || prices[0]!.amount < 1) {
        throw new ApiError(400, "Bad Request: CURRENCY_TOTAL_AMOUNT_INVALID");
      }
      pace(chatId);
      const invoice = { title: String(params["title"]), payload: String(params["payload"]), currency: String(params["currency"]), total: prices[0]!.amount };
      const message = addMessage(chatId, "bot", `🧾 ${invoice.title}: ${invoice.total} ${invoice.currency}`, [[{ text: `Pay ⭐${invoice.total}`, pay: true }]], { invoice });
      return { ...asMessage(message), invoice: { title: invoice.title, description: String(params["description"]), start_parameter: "", currency: invoice.currency, total_amount: invoice.total } };
    },
    answerPreCheckoutQuery: (params) => {
      const id = String(params["pre_checkout_query_id"] ?? "");
      if (!id || fake.preCheckoutAnswers.has(id)) throw new ApiError(400, "Bad Request: QUERY_ID_INVALID");
      const ok = params["ok"] === true || params["ok"] === "true";
      if (!ok && !params["error_message"]) throw new ApiError(400, "Bad Request: error_message is required when ok is false");
      fake.preCheckoutAnswers.set(id, { ok, ...(params["error_message"] ? { error_message: String(params["error_message"]) } : {}) });
      return true;
    },
    refundStarPayment: (params) => {
      const userId = Number(params["user_id"]);
      const chargeId = String(params["telegram_payment_charge_id"] ?? "");
      const charge = fake.starTransactions.find((transaction) => transaction.id === chargeId && transaction["source"] !== undefined);
      if (!charge || (charge["source"] as { user: { id: number } }).user.id !== userId) throw new ApiError(400, "Bad Request: CHARGE_NOT_FOUND");
      if (fake.starRefunds.some((refund) => refund.chargeId === chargeId)) throw new ApiError(400, "Bad Request: CHARGE_ALREADY_REFUNDED");
      fake.starRefunds.push({ userId, chargeId });
      fake.starTransactions.push({ id: chargeId, amount: charge.amount, date: Math.floor(now() / 1000), receiver: charge["source"] as Record<string, unknown> });
      return true;
    },
    getStarTransactions: (params) => {
      const offset = Math.max(0, Number(params["offset"] ?? 0));
      const limit = Math.min(100, Math.max(1, Number(params["limit"] ?? 100)));
      return { transactions: fake.starTransactions.slice(offset, offset + limit) };
    },
    answerCallbackQuery: (params) => {
      const id = String(params["callback_query_id"] ?? "");
      if (!id) throw new ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
      if (fake.callbackAnswers.has(id)) throw new ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
      fake.callbackAnswers.set(id, {
        ...(params["text"] !== undefined ? { text: String(params["text"]) } : {}),
        ...(params["show_alert"] !== undefined ? { show_alert: Boolean(params["show_alert"]) } : {}),
      });
      return true;
    },
  };

  async function readParams(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
    const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const body = raw.toString("utf8");
    if (!body) return params;
    const type = req.headers["content-type"] ?? "";
    // An upload (grammY's InputFile): fields as text, files as File objects.
    if (type.includes("multipart/form-data")) {
      const form = await new Response(raw, { headers: { "content-type": type } }).formData();
      for (const [name, value] of form) params[name] = value;
      // grammY sends a file as its own part and names it in the field: document=attach://<part>.
      for (const [name, value] of Object.entries(params)) {
        if (typeof value === "string" && value.startsWith("attach://")) params[name] = params[value.slice("attach://".length)];
      }
      return params;
    }
    if (type.includes("application/json")) return { ...params, ...(JSON.parse(body) as Record<string, unknown>) };
    if (type.includes("application/x-www-form-urlencoded")) return { ...params, ...Object.fromEntries(new URLSearchParams(body)) };
    throw new ApiError(400, "Bad Request: unsupported content type");
  }

  function reply(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://telegram");
    // Downloads: GET /file/bot<token>/<file_path>, as the real Bot API serves them.
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (download && req.method === "GET") {
      const file = download[1] === options.token ? [...files.values()].find((entry) => entry.path === download[2]) : undefined;
      if (!file) return reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": file.content.length });
      res.end(file.content);
      return;
    }
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) return reply(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    const [, token, method] = match as unknown as [string, string, string];
    const record: ApiCall = { method, params: {}, at: now(), status: 200 };
    const finish = (status: number, body: unknown) => {
      record.status = status;
      fake.calls.push(record);
      reply(res, status, body);
    };
    if (token !== options.token) return finish(401, { ok: false, error_code: 401, description: "Unauthorized" });
    const handler = methods[method];
    if (!handler) return finish(404, { ok: false, error_code: 404, description: "Not Found: method not found" });
    readParams(req, url)
      .then(async (params) => {
        record.params = params;
        const planned = failures.get(method)?.shift();
        if (planned?.afterEffect) await handler(params);
        if (planned) {
          throw new ApiError(planned.code, planned.description, planned.retry_after ? { retry_after: planned.retry_after } : undefined);
        }
        // Limits count a request from when it arrived, as Telegram's servers would, not from when its body was read.
        arrivedAt = record.at;
        const result = await handler(params);
        finish(200, { ok: true, result });
      })
      .catch((error: unknown) => {
        if (error instanceof ApiError) {
          finish(error.code, { ok: false, error_code: error.code, description: error.description, ...(error.parameters ? { parameters: error.parameters } : {}) });
        } else {
          finish(400, { ok: false, error_code: 400, description: `Bad Request: ${(error as Error).message}` });
        }
      });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((done) => server.listen(port, host, done));
  const address = server.address() as AddressInfo;
  const url = `http://${host}:${address.port}`;
  Object.assign(fake, { url, apiRoot: url, server });
  return fake;
}
