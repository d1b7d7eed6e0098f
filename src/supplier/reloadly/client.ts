// Reloadly over HTTP (ky): one OAuth token per product (audience = that product's base URL), cached until it
// expires and fetched once however many calls wait for it; a 401 TOKEN_EXPIRED gets a new token and one retry.
// Each call sends the product's versioned media type and answers parsed with zod or a classified SupplierError.
import ky, { TimeoutError, type KyInstance } from "ky";
import type { z } from "zod";
import { SupplierError, type SupplierErrorKind } from "../types.js";
import type { SupplierCallObservation } from "../http-client.js";
import { errorSchema, GIFTCARDS_MEDIA_TYPE, tokenSchema, TOPUPS_MEDIA_TYPE, type ReloadlyErrorBody } from "./schemas.js";

export type ReloadlyApi = "giftcards" | "topups";

export interface ReloadlyClientOptions {
  clientId: string;
  clientSecret: string;
  authUrl: string;
  giftcardsUrl: string;
  topupsUrl: string;
  timeoutMs: number;
  now?: () => number;
  /** Called after every request, for latency metrics and the slow-supplier alert. */
  observe?: (observation: SupplierCallObservation) => void;
  fetch?: typeof fetch;
}

export interface ReloadlyRequest {
  method: "GET" | "POST";
  path: string;
  json?: unknown;
  searchParams?: Record<string, string | number>;
  /** The request may create an order: a timeout or a 5xx leaves it ambiguous rather than retryable. */
  creates?: boolean;
  /** A 404 answers null instead of failing (a look-up that found nothing). */
  notFoundIsNull?: boolean;
  endpoint: SupplierCallObservation["endpoint"];
}

export interface ReloadlyClient {
  request<T>(api: ReloadlyApi, request: ReloadlyRequest, schema: z.ZodType<T>): Promise<T>;
  request<T>(api: ReloadlyApi, request: ReloadlyRequest & { notFoundIsNull: true }, schema: z.ZodType<T>): Promise<T | null>;
  /** Forgets the cached tokens (tests; a credentials change). */
  forgetTokens(): void;
}

/** Reloadly's errorCode values that mean "this order, as asked, will not be sold" rather than "our side is wrong". */
const REJECTION_CODES = /RECIPIENT|PHONE|OPERATOR_(UNAVAILABLE|NOT_|SUSPENDED)|OUT_OF_STOCK|NOT_AVAILABLE|UNAVAILABLE|AMOUNT_(NOT|OUT)|LIMIT/;

/** Classifies an answer that is not 2xx (docs/SUPPLIERS.md, "Reloadly"). */
export function classifyReloadlyError(status: number, body: ReloadlyErrorBody | undefined, creates: boolean): { kind: SupplierErrorKind; code: string } {
  const errorCode = body?.errorCode ?? null;
  if (errorCode === "CUSTOM_IDENTIFIER_ALREADY_USED") return { kind: "ambiguous", code: "reference_used" };
  if (errorCode === "INSUFFICIENT_BALANCE") return { kind: "insufficient_balance", code: "insufficient_balance" };
  if (status === 429) return { kind: "retryable", code: "rate_limited" };
  if (status >= 500) return { kind: creates ? "ambiguous" : "retryable", code: errorCode ?? `http_${status}` };
  if (status === 401 || status === 403) return { kind: "fatal", code: errorCode ?? "unauthorized" };
  // A 4xx was refused before anything was accepted; errorCode is often null (bad price, unknown product).
  if (errorCode && REJECTION_CODES.test(errorCode)) return { kind: "rejected", code: errorCode };
  return { kind: "fatal", code: errorCode ?? `http_${status}` };
}

export function createReloadlyClient(options: ReloadlyClientOptions): ReloadlyClient {
  const now = options.now ?? Date.now;
  const base = (url: string) => url.replace(/\/+$/, "");
  const audiences: Record<ReloadlyApi, string> = { giftcards: base(options.giftcardsUrl), topups: base(options.topupsUrl) };
  const mediaTypes: Record<ReloadlyApi, string> = { giftcards: GIFTCARDS_MEDIA_TYPE, topups: TOPUPS_MEDIA_TYPE };
  const http: KyInstance = ky.create({
    timeout: options.timeoutMs,
    retry: 0,
    throwHttpErrors: false,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const tokens = new Map<ReloadlyApi, { token: string; expiresAt: number }>();
  const fetching = new Map<ReloadlyApi, Promise<string>>();

  async function fetchToken(api: ReloadlyApi): Promise<string> {
    const started = performance.now();
    let outcome: SupplierCallObservation["outcome"] = "error";
    try {
      const response = await http.post(`${base(options.authUrl)}/oauth/token`, {
        json: { client_id: options.clientId, client_secret: options.clientSecret, grant_type: "client_credentials", audience: audiences[api] },
        headers: { accept: "application/json" },
      });
      const body: unknown = await response.json().catch(() => undefined);
      if (!response.ok) {
        const error = errorSchema.safeParse(body);
        const code = (error.success ? error.data.errorCode : null) ?? `http_${response.status}`;
        // Wrong credentials or audience: nothing was sent to the product API; a person must fix the settings.
        const kind: SupplierErrorKind = response.status >= 500 || response.status === 429 ? "retryable" : "fatal";
        throw new SupplierError(kind, `auth_${code.toLowerCase()}`, `Reloadly refused a token for ${api} (HTTP ${response.status}: ${error.success ? (error.data.message ?? code) : code})`, response.status);
      }
      const parsed = tokenSchema.safeParse(body);
      if (!parsed.success) throw new SupplierError("retryable", "auth_bad_response", "Reloadly's token answer has an unexpected shape", response.status);
      // A minute of margin: a token that expires in flight would cost a retry.
      tokens.set(api, { token: parsed.data.access_token, expiresAt: now() + parsed.data.expires_in * 1000 - 60_000 });
      outcome = "ok";
      return parsed.data.access_token;
    } catch (error) {
      if (error instanceof SupplierError) throw error;
      throw new SupplierError("retryable", error instanceof TimeoutError ? "auth_timeout" : "auth_network", `could not reach Reloadly's auth server (${(error as Error).message})`);
    } finally {
      options.observe?.({ endpoint: "auth", durationMs: performance.now() - started, outcome });
    }
  }

  /** The cached token, or one fetch shared by every caller that needs it now. */
  function token(api: ReloadlyApi): Promise<string> {
    const cached = tokens.get(api);
    if (cached && cached.expiresAt > now()) return Promise.resolve(cached.token);
    let pending = fetching.get(api);
    if (!pending) {
      pending = fetchToken(api).finally(() => fetching.delete(api));
      fetching.set(api, pending);
    }
    return pending;
  }

  async function send(api: ReloadlyApi, request: ReloadlyRequest, bearer: string): Promise<{ status: number; body: unknown; retryAfterMs?: number | undefined }> {
    const started = performance.now();
    let outcome: SupplierCallObservation["outcome"] = "error";
    try {
      const response = await http(`${audiences[api]}${request.path}`, {
        method: request.method,
        headers: { authorization: `Bearer ${bearer}`, accept: mediaTypes[api] },
        ...(request.json !== undefined ? { json: request.json } : {}),
        ...(request.searchParams ? { searchParams: request.searchParams } : {}),
      });
      const body: unknown = await response.json().catch(() => undefined);
      if (response.ok) outcome = "ok";
      const retryAfter = Number(response.headers.get("retry-after"));
      return { status: response.status, body, retryAfterMs: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined };
    } catch (error) {
      const kind: SupplierErrorKind = request.creates ? "ambiguous" : "retryable";
      if (error instanceof TimeoutError) throw new SupplierError(kind, "timeout", "Reloadly did not answer in time");
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
      throw new SupplierError(kind, "network", `connection to Reloadly failed (${(error as Error).message}${cause})`);
    } finally {
      options.observe?.({ endpoint: request.endpoint, durationMs: performance.now() - started, outcome });
    }
  }

  async function request<T>(api: ReloadlyApi, request: ReloadlyRequest, schema: z.ZodType<T>): Promise<T | null> {
    let answer = await send(api, request, await token(api));
    let error = answer.status === 401 ? errorSchema.safeParse(answer.body) : undefined;
    if (error?.success && error.data.errorCode === "TOKEN_EXPIRED") {
      // The token died early (revoked, or the clock is off): a new one and one more try. A 401 was refused
      // before anything was accepted, so repeating a POST here cannot create a second order.
      tokens.delete(api);
      answer = await send(api, request, await token(api));
    }
    if (answer.status >= 200 && answer.status < 300) {
      const parsed = schema.safeParse(answer.body);
      if (!parsed.success) {
        throw new SupplierError(request.creates ? "ambiguous" : "retryable", "bad_response", `Reloadly answered ${request.endpoint} with an unexpected body (${parsed.error.issues[0]?.path.join(".")}: ${parsed.error.issues[0]?.message})`, answer.status);
      }
      return parsed.data;
    }
    if (answer.status === 404 && request.notFoundIsNull) return null;
    error = errorSchema.safeParse(answer.body);
    const body = error.success ? error.data : undefined;
    const { kind, code } = classifyReloadlyError(answer.status, body, request.creates ?? false);
    throw new SupplierError(kind, code, `Reloadly: ${body?.message ?? `HTTP ${answer.status}`}`, answer.status, answer.retryAfterMs);
  }

  return {
    request: request as ReloadlyClient["request"],
    forgetTokens() {
      tokens.clear();
    },
  };
}
