// A local stand-in for the parts of the Stripe API the shop calls (Checkout Sessions, expire, refunds),
// reached by the real stripe-node SDK through STRIPE_API_URL. It can also play Stripe's side of a payment:
// complete or expire a session and post the signed event to the shop's /webhooks/stripe.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";

export interface FakeSession {
  id: string;
  object: "checkout.session";
  url: string;
  status: "open" | "complete" | "expired";
  payment_status: "unpaid" | "paid";
  amount_total: number;
  currency: string;
  client_reference_id: string | null;
  metadata: Record<string, string>;
  expires_at: number;
  payment_intent: string | null;
  success_url: string;
  cancel_url: string;
  mode: string;
  allowed_payment_method_types: string[];
  line_items: Array<{ name: string; quantity: number; unit_amount: number }>;
  /** The page's language as the shop asked for it ("auto": the browser's). */
  locale: string;
  created: number;
}

export interface FakeRefund {
  id: string;
  object: "refund";
  amount: number;
  currency: string;
  payment_intent: string;
  status: "succeeded";
  metadata: Record<string, string>;
}

export interface FakeStripeOptions {
  /** The shop's webhook URL and secret, for events the fake plays (pay, expire). */
  webhookUrl?: string | undefined;
  webhookSecret: string;
  /** Where the checkout page is served (the sandbox); session URLs point there. */
  checkoutBaseUrl?: string | undefined;
  now?: () => number;
}

/** Parses Stripe's form encoding (a[b][0][c]=v) into nested objects and arrays. */
export function parseStripeForm(body: string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.split(/\[|\]\[|\]/).filter((part) => part !== "");
    let node: Record<string, unknown> | unknown[] = root;
    path.forEach((part, index) => {
      const last = index === path.length - 1;
      const nextIsIndex = !last && /^\d+$/.test(path[index + 1]!);
      const container = node as Record<string, unknown>;
      if (last) container[part] = value;
      else {
        container[part] ??= nextIsIndex ? [] : {};
        node = container[part] as Record<string, unknown>;
      }
    });
  }
  return root;
}

export interface FakeStripe {
  readonly url: string;
  readonly server: Server;
  readonly sessions: Map<string, FakeSession>;
  readonly refunds: FakeRefund[];
  /** Requests by path, with the idempotency key sent. */
  readonly requests: Array<{ method: string; path: string; idempotencyKey: string | undefined; status: number }>;
  setWebhookUrl(url: string): void;
  setCheckoutBaseUrl(url: string): void;
  /** Marks the session paid and returns the signed `checkout.session.completed` (not yet sent). */
  pay(sessionId: string, overrides?: { amount_total?: number; currency?: string }): { payload: string; header: string; event: Stripe.Event };
  /** Builds and signs any event around an object. */
  signedEvent(type: string, object: Record<string, unknown>): { payload: string; header: string; event: Stripe.Event };
  /** Posts a signed event to the shop's webhook; returns the HTTP status. */
  post(signed: { payload: string; header: string }): Promise<number>;
  /** Pays (and posts) in one step, as a customer on the checkout page would. */
  completeCheckout(sessionId: string, overrides?: { amount_total?: number; currency?: string }): Promise<number>;
  /** Expires the session (Stripe's 30-minute timer or a Cancel) and posts the event. */
  expireCheckout(sessionId: string): Promise<number>;
  close(): Promise<void>;
}

const stripeSigner = new Stripe("sk_test_signer_only");

export async function startFakeStripe(options: FakeStripeOptions, port = 0, host = "127.0.0.1"): Promise<FakeStripe> {
  const now = options.now ?? Date.now;
  const sessions = new Map<string, FakeSession>();
  const refunds: FakeRefund[] = [];
  const idempotent = new Map<string, { status: number; body: unknown }>();
  let webhookUrl = options.webhookUrl;
  let checkoutBaseUrl = options.checkoutBaseUrl;
  const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString("hex")}`;

  const fake: FakeStripe = {
    url: "",
    server: undefined as unknown as Server,
    sessions,
    refunds,
    requests: [],
    setWebhookUrl(url) {
      webhookUrl = url;
    },
    setCheckoutBaseUrl(url) {
      checkoutBaseUrl = url;
    },
    pay(sessionId, overrides = {}) {
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`no session ${sessionId}`);
      session.status = "complete";
      session.payment_status = "paid";
      session.payment_intent ??= id("pi");
      return fake.signedEvent("checkout.session.completed", { ...session, ...overrides });
    },
    signedEvent(type, object) {
      const event = {
        id: id("evt"),
        object: "event",
        api_version: "2026-10-28.endive",
        created: Math.floor(now() / 1000),
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type,
        data: { object },
      } as unknown as Stripe.Event;
      const payload = JSON.stringify(event);
      const header = stripeSigner.webhooks.generateTestHeaderString({ payload, secret: options.webhookSecret, timestamp: Math.floor(now() / 1000) });
      return { payload, header, event };
    },
    async post(signed) {
      if (!webhookUrl) throw new Error("the fake Stripe has no webhook URL");
      const response = await fetch(webhookUrl, {
        method: "POST",
        headers: { "content-type": "application/json", "stripe-signature": signed.header },
        body: signed.payload,
      });
      await response.arrayBuffer();
      return response.status;
    },
    completeCheckout(sessionId, overrides) {
      return fake.post(fake.pay(sessionId, overrides));
    },
    async expireCheckout(sessionId) {
      const session = sessions.get(sessionId);
      if (!session || session.status !== "open") throw new Error(`session ${sessionId} is not open`);
      session.status = "expired";
      return fake.post(fake.signedEvent("checkout.session.expired", { ...session }));
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };

  function send(res: ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "request-id": id("req") });
    res.end(text);
  }

  function stripeError(status: number, type: string, message: string, code?: string) {
    return { status, body: { error: { type, message, ...(code ? { code } : {}) } } };
  }

  function createSession(params: Record<string, unknown>): { status: number; body: unknown } {
    const items = (params["line_items"] as Array<Record<string, any>> | undefined) ?? [];
    if (items.length === 0) return stripeError(400, "invalid_request_error", "line_items is required", "parameter_missing");
    if (params["payment_method_types"] !== undefined) {
      return stripeError(400, "invalid_request_error", "Received unknown parameter: payment_method_types (use allowed_payment_method_types)", "parameter_unknown");
    }
    const lineItems = items.map((item) => ({
      name: String(item["price_data"]?.["product_data"]?.["name"] ?? ""),
      quantity: Number(item["quantity"] ?? 1),
      unit_amount: Number(item["price_data"]?.["unit_amount"]),
    }));
    const currency = String(items[0]!["price_data"]?.["currency"] ?? "");
    const created = Math.floor(now() / 1000);
    const expiresAt = Number(params["expires_at"] ?? created + 86_400);
    if (expiresAt < created + 1800) return stripeError(400, "invalid_request_error", "expires_at must be at least 30 minutes from now", "parameter_invalid_integer");
    const sessionId = id("cs");
    const session: FakeSession = {
      id: sessionId,
      object: "checkout.session",
      url: `${checkoutBaseUrl ?? fake.url}/checkout/${sessionId}`,
      status: "open",
      payment_status: "unpaid",
      amount_total: lineItems.reduce((sum, item) => sum + item.unit_amount * item.quantity, 0),
      currency,
      client_reference_id: (params["client_reference_id"] as string | undefined) ?? null,
      metadata: (params["metadata"] as Record<string, string> | undefined) ?? {},
      expires_at: expiresAt,
      payment_intent: null,
      success_url: String(params["success_url"] ?? ""),
      cancel_url: String(params["cancel_url"] ?? ""),
      mode: String(params["mode"] ?? "payment"),
      allowed_payment_method_types: (params["allowed_payment_method_types"] as string[] | undefined) ?? [],
      line_items: lineItems,
      locale: String(params["locale"] ?? "auto"),
      created,
    };
    sessions.set(sessionId, session);
    return { status: 200, body: session };
  }

  function createRefund(params: Record<string, unknown>): { status: number; body: unknown } {
    const paymentIntent = String(params["payment_intent"] ?? "");
    const session = [...sessions.values()].find((s) => s.payment_intent === paymentIntent);
    if (!session) return stripeError(400, "invalid_request_error", `No such payment_intent: '${paymentIntent}'`, "resource_missing");
    if (refunds.some((r) => r.payment_intent === paymentIntent)) {
      return stripeError(400, "invalid_request_error", "Charge has already been refunded.", "charge_already_refunded");
    }
    const refund: FakeRefund = {
      id: id("re"),
      object: "refund",
      amount: session.amount_total,
      currency: session.currency,
      payment_intent: paymentIntent,
      status: "succeeded",
      metadata: (params["metadata"] as Record<string, string> | undefined) ?? {},
    };
    refunds.push(refund);
    return { status: 200, body: refund };
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const params = parseStripeForm(Buffer.concat(chunks).toString("utf8"));
    const path = new URL(req.url ?? "/", "http://stripe").pathname;
    const key = req.headers["idempotency-key"] as string | undefined;
    const record = { method: req.method ?? "", path, idempotencyKey: key, status: 0 };
    fake.requests.push(record);
    const answer = (result: { status: number; body: unknown }) => {
      record.status = result.status;
      send(res, result.status, result.body);
    };
    if (!String(req.headers.authorization ?? "").startsWith("Bearer sk_")) {
      return answer(stripeError(401, "invalid_request_error", "Invalid API Key provided"));
    }
    if (key && idempotent.has(`${path}:${key}`)) return answer(idempotent.get(`${path}:${key}`)!);
    let result: { status: number; body: unknown };
    const expire = /^\/v1\/checkout\/sessions\/([^/]+)\/expire$/.exec(path);
    const get = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(path);
    if (req.method === "POST" && path === "/v1/checkout/sessions") result = createSession(params);
    else if (req.method === "POST" && expire) {
      const session = sessions.get(expire[1]!);
      if (!session) result = stripeError(404, "invalid_request_error", "No such checkout.session", "resource_missing");
      else if (session.status !== "open") result = stripeError(400, "invalid_request_error", `Only Checkout Sessions with a status in ["open"] can be expired.`);
      else {
        session.status = "expired";
        result = { status: 200, body: session };
        if (webhookUrl) setTimeout(() => void fake.post(fake.signedEvent("checkout.session.expired", { ...session })).catch(() => undefined), 0);
      }
    } else if (req.method === "GET" && get) {
      const session = sessions.get(get[1]!);
      result = session ? { status: 200, body: session } : stripeError(404, "invalid_request_error", "No such checkout.session", "resource_missing");
    } else if (req.method === "POST" && path === "/v1/refunds") result = createRefund(params);
    else result = stripeError(404, "invalid_request_error", `Unrecognized request URL (${req.method}: ${path})`);
    if (key && result.status < 500) idempotent.set(`${path}:${key}`, result);
    answer(result);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => send(res, 500, { error: { type: "api_error", message: (error as Error).message } }));
  });
  await new Promise<void>((done) => server.listen(port, host, done));
  Object.assign(fake, { url: `http://${host}:${(server.address() as AddressInfo).port}`, server });
  return fake;
}
