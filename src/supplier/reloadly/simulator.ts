// The Reloadly simulator: Reloadly's auth, gift card and airtime APIs on one real port, with the answers'
// shapes from its OpenAPI files and the Java SDK's recordings, and a behaviour per gift card product or airtime
// operator (instant, processing then successful, failed, refunded, insufficient balance, 5xx, timeout after
// creating, cards delayed, token expiry) so tests, benchmarks and the sandbox can walk every path.
//   auth:      <url>/auth/oauth/token
//   giftcards: <url>/giftcards/{products, orders, reports/transactions, orders/transactions/{id}/cards, accounts/balance}
//   airtime:   <url>/topups/{operators/{id}, topups, topups/{id}/status, topups/reports/transactions, accounts/balance}
import { randomBytes, randomInt } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { GIFTCARDS_MEDIA_TYPE, TOPUPS_MEDIA_TYPE, type ReloadlyStatus } from "./schemas.js";
import { RELOADLY_SIM_OPERATORS, RELOADLY_SIM_PRODUCTS, type SimGiftCardProduct, type SimOperator } from "./simulator-catalog.js";

export const reloadlyBehaviourSchema = z.object({
  /**
   * instant: SUCCESSFUL with its cards · processing: PROCESSING, then SUCCESSFUL · failed: created FAILED ·
   * refunded: PROCESSING, then REFUNDED · insufficient_balance: 400 INSUFFICIENT_BALANCE, nothing created ·
   * server_error: a 5xx (the order created or not, per `created`) · timeout_after_create: the order is created and
   * the answer comes too late · cards_delayed: SUCCESSFUL, its cards empty for a while · out_of_stock: 400, nothing
   * created · token_expired: the first request of each identifier answers 401 TOKEN_EXPIRED, then instant.
   */
  outcome: z
    .enum(["instant", "processing", "failed", "refunded", "insufficient_balance", "server_error", "timeout_after_create", "cards_delayed", "out_of_stock", "token_expired"])
    .default("instant"),
  /** processing, refunded, cards_delayed: settle after this many ms, or this many look-ups (whichever first). */
  resolveAfterMs: z.number().int().nonnegative().optional(),
  resolveAfterPolls: z.number().int().positive().optional(),
  /** server_error: the HTTP status, and whether the order exists although the answer is an error. */
  status: z.number().int().min(500).max(599).default(503),
  created: z.boolean().default(false),
  /** server_error: only the first N POSTs of each identifier fail, then the order is placed (instant). */
  failFirst: z.number().int().positive().optional(),
  /** timeout_after_create: how long before the (too late) answer. */
  hangMs: z.number().int().nonnegative().default(60_000),
  latencyMs: z.number().int().nonnegative().default(0),
});
export type ReloadlyBehaviour = z.infer<typeof reloadlyBehaviourSchema>;
export type ReloadlyBehaviourInput = z.input<typeof reloadlyBehaviourSchema>;

export type ReloadlySimApi = "giftcards" | "topups";

export interface ReloadlySimulatorOptions {
  clientId: string;
  clientSecret: string;
  /** Behaviour per gift card productId and per airtime operatorId; others are instant. */
  giftCardBehaviours?: Record<number, ReloadlyBehaviourInput>;
  topupBehaviours?: Record<number, ReloadlyBehaviourInput>;
  /** Decides per order, before the per-product behaviour (chaos runs). */
  rule?: (request: { api: ReloadlySimApi; id: number; customIdentifier: string }) => ReloadlyBehaviourInput | undefined;
  /** The account wallet, in minor units (both APIs draw on it). */
  balance?: { amount: number; currency: string };
  /** Token lifetime in seconds (sandbox 24 h; production about 60 days). */
  tokenTtlSeconds?: number;
  now?: () => number;
}

interface SimTransaction {
  api: ReloadlySimApi;
  transactionId: number;
  customIdentifier: string;
  status: ReloadlyStatus;
  /** What it becomes when it settles. */
  settlesTo: ReloadlyStatus;
  cardsReady: boolean;
  behaviour: ReloadlyBehaviour;
  polls: number;
  body: Record<string, unknown>;
  cards: Array<{ cardNumber: string; pinCode: string | null }>;
  chargedMinor: number;
  timer?: NodeJS.Timeout;
}

export interface ReloadlySimulator {
  readonly url: string;
  readonly authUrl: string;
  readonly giftcardsUrl: string;
  readonly topupsUrl: string;
  readonly server: Server;
  /** Orders created per customIdentifier (a refused or replayed POST does not count). */
  readonly createdByIdentifier: Map<string, number>;
  readonly requests: Array<{ method: string; path: string; status: number; accept: string | undefined }>;
  /** Tokens issued, per audience. */
  readonly tokensIssued: Map<string, number>;
  balance: { amount: number; currency: string };
  setBehaviour(api: ReloadlySimApi, id: number, behaviour: ReloadlyBehaviourInput | undefined): void;
  behaviours(): { giftcards: Record<number, ReloadlyBehaviour>; topups: Record<number, ReloadlyBehaviour> };
  /** Every token issued so far answers 401 TOKEN_EXPIRED from now on. */
  expireTokens(): void;
  /** The order with this identifier as Reloadly holds it now: status and cards (tests, invariants). */
  orderByIdentifier(identifier: string): { api: ReloadlySimApi; transactionId: number; status: ReloadlyStatus; cards: Array<{ cardNumber: string; pinCode: string | null }> } | undefined;
  /** Settles every processing order now. */
  settleAll(): void;
  readonly products: SimGiftCardProduct[];
  readonly operators: SimOperator[];
  close(): Promise<void>;
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace("T", " ");

function cardNumber(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]).join("");
}

export async function startReloadlySimulator(options: ReloadlySimulatorOptions, port = 0, host = "127.0.0.1"): Promise<ReloadlySimulator> {
  const now = options.now ?? Date.now;
  const products = new Map(RELOADLY_SIM_PRODUCTS.map((product) => [product.productId, product]));
  const operators = new Map(RELOADLY_SIM_OPERATORS.map((operator) => [operator.operatorId, operator]));
  const behaviours: Record<ReloadlySimApi, Map<number, ReloadlyBehaviour>> = { giftcards: new Map(), topups: new Map() };
  for (const [id, behaviour] of Object.entries(options.giftCardBehaviours ?? {})) behaviours.giftcards.set(Number(id), reloadlyBehaviourSchema.parse(behaviour));
  for (const [id, behaviour] of Object.entries(options.topupBehaviours ?? {})) behaviours.topups.set(Number(id), reloadlyBehaviourSchema.parse(behaviour));
  const tokens = new Map<string, { audience: string; expiresAt: number; revoked: boolean }>();
  const transactions: Record<ReloadlySimApi, Map<number, SimTransaction>> = { giftcards: new Map(), topups: new Map() };
  const byIdentifier: Record<ReloadlySimApi, Map<string, SimTransaction>> = { giftcards: new Map(), topups: new Map() };
  const failures = new Map<string, number>();
  const tokenExpiredServed = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let nextTransactionId = 1_000 + randomInt(9_000);
  let closed = false;

  const sim: ReloadlySimulator = {
    url: "",
    authUrl: "",
    giftcardsUrl: "",
    topupsUrl: "",
    server: undefined as unknown as Server,
    createdByIdentifier: new Map(),
    requests: [],
    tokensIssued: new Map(),
    balance: { ...(options.balance ?? { amount: 50_000_00, currency: "USD" }) },
    products: RELOADLY_SIM_PRODUCTS,
    operators: RELOADLY_SIM_OPERATORS,
    setBehaviour(api, id, behaviour) {
      if (behaviour === undefined) behaviours[api].delete(id);
      else behaviours[api].set(id, reloadlyBehaviourSchema.parse(behaviour));
    },
    behaviours: () => ({ giftcards: Object.fromEntries(behaviours.giftcards), topups: Object.fromEntries(behaviours.topups) }),
    expireTokens() {
      for (const token of tokens.values()) token.revoked = true;
    },
    orderByIdentifier(identifier) {
      const entry = byIdentifier.giftcards.get(identifier) ?? byIdentifier.topups.get(identifier);
      return entry ? { api: entry.api, transactionId: entry.transactionId, status: entry.status, cards: entry.cardsReady ? structuredClone(entry.cards) : [] } : undefined;
    },
    settleAll() {
      for (const api of ["giftcards", "topups"] as const) for (const entry of transactions[api].values()) settle(entry);
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
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
  const sleep = (ms: number) => new Promise<void>((done) => later(ms, done));

  function behaviourFor(api: ReloadlySimApi, id: number, customIdentifier: string): ReloadlyBehaviour {
    const fromRule = options.rule?.({ api, id, customIdentifier });
    if (fromRule) return reloadlyBehaviourSchema.parse(fromRule);
    return behaviours[api].get(id) ?? reloadlyBehaviourSchema.parse({});
  }

  function settle(entry: SimTransaction): void {
    if (entry.timer) clearTimeout(entry.timer);
    if (entry.status === "PROCESSING" || entry.status === "PENDING") {
      entry.status = entry.settlesTo;
      entry.body["status"] = entry.settlesTo;
      if (entry.status === "REFUNDED" || entry.status === "FAILED") sim.balance.amount += entry.chargedMinor;
    }
    if (entry.status === "SUCCESSFUL") entry.cardsReady = true;
  }

  /** A look-up counts towards settling after N polls. */
  function poll(entry: SimTransaction): void {
    entry.polls += 1;
    const { resolveAfterPolls } = entry.behaviour;
    if (resolveAfterPolls !== undefined && entry.polls >= resolveAfterPolls) settle(entry);
  }

  // --- HTTP plumbing ------------------------------------------------------------------------------------

  function send(res: ServerResponse, status: number, body: unknown, mediaType = "application/json"): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": mediaType, "content-length": Buffer.byteLength(text) });
    res.end(text);
  }

  function sendError(res: ServerResponse, status: number, path: string, errorCode: string | null, message: string, mediaType?: string): void {
    send(res, status, { timeStamp: stamp(now()), message, path, errorCode, infoLink: null, details: [] }, mediaType);
  }

  async function readJson(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 64 * 1024) throw new Error("body too large");
      chunks.push(chunk as Buffer);
    }
    return JSON.parse(Buffer.concat(chunks).toString("utf8") || "null");
  }

  function page<T>(items: T[], url: URL): Record<string, unknown> {
    const size = Math.min(200, Math.max(1, Number(url.searchParams.get("size") ?? 200)));
    const number = Math.max(1, Number(url.searchParams.get("page") ?? 1));
    const content = items.slice((number - 1) * size, number * size);
    const totalPages = Math.ceil(items.length / size);
    return {
      content,
      pageable: { sort: { sorted: false, unsorted: true, empty: true }, pageNumber: number - 1, pageSize: size, offset: (number - 1) * size, paged: true, unpaged: false },
      totalElements: items.length,
      totalPages,
      last: number >= totalPages,
      first: number === 1,
      numberOfElements: content.length,
      size,
      number: number - 1,
      empty: content.length === 0,
    };
  }

  // --- auth ---------------------------------------------------------------------------------------------

  const tokenRequest = z.object({ client_id: z.string(), client_secret: z.string(), grant_type: z.string(), audience: z.string() });

  async function handleAuth(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method !== "POST" || path !== "/oauth/token") return sendError(res, 404, path, null, "No message available");
    const parsed = tokenRequest.safeParse(await readJson(req).catch(() => null));
    if (!parsed.success || parsed.data.grant_type !== "client_credentials") return sendError(res, 400, "/oauth/token", null, "Bad request");
    if (parsed.data.client_id !== options.clientId || parsed.data.client_secret !== options.clientSecret) {
      return sendError(res, 401, "/oauth/token", "INVALID_CREDENTIALS", "Access Denied");
    }
    const audience = parsed.data.audience.replace(/\/+$/, "");
    if (audience !== sim.giftcardsUrl && audience !== sim.topupsUrl) return sendError(res, 401, "/oauth/token", "INVALID_AUDIENCE", "The provided audience is not valid");
    const ttl = options.tokenTtlSeconds ?? 86_400;
    const token = `sim.${randomBytes(24).toString("base64url")}`;
    tokens.set(token, { audience, expiresAt: now() + ttl * 1000, revoked: false });
    sim.tokensIssued.set(audience, (sim.tokensIssued.get(audience) ?? 0) + 1);
    send(res, 200, { access_token: token, scope: "developer", expires_in: ttl, token_type: "Bearer" });
  }

  /** Checks the bearer token and the Accept header; answers the error itself and returns false when they fail. */
  function authorized(req: IncomingMessage, res: ServerResponse, api: ReloadlySimApi, path: string, mediaType: string): string | false {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    const token = bearer ? tokens.get(bearer) : undefined;
    if (!bearer || !token) {
      sendError(res, 401, path, "INVALID_TOKEN", "Full authentication is required to access this resource", mediaType);
      return false;
    }
    if (token.audience !== (api === "giftcards" ? sim.giftcardsUrl : sim.topupsUrl)) {
      sendError(res, 401, path, "INVALID_TOKEN", "Invalid token, make sure token is valid for the given environment", mediaType);
      return false;
    }
    if (token.revoked || token.expiresAt <= now()) {
      sendError(res, 401, path, "TOKEN_EXPIRED", "Access token is expired", mediaType);
      return false;
    }
    if (req.headers.accept !== mediaType) {
      sendError(res, 406, path, null, `Accept must be ${mediaType}`, mediaType);
      return false;
    }
    return bearer;
  }

  // --- gift cards -----------------------------------------------------------------------------------------

  const orderRequest = z.object({
    productId: z.number().int(),
    quantity: z.number().int().min(1).max(10),
    unitPrice: z.number().positive(),
    customIdentifier: z.string().min(1).optional(),
    senderName: z.string().min(1),
    recipientEmail: z.string().optional(),
    countryCode: z.string().optional(),
  });

  function productJson(product: SimGiftCardProduct): Record<string, unknown> {
    const senderFor = (value: number) => round2(value * product.fx);
    return {
      productId: product.productId,
      productName: product.productName,
      global: false,
      senderFee: product.senderFee,
      discountPercentage: product.discountPercentage,
      denominationType: product.denominationType,
      recipientCurrencyCode: product.recipientCurrencyCode,
      minRecipientDenomination: product.minRecipientDenomination,
      maxRecipientDenomination: product.maxRecipientDenomination,
      senderCurrencyCode: sim.balance.currency,
      minSenderDenomination: product.minRecipientDenomination === null ? null : senderFor(product.minRecipientDenomination),
      maxSenderDenomination: product.maxRecipientDenomination === null ? null : senderFor(product.maxRecipientDenomination),
      fixedRecipientDenominations: product.fixedRecipientDenominations,
      fixedSenderDenominations: product.fixedRecipientDenominations.map(senderFor),
      fixedRecipientToSenderDenominationsMap: Object.fromEntries(product.fixedRecipientDenominations.map((value) => [value.toFixed(1), senderFor(value)])),
      logoUrls: [],
      brand: { brandId: product.productId * 10, brandName: product.brandName },
      country: { isoName: product.countryCode, name: product.countryCode, flagUrl: `https://s3.amazonaws.com/rld-flags/${product.countryCode.toLowerCase()}.svg` },
      redeemInstruction: { concise: product.redeemInstruction, verbose: product.redeemInstruction },
    };
  }

  /** Shared by both APIs: a failing first request, a refusal, or the order created with its behaviour. */
  function preflight(res: ServerResponse, path: string, mediaType: string, identifier: string, behaviour: ReloadlyBehaviour, bearer: string): boolean {
    if (behaviour.outcome === "token_expired" && !tokenExpiredServed.has(identifier)) {
      tokenExpiredServed.add(identifier);
      tokens.get(bearer)!.revoked = true;
      sendError(res, 401, path, "TOKEN_EXPIRED", "Access token is expired", mediaType);
      return false;
    }
    if (behaviour.outcome === "insufficient_balance") {
      sendError(res, 400, path, "INSUFFICIENT_BALANCE", "Your balance is insufficient to complete this transaction", mediaType);
      return false;
    }
    if (behaviour.outcome === "out_of_stock") {
      sendError(res, 400, path, "PRODUCT_NOT_AVAILABLE", "The product is currently not available, please try again later", mediaType);
      return false;
    }
    if (behaviour.outcome === "server_error" && !behaviour.created) {
      const failed = failures.get(identifier) ?? 0;
      if (behaviour.failFirst === undefined || failed < behaviour.failFirst) {
        failures.set(identifier, failed + 1);
        sendError(res, behaviour.status, path, null, "Could not retrieve/update resources at the moment, please try again later", mediaType);
        return false;
      }
    }
    return true;
  }

  /** Records a new transaction and decides how it starts and settles. */
  function create(api: ReloadlySimApi, identifier: string, behaviour: ReloadlyBehaviour, body: Record<string, unknown>, chargedMinor: number, cards: SimTransaction["cards"]): SimTransaction {
    const transactionId = nextTransactionId++;
    const startsProcessing = behaviour.outcome === "processing" || behaviour.outcome === "refunded";
    const status: ReloadlyStatus = behaviour.outcome === "failed" ? "FAILED" : startsProcessing ? "PROCESSING" : "SUCCESSFUL";
    const entry: SimTransaction = {
      api,
      transactionId,
      customIdentifier: identifier,
      status,
      settlesTo: behaviour.outcome === "refunded" ? "REFUNDED" : "SUCCESSFUL",
      cardsReady: status === "SUCCESSFUL" && behaviour.outcome !== "cards_delayed",
      behaviour,
      polls: 0,
      body: { ...body, transactionId, status },
      cards,
      chargedMinor,
    };
    sim.balance.amount -= chargedMinor;
    if (status === "FAILED") sim.balance.amount += chargedMinor;
    if ((startsProcessing || behaviour.outcome === "cards_delayed") && behaviour.resolveAfterMs !== undefined) {
      entry.timer = later(behaviour.resolveAfterMs, () => settle(entry));
    }
    transactions[api].set(transactionId, entry);
    byIdentifier[api].set(identifier, entry);
    sim.createdByIdentifier.set(identifier, (sim.createdByIdentifier.get(identifier) ?? 0) + 1);
    return entry;
  }

  /** After the order exists: answer, hang past the client's timeout, or fail with a 5xx anyway. */
  async function answerCreated(res: ServerResponse, path: string, mediaType: string, entry: SimTransaction): Promise<void> {
    const { behaviour } = entry;
    if (behaviour.outcome === "timeout_after_create") await sleep(behaviour.hangMs);
    if (behaviour.outcome === "server_error" && behaviour.created) {
      return sendError(res, behaviour.status, path, null, "Could not retrieve/update resources at the moment, please try again later", mediaType);
    }
    send(res, 200, entry.body, mediaType);
  }

  async function placeGiftCard(req: IncomingMessage, res: ServerResponse, bearer: string): Promise<void> {
    const path = "/orders";
    const parsed = orderRequest.safeParse(await readJson(req).catch(() => null));
    if (!parsed.success) return sendError(res, 400, path, null, parsed.error.issues[0]?.message ?? "Bad request", GIFTCARDS_MEDIA_TYPE);
    const request = parsed.data;
    const identifier = request.customIdentifier ?? `auto-${randomBytes(6).toString("hex")}`;
    if (identifier.length > 150) return sendError(res, 400, path, null, "customIdentifier must be at most 150 characters", GIFTCARDS_MEDIA_TYPE);
    if (byIdentifier.giftcards.has(identifier)) return sendError(res, 400, path, "CUSTOM_IDENTIFIER_ALREADY_USED", "This custom identifier has already been used", GIFTCARDS_MEDIA_TYPE);
    const product = products.get(request.productId);
    if (!product) return sendError(res, 404, path, null, "Product not found", GIFTCARDS_MEDIA_TYPE);
    const validPrice =
      product.denominationType === "FIXED"
        ? product.fixedRecipientDenominations.includes(request.unitPrice)
        : request.unitPrice >= product.minRecipientDenomination! && request.unitPrice <= product.maxRecipientDenomination!;
    if (!validPrice) return sendError(res, 400, path, null, "Invalid price, please ensure you selected the right price.", GIFTCARDS_MEDIA_TYPE);
    const behaviour = behaviourFor("giftcards", product.productId, identifier);
    if (behaviour.latencyMs > 0) await sleep(behaviour.latencyMs);
    if (!preflight(res, path, GIFTCARDS_MEDIA_TYPE, identifier, behaviour, bearer)) return;
    const gross = round2(request.unitPrice * request.quantity * product.fx);
    const discount = round2((gross * product.discountPercentage) / 100);
    const amount = round2(gross - discount + product.senderFee);
    const charged = Math.round(amount * 100);
    if (sim.balance.amount < charged) return sendError(res, 400, path, "INSUFFICIENT_BALANCE", "Your balance is insufficient to complete this transaction", GIFTCARDS_MEDIA_TYPE);
    const cards = Array.from({ length: request.quantity }, () => ({ cardNumber: cardNumber(), pinCode: product.withPin ? String(randomInt(1_000_000, 9_999_999)) : null }));
    const entry = create(
      "giftcards",
      identifier,
      behaviour,
      {
        amount,
        discount,
        currencyCode: sim.balance.currency,
        fee: product.senderFee,
        recipientEmail: request.recipientEmail ?? null,
        customIdentifier: identifier,
        product: {
          productId: product.productId,
          productName: product.productName,
          countryCode: product.countryCode,
          quantity: request.quantity,
          unitPrice: request.unitPrice,
          totalPrice: round2(request.unitPrice * request.quantity),
          currencyCode: product.recipientCurrencyCode,
          brand: { brandId: product.productId * 10, brandName: product.brandName },
        },
        smsFee: 0,
        recipientPhone: null,
        transactionCreatedTime: stamp(now()),
      },
      charged,
      cards,
    );
    await answerCreated(res, path, GIFTCARDS_MEDIA_TYPE, entry);
  }

  async function handleGiftCards(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void> {
    const bearer = authorized(req, res, "giftcards", path, GIFTCARDS_MEDIA_TYPE);
    if (!bearer) return;
    const ok = (body: unknown) => send(res, 200, body, GIFTCARDS_MEDIA_TYPE);
    if (req.method === "GET" && path === "/accounts/balance") {
      return ok({ balance: sim.balance.amount / 100, currencyCode: sim.balance.currency, currencyName: sim.balance.currency, updatedAt: stamp(now()) });
    }
    if (req.method === "GET" && path === "/products") return ok(page([...products.values()].map(productJson), url));
    const productMatch = /^\/products\/(\d+)$/.exec(path);
    if (req.method === "GET" && productMatch) {
      const product = products.get(Number(productMatch[1]));
      return product ? ok(productJson(product)) : sendError(res, 404, path, null, "Product not found", GIFTCARDS_MEDIA_TYPE);
    }
    if (req.method === "POST" && path === "/orders") return placeGiftCard(req, res, bearer);
    const cardsMatch = /^\/orders\/transactions\/(\d+)\/cards$/.exec(path);
    if (req.method === "GET" && cardsMatch) {
      const entry = transactions.giftcards.get(Number(cardsMatch[1]));
      if (!entry) return sendError(res, 404, path, null, "Invalid transaction id", GIFTCARDS_MEDIA_TYPE);
      poll(entry);
      return ok(entry.cardsReady && entry.status === "SUCCESSFUL" ? entry.cards : []);
    }
    if (req.method === "GET" && path === "/reports/transactions") {
      const identifier = url.searchParams.get("customIdentifier");
      const list = [...transactions.giftcards.values()].filter((entry) => identifier === null || entry.customIdentifier === identifier);
      for (const entry of list) poll(entry);
      return ok(page(list.map((entry) => entry.body), url));
    }
    const reportMatch = /^\/reports\/transactions\/(\d+)$/.exec(path);
    if (req.method === "GET" && reportMatch) {
      const entry = transactions.giftcards.get(Number(reportMatch[1]));
      if (!entry) return sendError(res, 404, path, null, "Could not retrieve/update resources at the moment, please try again later", GIFTCARDS_MEDIA_TYPE);
      poll(entry);
      return ok(entry.body);
    }
    return sendError(res, 404, path, null, "No message available", GIFTCARDS_MEDIA_TYPE);
  }

  // --- airtime --------------------------------------------------------------------------------------------

  const topupRequest = z.object({
    operatorId: z.union([z.number(), z.string()]).transform(Number),
    amount: z.union([z.number(), z.string()]).transform(Number),
    useLocalAmount: z.boolean().optional(),
    customIdentifier: z.string().min(1).optional(),
    recipientPhone: z.object({ countryCode: z.string().length(2), number: z.string().min(1) }),
    senderPhone: z.object({ countryCode: z.string(), number: z.string() }).optional(),
  });

  function operatorJson(operator: SimOperator): Record<string, unknown> {
    return {
      id: operator.operatorId,
      operatorId: operator.operatorId,
      name: operator.name,
      bundle: false,
      data: false,
      pin: false,
      supportsLocalAmounts: operator.supportsLocalAmounts,
      denominationType: "RANGE",
      senderCurrencyCode: sim.balance.currency,
      destinationCurrencyCode: operator.destinationCurrencyCode,
      commission: operator.commission,
      minAmount: operator.minAmount,
      maxAmount: operator.maxAmount,
      localMinAmount: round2(operator.minAmount * operator.fx),
      localMaxAmount: round2(operator.maxAmount * operator.fx),
      country: { isoName: operator.countryCode, name: operator.countryName },
      fx: { rate: operator.fx, currencyCode: operator.destinationCurrencyCode },
    };
  }

  async function placeTopup(req: IncomingMessage, res: ServerResponse, bearer: string): Promise<void> {
    const path = "/topups";
    const parsed = topupRequest.safeParse(await readJson(req).catch(() => null));
    if (!parsed.success) return sendError(res, 400, path, null, parsed.error.issues[0]?.message ?? "Bad request", TOPUPS_MEDIA_TYPE);
    const request = parsed.data;
    const identifier = request.customIdentifier ?? `auto-${randomBytes(6).toString("hex")}`;
    if (identifier.length > 150) return sendError(res, 400, path, null, "customIdentifier must be at most 150 characters", TOPUPS_MEDIA_TYPE);
    if (byIdentifier.topups.has(identifier)) return sendError(res, 400, path, "CUSTOM_IDENTIFIER_ALREADY_USED", "This custom identifier has already been used", TOPUPS_MEDIA_TYPE);
    const operator = operators.get(request.operatorId);
    if (!operator) return sendError(res, 404, path, null, "Operator not found", TOPUPS_MEDIA_TYPE);
    const digits = request.recipientPhone.number.replace(/\D/g, "");
    if (request.recipientPhone.countryCode !== operator.countryCode || digits.length < 8 || digits.length > 15) {
      return sendError(res, 400, path, "INVALID_RECIPIENT_PHONE", "Recipient phone number is not valid", TOPUPS_MEDIA_TYPE);
    }
    const local = request.useLocalAmount === true;
    if (local && !operator.supportsLocalAmounts) return sendError(res, 400, path, null, "This operator does not support local amounts", TOPUPS_MEDIA_TYPE);
    const requested = local ? round2(request.amount / operator.fx) : request.amount;
    if (!(requested >= operator.minAmount && requested <= operator.maxAmount)) {
      return sendError(res, 400, path, null, `The amount must be between ${operator.minAmount} and ${operator.maxAmount} ${sim.balance.currency}`, TOPUPS_MEDIA_TYPE);
    }
    const behaviour = behaviourFor("topups", operator.operatorId, identifier);
    if (behaviour.latencyMs > 0) await sleep(behaviour.latencyMs);
    if (!preflight(res, path, TOPUPS_MEDIA_TYPE, identifier, behaviour, bearer)) return;
    const discount = round2((requested * operator.commission) / 100);
    const charged = Math.round((requested - discount) * 100);
    if (sim.balance.amount < charged) return sendError(res, 400, path, "INSUFFICIENT_BALANCE", "Your balance is insufficient to complete this transaction", TOPUPS_MEDIA_TYPE);
    const oldBalance = sim.balance.amount / 100;
    const entry = create(
      "topups",
      identifier,
      behaviour,
      {
        operatorTransactionId: `${randomInt(1_000_000_000, 9_999_999_999)}:OrderConfirmed`,
        customIdentifier: identifier,
        recipientPhone: digits,
        recipientEmail: null,
        senderPhone: null,
        countryCode: operator.countryCode,
        operatorId: operator.operatorId,
        operatorName: operator.name,
        discount,
        discountCurrencyCode: sim.balance.currency,
        requestedAmount: requested,
        requestedAmountCurrencyCode: sim.balance.currency,
        deliveredAmount: local ? request.amount : round2(requested * operator.fx),
        deliveredAmountCurrencyCode: operator.destinationCurrencyCode,
        transactionDate: stamp(now()),
        pinDetail: null,
        balanceInfo: { oldBalance, newBalance: round2(oldBalance - charged / 100), currencyCode: sim.balance.currency, currencyName: sim.balance.currency, updatedAt: stamp(now()) },
      },
      charged,
      [],
    );
    await answerCreated(res, path, TOPUPS_MEDIA_TYPE, entry);
  }

  async function handleTopups(req: IncomingMessage, res: ServerResponse, path: string, url: URL): Promise<void> {
    const bearer = authorized(req, res, "topups", path, TOPUPS_MEDIA_TYPE);
    if (!bearer) return;
    const ok = (body: unknown) => send(res, 200, body, TOPUPS_MEDIA_TYPE);
    if (req.method === "GET" && path === "/accounts/balance") {
      return ok({ balance: sim.balance.amount / 100, currencyCode: sim.balance.currency, currencyName: sim.balance.currency, updatedAt: stamp(now()) });
    }
    const operatorMatch = /^\/operators\/(\d+)$/.exec(path);
    if (req.method === "GET" && operatorMatch) {
      const operator = operators.get(Number(operatorMatch[1]));
      return operator ? ok(operatorJson(operator)) : sendError(res, 404, path, null, "Operator not found", TOPUPS_MEDIA_TYPE);
    }
    if (req.method === "POST" && path === "/topups") return placeTopup(req, res, bearer);
    const statusMatch = /^\/topups\/(\d+)\/status$/.exec(path);
    if (req.method === "GET" && statusMatch) {
      const entry = transactions.topups.get(Number(statusMatch[1]));
      if (!entry) return sendError(res, 404, path, null, "No message available", TOPUPS_MEDIA_TYPE);
      poll(entry);
      return ok({ code: null, message: null, status: entry.status, transaction: entry.body });
    }
    if (req.method === "GET" && path === "/topups/reports/transactions") {
      const identifier = url.searchParams.get("customIdentifier");
      const list = [...transactions.topups.values()].filter((entry) => identifier === null || entry.customIdentifier === identifier);
      for (const entry of list) poll(entry);
      // The report lists settled data only: no balanceInfo.
      return ok(page(list.map((entry) => ({ ...entry.body, balanceInfo: null })), url));
    }
    return sendError(res, 404, path, null, "No message available", TOPUPS_MEDIA_TYPE);
  }

  // --- controls -------------------------------------------------------------------------------------------

  async function handleControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    if (req.method === "GET" && path === "/_sim/state") {
      return send(res, 200, { balance: sim.balance, behaviours: sim.behaviours(), products: sim.products, operators: sim.operators });
    }
    const match = /^\/_sim\/behaviours\/(giftcards|topups)\/(\d+)$/.exec(path);
    if (match && (req.method === "PUT" || req.method === "DELETE")) {
      try {
        sim.setBehaviour(match[1] as ReloadlySimApi, Number(match[2]), req.method === "DELETE" ? undefined : (await readJson(req)) as ReloadlyBehaviourInput);
        return send(res, 200, { ok: true });
      } catch (error) {
        return sendError(res, 400, path, null, (error as Error).message);
      }
    }
    if (req.method === "PUT" && path === "/_sim/balance") {
      try {
        sim.balance.amount = z.object({ amount: z.number().int() }).parse(await readJson(req)).amount;
        return send(res, 200, { balance: sim.balance });
      } catch (error) {
        return sendError(res, 400, path, null, (error as Error).message);
      }
    }
    if (req.method === "POST" && path === "/_sim/expire-tokens") {
      sim.expireTokens();
      return send(res, 200, { ok: true });
    }
    return sendError(res, 404, path, null, "No such control endpoint");
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://reloadly");
    const path = url.pathname.replace(/\/+$/, "") || "/";
    if (path.startsWith("/_sim")) return handleControl(req, res, path);
    const [, area = "", ...rest] = path.split("/");
    const inner = `/${rest.join("/")}`;
    if (area === "auth") return handleAuth(req, res, inner);
    if (area === "giftcards") return handleGiftCards(req, res, inner, url);
    if (area === "topups") return handleTopups(req, res, inner, url);
    return sendError(res, 404, path, null, "No message available");
  }

  const server = createServer((req, res) => {
    res.on("finish", () => sim.requests.push({ method: req.method ?? "", path: req.url ?? "", status: res.statusCode, accept: req.headers.accept }));
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, req.url ?? "", null, (error as Error).message);
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((done) => server.listen(port, host, done));
  const address = server.address() as AddressInfo;
  const base = `http://${host}:${address.port}`;
  Object.assign(sim, { url: base, authUrl: `${base}/auth`, giftcardsUrl: `${base}/giftcards`, topupsUrl: `${base}/topups`, server });
  return sim;
}
