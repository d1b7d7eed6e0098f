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
  /** What the customer typed on the page, as Stripe reports it once the session is complete (null before). */
  customer_details: { email: string | null; name: string | null } | null;
  created: number;
}

/** What a payment on the checkout page may differ in: the amount, the card, the email the customer typed (null: none). */
export interface PayOverrides {
  amount_total?: number;
  currency?: string;
  card?: Partial<FakeCard>;
  email?: string | null;
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

/** The card behind a payment, as Radar and the card network describe it. */
export interface FakeCard {
  fingerprint: string;
  country: string;
  funding: "credit" | "debit" | "prepaid" | "unknown";
  risk_level: "normal" | "elevated" | "highest";
  risk_score: number;
  cvc_check: "pass" | "fail" | "unchecked";
}

/** A charge as Stripe reports it in charge.* events and payment_intent.latest_charge (the fields the shop reads). */
export interface FakeCharge {
  id: string;
  object: "charge";
  amount: number;
  amount_refunded: number;
  currency: string;
  payment_intent: string;
  refunded: boolean;
  disputed: boolean;
  created: number;
  metadata: Record<string, string>;
  outcome: { network_status: string; risk_level: string; risk_score: number; type: string; seller_message: string };
  payment_method_details: {
    type: "card";
    card: { brand: string; country: string; fingerprint: string; funding: string; last4: string; checks: { cvc_check: string; address_line1_check: string | null; address_postal_code_check: string | null } };
  };
}

export interface FakeDispute {
  id: string;
  object: "dispute";
  amount: number;
  currency: string;
  charge: string;
  payment_intent: string;
  reason: string;
  status: string;
  evidence_details: { due_by: number; has_evidence: boolean; past_due: boolean; submission_count: number };
  evidence: Record<string, unknown>;
  created: number;
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
  /** The charge of each paid session, by payment intent. */
  readonly charges: Map<string, FakeCharge>;
  readonly disputes: Map<string, FakeDispute>;
  /** Files uploaded (dispute evidence), with the raw multipart body as received. */
  readonly files: Array<{ id: string; body: string }>;
  /** Requests by path, with the idempotency key sent. */
  readonly requests: Array<{ method: string; path: string; idempotencyKey: string | undefined; status: number }>;
  setWebhookUrl(url: string): void;
  setCheckoutBaseUrl(url: string): void;
  /** Marks the session paid and returns the signed `checkout.session.completed` (not yet sent). */
  pay(sessionId: string, overrides?: PayOverrides): { payload: string; header: string; event: Stripe.Event };
  /** Builds and signs any event around an object. */
  signedEvent(type: string, object: Record<string, unknown>): { payload: string; header: string; event: Stripe.Event };
  /** Posts a signed event to the shop's webhook; returns the HTTP status. */
  post(signed: { payload: string; header: string }): Promise<number>;
  /** Pays (and posts) in one step, as a customer on the checkout page would. */
  completeCheckout(sessionId: string, overrides?: PayOverrides): Promise<number>;
  /** Expires the session (Stripe's 30-minute timer or a Cancel) and posts the event. */
  expireCheckout(sessionId: string): Promise<number>;
  /**
   * A refund made in the Stripe dashboard (all of the charge, or `amount`): the charge is updated and
   * `charge.refunded` posted; `post: false` only builds the signed event (to send it late, twice, out of order).
   */
  refundInDashboard(paymentIntent: string, options?: { amount?: number; post?: boolean }): Promise<{ status: number; signed: { payload: string; header: string } }>;
  /** The cardholder disputes the charge: `charge.dispute.created` (then `funds_withdrawn`), posted unless `post: false`. */
  openDispute(paymentIntent: string, options?: { reason?: string; post?: boolean }): Promise<{ dispute: FakeDispute; signed: Array<{ payload: string; header: string }> }>;
  /** The bank decides: `charge.dispute.closed` as won or lost (won also reinstates the funds). */
  closeDispute(disputeId: string, outcome: "won" | "lost"): Promise<number>;
  /** Whether refunds made through the API post `charge.refunded` afterwards, as Stripe does (default true). */
  sendRefundEvents: boolean;
  close(): Promise<void>;
}

const stripeSigner = new Stripe("sk_test_signer_only");

export async function startFakeStripe(options: FakeStripeOptions, port = 0, host = "127.0.0.1"): Promise<FakeStripe> {
  const now = options.now ?? Date.now;
  const sessions = new Map<string, FakeSession>();
  const refunds: FakeRefund[] = [];
  const charges = new Map<string, FakeCharge>();
  const disputes = new Map<string, FakeDispute>();
  const files: Array<{ id: string; body: string }> = [];
  const idempotent = new Map<string, { status: number; body: unknown }>();
  let webhookUrl = options.webhookUrl;
  let checkoutBaseUrl = options.checkoutBaseUrl;
  const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString("hex")}`;

  const fake: FakeStripe = {
    url: "",
    server: undefined as unknown as Server,
    sessions,
    refunds,
    charges,
    disputes,
    files,
    sendRefundEvents: true,
    requests: [],
    setWebhookUrl(url) {
      webhookUrl = url;
    },
    setCheckoutBaseUrl(url) {
      checkoutBaseUrl = url;
    },
    pay(sessionId, overrides = {}) {
      const { card: cardOverride, email, ...sessionOverrides } = overrides;
      const session = sessions.get(sessionId);
      if (!session) throw new Error(`no session ${sessionId}`);
      session.status = "complete";
      session.payment_status = "paid";
      // Checkout always asks for an email; a customer with none is a test's choice (email: null).
      const typed = email === undefined ? `buyer.${(session.client_reference_id ?? session.id).toLowerCase()}@example.com` : email;
      session.customer_details = { email: typed, name: null };
      session.payment_intent ??= id("pi");
      if (!charges.has(session.payment_intent)) {
        const card: FakeCard = { fingerprint: randomBytes(8).toString("hex"), country: "US", funding: "credit", risk_level: "normal", risk_score: 12, cvc_check: "pass", ...cardOverride };
        charges.set(session.payment_intent, {
          id: id("ch"),
          object: "charge",
          amount: sessionOverrides.amount_total ?? session.amount_total,
          amount_refunded: 0,
          currency: sessionOverrides.currency ?? session.currency,
          payment_intent: session.payment_intent,
          refunded: false,
          disputed: false,
          created: Math.floor(now() / 1000),
          metadata: {},
          outcome: {
            network_status: "approved_by_network",
            risk_level: card.risk_level,
            risk_score: card.risk_score,
            type: card.risk_level === "highest" ? "manual_review" : "authorized",
            seller_message: "Payment complete.",
          },
          payment_method_details: {
            type: "card",
            card: { brand: "visa", country: card.country, fingerprint: card.fingerprint, funding: card.funding, last4: "4242", checks: { cvc_check: card.cvc_check, address_line1_check: null, address_postal_code_check: null } },
          },
        });
      }
      return fake.signedEvent("checkout.session.completed", { ...session, ...sessionOverrides });
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
    async refundInDashboard(paymentIntent, options = {}) {
      const charge = charges.get(paymentIntent);
      if (!charge) throw new Error(`no charge for ${paymentIntent}`);
      const amount = Math.min(options.amount ?? charge.amount - charge.amount_refunded, charge.amount - charge.amount_refunded);
      refunds.push({ id: id("re"), object: "refund", amount, currency: charge.currency, payment_intent: paymentIntent, status: "succeeded", metadata: {} });
      charge.amount_refunded += amount;
      charge.refunded = charge.amount_refunded >= charge.amount;
      const signed = fake.signedEvent("charge.refunded", { ...charge });
      return { status: options.post === false ? 0 : await fake.post(signed), signed };
    },
    async openDispute(paymentIntent, options = {}) {
      const charge = charges.get(paymentIntent);
      if (!charge) throw new Error(`no charge for ${paymentIntent}`);
      charge.disputed = true;
      const created = Math.floor(now() / 1000);
      const dispute: FakeDispute = {
        id: id("du"),
        object: "dispute",
        amount: charge.amount,
        currency: charge.currency,
        charge: charge.id,
        payment_intent: paymentIntent,
        reason: options.reason ?? "fraudulent",
        status: "needs_response",
        evidence_details: { due_by: created + 7 * 86_400, has_evidence: false, past_due: false, submission_count: 0 },
        evidence: {},
        created,
      };
      disputes.set(dispute.id, dispute);
      const signed = [fake.signedEvent("charge.dispute.created", { ...dispute }), fake.signedEvent("charge.dispute.funds_withdrawn", { ...dispute })];
      if (options.post !== false) for (const event of signed) await fake.post(event);
      return { dispute, signed };
    },
    async closeDispute(disputeId, outcome) {
      const dispute = disputes.get(disputeId);
      if (!dispute) throw new Error(`no dispute ${disputeId}`);
      dispute.status = outcome;
      if (outcome === "won") await fake.post(fake.signedEvent("charge.dispute.funds_reinstated", { ...dispute }));
      return fake.post(fake.signedEvent("charge.dispute.closed", { ...dispute }));
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
      customer_details: null,
      created,
    };
    sessions.set(sessionId, session);
    return { status: 200, body: session };
  }

  function createRefund(params: Record<string, unknown>): { status: number; body: unknown } {
    const paymentIntent = String(params["payment_intent"] ?? "");
    const session = [...sessions.values()].find((s) => s.payment_intent === paymentIntent);
    if (!session) return stripeError(400, "invalid_request_error", `No such payment_intent: '${paymentIntent}'`, "resource_missing");
    const charge = charges.get(paymentIntent);
    if (charge ? charge.refunded : refunds.some((r) => r.payment_intent === paymentIntent)) {
      return stripeError(400, "invalid_request_error", "Charge has already been refunded.", "charge_already_refunded");
    }
    const refund: FakeRefund = {
      id: id("re"),
      object: "refund",
      amount: charge ? charge.amount - charge.amount_refunded : session.amount_total,
      currency: session.currency,
      payment_intent: paymentIntent,
      status: "succeeded",
      metadata: (params["metadata"] as Record<string, string> | undefined) ?? {},
    };
    refunds.push(refund);
    if (charge) {
      charge.amount_refunded = charge.amount;
      charge.refunded = true;
      // Stripe tells the endpoint about every refund, the shop's own included.
      if (webhookUrl && fake.sendRefundEvents) setTimeout(() => void fake.post(fake.signedEvent("charge.refunded", { ...charge })).catch(() => undefined), 0);
    }
    return { status: 200, body: refund };
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks);
    const params = String(req.headers["content-type"] ?? "").startsWith("multipart/") ? {} : parseStripeForm(rawBody.toString("utf8"));
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
    else if (req.method === "GET" && /^\/v1\/payment_intents\/[^/]+$/.test(path)) {
      const intentId = decodeURIComponent(path.split("/").at(-1)!);
      const charge = charges.get(intentId);
      if (!charge) result = stripeError(404, "invalid_request_error", `No such payment_intent: '${intentId}'`, "resource_missing");
      else {
        // stripe-node sends expand[0]=…; curl users write expand[]=…
        const expand = [...new URL(req.url ?? "/", "http://stripe").searchParams].filter(([key]) => /^expand\[\d*\]$/.test(key)).map(([, value]) => value);
        const latest = expand.includes("latest_charge") ? charge : charge.id;
        result = { status: 200, body: { id: intentId, object: "payment_intent", amount: charge.amount, currency: charge.currency, status: "succeeded", latest_charge: latest, metadata: {} } };
      }
    } else if (req.method === "POST" && /^\/v1\/disputes\/[^/]+$/.test(path)) {
      const dispute = disputes.get(decodeURIComponent(path.split("/").at(-1)!));
      if (!dispute) result = stripeError(404, "invalid_request_error", "No such dispute", "resource_missing");
      else if (!["needs_response", "warning_needs_response"].includes(dispute.status)) {
        result = stripeError(400, "invalid_request_error", `This dispute is ${dispute.status} and cannot be updated.`);
      } else {
        Object.assign(dispute.evidence, (params["evidence"] as Record<string, unknown> | undefined) ?? {});
        if (params["submit"] === "true") {
          dispute.status = "under_review";
          dispute.evidence_details.submission_count += 1;
          dispute.evidence_details.has_evidence = true;
        }
        result = { status: 200, body: dispute };
      }
    } else if (req.method === "POST" && path === "/v1/files") {
      const file = { id: id("file"), object: "file", purpose: "dispute_evidence", size: Number(req.headers["content-length"] ?? 0), type: "txt" };
      files.push({ ...file, body: rawBody.toString("utf8") });
      result = { status: 200, body: file };
    }
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
