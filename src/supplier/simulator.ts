// The supplier simulator: serves the whole supplier contract (supplier-api.md) on a real port, with a
// behaviour chosen per SKU (or per order, by a rule) so tests, benchmarks and the sandbox can walk every path.
import { createHmac, randomBytes, randomInt } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { SIMULATOR_CATALOG } from "./simulator-catalog.js";
import type { SupplierCatalogProduct, SupplierOrder } from "./types.js";

export type SimWebhookMode = "once" | "none" | "twice" | "early" | "late" | "bad_signature" | "out_of_order";

export const simBehaviourSchema = z.object({
  /**
   * complete: codes at once · pending: codes later · fail: the order is created `failed` ·
   * error: an HTTP error, no order · empty_code / missing_pin: a `completed` we must not trust ·
   * hang: the order is created, the answer never comes in time · drop: the order is created, the connection reset.
   */
  outcome: z.enum(["complete", "pending", "fail", "error", "empty_code", "missing_pin", "hang", "drop"]).default("complete"),
  /** pending: resolve after this many ms, or after this many GETs of the order (whichever comes first). */
  resolveAfterMs: z.number().int().nonnegative().optional(),
  resolveAfterPolls: z.number().int().positive().optional(),
  resolveTo: z.enum(["completed", "failed"]).default("completed"),
  webhook: z.enum(["once", "none", "twice", "early", "late", "bad_signature", "out_of_order"]).default("once"),
  lateMs: z.number().int().nonnegative().default(2000),
  /** error outcome, and the code of a `fail`. */
  status: z.number().int().min(400).max(599).default(503),
  code: z.string().default("unavailable"),
  retryAfter: z.number().int().positive().optional(),
  /** The first N POSTs of each reference answer with this error (nothing created), then the outcome applies. */
  failFirst: z
    .object({ count: z.number().int().positive(), status: z.number().int(), code: z.string(), retryAfter: z.number().int().positive().optional() })
    .optional(),
  latencyMs: z.number().int().nonnegative().default(0),
  /** Codes this long (characters) instead of the usual 17: long deliveries. */
  codeLength: z.number().int().min(5).max(2_000).optional(),
  /** hang: how long before the (too late) answer. */
  hangMs: z.number().int().nonnegative().default(60_000),
  /** The expires_at of every code issued (an ISO date), for codes that expire. */
  expiresAt: z.string().optional(),
});
export type SimBehaviour = z.infer<typeof simBehaviourSchema>;
export type SimBehaviourInput = z.input<typeof simBehaviourSchema>;

export interface SimulatorOptions {
  apiKey: string;
  webhookSecret: string;
  /** Where order webhooks go; none are sent while it is unset. */
  webhookUrl?: string | undefined;
  catalog?: SupplierCatalogProduct[];
  /** Behaviour per SKU; SKUs not listed complete at once. */
  behaviours?: Record<string, SimBehaviourInput>;
  /** Decides per order, before the per-SKU behaviour (chaos runs). */
  rule?: (request: { sku: string; reference: string; quantity: number }) => SimBehaviourInput | undefined;
  /** Latency added to every request, in ms. */
  latencyMs?: number;
  balance?: { amount: number; currency: string };
  /** Answer insufficient balance as a 500 carrying the code (as some suppliers do). */
  balanceErrorAs500?: boolean;
  /** Multiplies the webhook retry schedule (30 s, 2 min, 10 min, 1 h, 6 h, 24 h); tests make it small. */
  webhookRetryScale?: number;
  now?: () => number;
}

interface SimOrder {
  order: SupplierOrder;
  behaviour: SimBehaviour;
  polls: number;
  /** What resolution will produce, fixed at creation so that the codes issued are knowable. */
  final: SupplierOrder;
  timer?: NodeJS.Timeout;
}

const orderRequestSchema = z.object({
  sku: z.string().min(1),
  quantity: z.number().int().min(1).max(100),
  reference: z.string().min(1).max(128),
  recipient: z.string().max(256).nullable().optional(),
});

const CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

function randomCode(length = 17): string {
  const group = () => Array.from({ length: 5 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join("");
  return Array.from({ length: Math.ceil((length + 1) / 6) }, group).join("-").slice(0, length).replace(/-$/, "Z");
}

export interface SupplierSimulator {
  readonly url: string;
  readonly server: Server;
  /** POSTs that created a new supplier order, per reference (an idempotent replay does not count). */
  readonly createdByReference: Map<string, number>;
  /** Every webhook the simulator sent, with the answer status it got (0: connection failed). */
  readonly webhooksSent: Array<{ eventId: string; reference: string; type: string; status: number }>;
  readonly requests: Array<{ method: string; path: string; status: number }>;
  balance: { amount: number; currency: string };
  setBehaviour(sku: string, behaviour: SimBehaviourInput | undefined): void;
  behaviours(): Record<string, SimBehaviour>;
  setLatency(ms: number): void;
  setWebhookUrl(url: string | undefined): void;
  /** The order with this reference as the supplier holds it now, with its codes. */
  orderByReference(reference: string): SupplierOrder | undefined;
  /** Resolves every pending order now (as if the supplier finished), sending webhooks per behaviour. */
  resolvePending(): void;
  close(): Promise<void>;
}

export async function startSupplierSimulator(options: SimulatorOptions, port = 0, host = "127.0.0.1"): Promise<SupplierSimulator> {
  const now = options.now ?? Date.now;
  const catalog = new Map((options.catalog ?? SIMULATOR_CATALOG).map((product) => [product.sku, product]));
  const behaviours = new Map<string, SimBehaviour>();
  for (const [sku, behaviour] of Object.entries(options.behaviours ?? {})) behaviours.set(sku, simBehaviourSchema.parse(behaviour));
  const ordersById = new Map<string, SimOrder>();
  const idByReference = new Map<string, string>();
  const failuresByReference = new Map<string, number>();
  const createdByReference = new Map<string, number>();
  const webhooksSent: SupplierSimulator["webhooksSent"] = [];
  const requests: SupplierSimulator["requests"] = [];
  const timers = new Set<NodeJS.Timeout>();
  let latencyMs = options.latencyMs ?? 0;
  let webhookUrl = options.webhookUrl;
  let nextOrderNumber = 10_000 + randomInt(80_000);
  let closed = false;

  const sim: SupplierSimulator = {
    url: "",
    server: undefined as unknown as Server,
    createdByReference,
    webhooksSent,
    requests,
    balance: { ...(options.balance ?? { amount: 125_000_00, currency: "USD" }) },
    setBehaviour(sku, behaviour) {
      if (behaviour === undefined) behaviours.delete(sku);
      else behaviours.set(sku, simBehaviourSchema.parse(behaviour));
    },
    behaviours: () => Object.fromEntries(behaviours),
    setLatency(ms) {
      latencyMs = ms;
    },
    setWebhookUrl(url) {
      webhookUrl = url;
    },
    orderByReference(reference) {
      const id = idByReference.get(reference);
      const entry = id ? ordersById.get(id) : undefined;
      return entry ? structuredClone(entry.order) : undefined;
    },
    resolvePending() {
      for (const entry of ordersById.values()) if (entry.order.status === "pending") resolve(entry);
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      for (const entry of ordersById.values()) if (entry.timer) clearTimeout(entry.timer);
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };

  function later(ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!closed) fn();
    }, ms);
    timer.unref();
    timers.add(timer);
    return timer;
  }

  function behaviourFor(sku: string, reference: string, quantity: number): SimBehaviour {
    const fromRule = options.rule?.({ sku, reference, quantity });
    if (fromRule) return simBehaviourSchema.parse(fromRule);
    return behaviours.get(sku) ?? simBehaviourSchema.parse({});
  }

  function isoNow(): string {
    return new Date(now()).toISOString();
  }

  /** The completed (or failed) order this request will end as. */
  function finalOrder(base: SupplierOrder, product: SupplierCatalogProduct, behaviour: SimBehaviour, recipient: string | null): SupplierOrder {
    if (behaviour.outcome === "fail" || (behaviour.outcome === "pending" && behaviour.resolveTo === "failed")) {
      const code = behaviour.outcome === "fail" ? behaviour.code : "operator_rejected";
      return { ...base, status: "failed", items: [], error: { code, message: "the supplier could not fulfil this order" } };
    }
    if (product.kind === "topup") {
      return {
        ...base,
        status: "completed",
        items: [],
        confirmation: { operator_transaction_id: `OP-${randomBytes(5).toString("hex").toUpperCase()}`, delivered: product.face_value, recipient },
      };
    }
    const items = Array.from({ length: base.quantity }, () => ({
      code: behaviour.outcome === "empty_code" ? "" : randomCode(behaviour.codeLength),
      pin: product.requires_pin && behaviour.outcome !== "missing_pin" ? String(randomInt(10_000_000, 99_999_999)) : null,
      serial: product.requires_pin ? `SN${randomInt(100_000_000, 999_999_999)}` : null,
      instructions: product.instructions ?? null,
      expires_at: behaviour.expiresAt ?? null,
    }));
    return { ...base, status: "completed", items };
  }

  function resolve(entry: SimOrder): void {
    if (entry.order.status !== "pending") return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.order = { ...entry.final, updated_at: isoNow() };
    if (entry.order.status === "failed") refundBalance(entry.order);
    sendWebhooks(entry, entry.order.status === "completed" ? "order.completed" : "order.failed");
  }

  function refundBalance(order: SupplierOrder): void {
    if (order.cost) sim.balance.amount += order.cost.amount;
  }

  function sendWebhooks(entry: SimOrder, type: "order.completed" | "order.failed"): void {
    const mode = entry.behaviour.webhook;
    if (mode === "none") return;
    const snapshot = structuredClone(entry.order);
    const send = (eventType: string, order: SupplierOrder, badSignature = false) => deliverWebhook(eventType, order, badSignature);
    switch (mode) {
      case "once":
      case "early":
        send(type, snapshot);
        break;
      case "twice":
        send(type, snapshot);
        later(20, () => send(type, snapshot));
        break;
      case "late":
        later(entry.behaviour.lateMs, () => send(type, snapshot));
        break;
      case "bad_signature":
        send(type, snapshot, true);
        break;
      case "out_of_order":
        // The final event first, then an older "still pending" one.
        send(type, snapshot);
        later(20, () => send("order.updated", { ...snapshot, status: "pending", items: [], confirmation: null, error: null }));
        break;
    }
  }

  function deliverWebhook(type: string, order: SupplierOrder, badSignature: boolean, attempt = 0, eventId = `evt_${randomBytes(10).toString("hex")}`): void {
    const url = webhookUrl;
    if (!url || closed) return;
    const body = JSON.stringify({ id: eventId, type, created_at: isoNow(), data: { order } });
    const t = Math.floor(now() / 1000);
    const secret = badSignature ? "not-the-shared-secret" : options.webhookSecret;
    const v1 = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
    const record = { eventId, reference: order.reference, type, status: 0 };
    webhooksSent.push(record);
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-supplier-event-id": eventId, "x-supplier-signature": `t=${t},v1=${v1}` },
      body,
      signal: AbortSignal.timeout(10_000),
    })
      .then((response) => {
        record.status = response.status;
        return response.ok;
      })
      .catch(() => false)
      .then((ok) => {
        const schedule = [30_000, 120_000, 600_000, 3_600_000, 21_600_000, 86_400_000];
        const delay = schedule[attempt];
        if (!ok && !badSignature && delay !== undefined) {
          later(delay * (options.webhookRetryScale ?? 1), () => deliverWebhook(type, order, false, attempt + 1, eventId));
        }
      });
  }

  function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
    res.end(text);
  }

  function sendError(res: ServerResponse, status: number, code: string, message: string, retryAfter?: number): void {
    const retryable = status === 429 || status >= 500;
    sendJson(res, status, { error: { code, message, retryable } }, retryAfter ? { "retry-after": String(retryAfter) } : {});
  }

  async function readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 64 * 1024) throw new Error("body too large");
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString("utf8");
  }

  const sleep = (ms: number) => new Promise<void>((done) => later(ms, done));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://simulator");
    const path = url.pathname.replace(/\/+$/, "") || "/";
    if (path.startsWith("/_sim")) return handleControl(req, res, path);
    if (req.headers.authorization !== `Bearer ${options.apiKey}`) {
      return sendError(res, 401, "unauthorized", "missing or wrong API key");
    }
    if (latencyMs > 0) await sleep(latencyMs);

    if (req.method === "GET" && path === "/catalog") {
      return sendJson(res, 200, { products: [...catalog.values()] });
    }
    if (req.method === "GET" && path === "/balance") {
      return sendJson(res, 200, { balance: sim.balance });
    }
    if (req.method === "GET" && path === "/orders") {
      const reference = url.searchParams.get("reference");
      const id = reference ? idByReference.get(reference) : undefined;
      const entry = id ? ordersById.get(id) : undefined;
      if (!entry) return sendError(res, 404, "not_found", "no order with this reference");
      return sendJson(res, 200, pollOrder(entry));
    }
    const match = /^\/orders\/([^/]+)$/.exec(path);
    if (req.method === "GET" && match) {
      const entry = ordersById.get(decodeURIComponent(match[1]!));
      if (!entry) return sendError(res, 404, "not_found", "no such order");
      return sendJson(res, 200, pollOrder(entry));
    }
    if (req.method === "POST" && path === "/orders") return placeOrder(req, res);
    return sendError(res, 404, "not_found", "no such endpoint");
  }

  function pollOrder(entry: SimOrder): SupplierOrder {
    entry.polls += 1;
    const { resolveAfterPolls } = entry.behaviour;
    if (entry.order.status === "pending" && resolveAfterPolls !== undefined && entry.polls >= resolveAfterPolls) resolve(entry);
    return entry.order;
  }

  async function placeOrder(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(await readBody(req));
    } catch {
      return sendError(res, 400, "invalid_request", "the body is not JSON");
    }
    const parsed = orderRequestSchema.safeParse(raw);
    if (!parsed.success) return sendError(res, 400, "invalid_request", parsed.error.issues[0]?.message ?? "bad body");
    const request = parsed.data;
    const idempotencyKey = req.headers["idempotency-key"];
    if (typeof idempotencyKey === "string" && idempotencyKey !== request.reference) {
      return sendError(res, 400, "invalid_request", "Idempotency-Key must equal the reference");
    }

    const existingId = idByReference.get(request.reference);
    if (existingId) return sendJson(res, 200, ordersById.get(existingId)!.order);

    const product = catalog.get(request.sku);
    if (!product) return sendError(res, 404, "invalid_sku", `unknown sku ${request.sku}`);
    const behaviour = behaviourFor(request.sku, request.reference, request.quantity);
    if (behaviour.latencyMs > 0) await sleep(behaviour.latencyMs);

    const failedSoFar = failuresByReference.get(request.reference) ?? 0;
    if (behaviour.failFirst && failedSoFar < behaviour.failFirst.count) {
      failuresByReference.set(request.reference, failedSoFar + 1);
      const { status, code, retryAfter } = behaviour.failFirst;
      return sendError(res, status, code, "simulated failure", retryAfter);
    }
    if (behaviour.outcome === "error") {
      return sendError(res, behaviour.status, behaviour.code, "simulated error", behaviour.retryAfter);
    }
    if (!product.in_stock) return sendError(res, 409, "out_of_stock", `${product.sku} is out of stock`);
    if (product.kind === "topup") {
      const pattern = product.recipient ? new RegExp(product.recipient.pattern) : undefined;
      if (!request.recipient || (pattern && !pattern.test(request.recipient))) {
        return sendError(res, 422, "invalid_recipient", "the recipient was rejected by the operator");
      }
    }
    const cost = { amount: product.cost.amount * request.quantity, currency: product.cost.currency };
    if (sim.balance.amount < cost.amount) {
      return options.balanceErrorAs500
        ? sendError(res, 500, "insufficient_balance", "reseller balance too low")
        : sendError(res, 402, "insufficient_balance", "reseller balance too low");
    }
    sim.balance.amount -= cost.amount;

    const stamp = isoNow();
    const base: SupplierOrder = {
      order_id: `SUP-${nextOrderNumber++}`,
      reference: request.reference,
      sku: request.sku,
      quantity: request.quantity,
      status: "pending",
      items: [],
      confirmation: null,
      error: null,
      cost,
      created_at: stamp,
      updated_at: stamp,
    };
    const final = finalOrder(base, product, behaviour, request.recipient ?? null);
    const entry: SimOrder = { order: behaviour.outcome === "pending" ? base : final, behaviour, polls: 0, final };
    ordersById.set(base.order_id, entry);
    idByReference.set(request.reference, base.order_id);
    createdByReference.set(request.reference, (createdByReference.get(request.reference) ?? 0) + 1);
    if (entry.order.status === "failed") refundBalance(entry.order);

    if (behaviour.outcome === "pending") {
      if (behaviour.resolveAfterMs !== undefined) entry.timer = later(behaviour.resolveAfterMs, () => resolve(entry));
    } else if (behaviour.webhook === "early") {
      sendWebhooks(entry, final.status === "failed" ? "order.failed" : "order.completed");
    }

    if (behaviour.outcome === "drop") {
      req.socket.destroy();
      return;
    }
    if (behaviour.outcome === "hang") await sleep(behaviour.hangMs);
    sendJson(res, 201, entry.order);
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method === "GET" && path === "/_sim/state") {
      return sendJson(res, 200, { balance: sim.balance, latencyMs, behaviours: Object.fromEntries(behaviours), catalog: [...catalog.values()] });
    }
    const match = /^\/_sim\/behaviours\/([^/]+)$/.exec(path);
    if (match && (req.method === "PUT" || req.method === "DELETE")) {
      try {
        const sku = decodeURIComponent(match[1]!);
        sim.setBehaviour(sku, req.method === "DELETE" ? undefined : JSON.parse(await readBody(req)));
        return sendJson(res, 200, { sku, behaviour: behaviours.get(sku) ?? null });
      } catch (error) {
        return sendError(res, 400, "invalid_request", (error as Error).message);
      }
    }
    if (req.method === "PUT" && path === "/_sim/balance") {
      try {
        const { amount } = z.object({ amount: z.number().int() }).parse(JSON.parse(await readBody(req)));
        sim.balance.amount = amount;
        return sendJson(res, 200, { balance: sim.balance });
      } catch (error) {
        return sendError(res, 400, "invalid_request", (error as Error).message);
      }
    }
    if (req.method === "PUT" && path === "/_sim/latency") {
      try {
        sim.setLatency(z.object({ ms: z.number().int().nonnegative() }).parse(JSON.parse(await readBody(req))).ms);
        return sendJson(res, 200, { latencyMs });
      } catch (error) {
        return sendError(res, 400, "invalid_request", (error as Error).message);
      }
    }
    return sendError(res, 404, "not_found", "no such control endpoint");
  }

  const server = createServer((req, res) => {
    res.on("finish", () => requests.push({ method: req.method ?? "", path: req.url ?? "", status: res.statusCode }));
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, "internal", (error as Error).message);
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((done) => server.listen(port, host, done));
  const address = server.address() as AddressInfo;
  Object.assign(sim, { url: `http://${host}:${address.port}`, server });
  return sim;
}
