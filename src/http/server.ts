// The shop's HTTP server (node:http): webhooks, health and metrics (or those two on a listener of their own,
// METRICS_HOST/METRICS_PORT, and /metrics behind a bearer token, METRICS_TOKEN). Webhook bodies are read raw, with a
// size limit, because their signatures cover the exact bytes.
import { createHash, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StartupError } from "../lib/component.js";
import type { Logger } from "../logger.js";
import type { WebhookAnswer } from "../payments/stripe-webhook.js";

export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

export interface HttpRoutes {
  stripeWebhook: (rawBody: Buffer, signature: string | undefined) => WebhookAnswer;
  supplierWebhook: (rawBody: Buffer, headers: { signature?: string | undefined; eventId?: string | undefined }) => WebhookAnswer;
  /** `status` is "ok", "unhealthy", or the phase of a shop not running yet ("starting", "standby", "stopping"). */
  health: () => { ok: boolean; status: string; checks: Record<string, unknown> };
  metrics: () => Promise<{ contentType: string; body: string }>;
  /** Other routes (Telegram webhook mode, the sandbox) tried before the 404. */
  extra?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
}

class BodyTooLarge extends Error {}

export function readRawBody(req: IncomingMessage, limit = MAX_WEBHOOK_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export interface HttpServerOptions {
  /** Whether this server answers /metrics and /healthz (false when METRICS_PORT gives them a listener of their own). */
  serveMonitoring?: boolean;
  /** METRICS_TOKEN: /metrics wants `Authorization: Bearer <token>`; /healthz then tells its details only with it. */
  metricsToken?: string | undefined;
}

/** Whether the request carries `Authorization: Bearer <token>` (compared in constant time). */
export function hasBearer(req: IncomingMessage, token: string): boolean {
  const given = /^Bearer\s+(.+)$/i.exec(header(req, "authorization") ?? "")?.[1]?.trim() ?? "";
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return given.length > 0 && timingSafeEqual(digest(given), digest(token));
}

/**
 * GET /healthz and GET /metrics. With a token, /metrics answers 401 without it; /healthz keeps answering (container
 * health checks rarely send headers) with its status code and status word, and its checks only to the token.
 */
async function monitoringRoute(req: IncomingMessage, res: ServerResponse, path: string | undefined, routes: Pick<HttpRoutes, "health" | "metrics">, token: string | undefined): Promise<boolean> {
  if (req.method !== "GET") return false;
  const authorized = token === undefined || hasBearer(req, token);
  if (path === "/healthz" || path === "/health") {
    const health = routes.health();
    sendJson(res, health.ok ? 200 : 503, authorized ? { status: health.status, ...health.checks } : { status: health.status });
    return true;
  }
  if (path === "/metrics") {
    if (!authorized) {
      res.setHeader("www-authenticate", 'Bearer realm="metrics"');
      sendJson(res, 401, { error: "send Authorization: Bearer <METRICS_TOKEN>" });
      return true;
    }
    const metrics = await routes.metrics();
    res.writeHead(200, { "content-type": metrics.contentType });
    res.end(metrics.body);
    return true;
  }
  return false;
}

/** The listener of METRICS_HOST/METRICS_PORT: /metrics and /healthz only, everything else 404. */
export function createMonitoringServer(routes: Pick<HttpRoutes, "health" | "metrics">, logger: Logger, metricsToken: string | undefined): Server {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    monitoringRoute(req, res, path, routes, metricsToken)
      .then((handled) => {
        if (!handled) sendJson(res, 404, { error: "not found" });
      })
      .catch((error: unknown) => {
        logger.error({ err: error, path: req.url }, "monitoring request failed");
        if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
        else res.destroy();
      });
  });
  server.requestTimeout = 30_000;
  return server;
}

export function createHttpServer(routes: HttpRoutes, logger: Logger, options: HttpServerOptions = {}): Server {
  async function webhook(req: IncomingMessage, res: ServerResponse, handle: (body: Buffer) => WebhookAnswer): Promise<void> {
    let body: Buffer;
    try {
      body = await readRawBody(req);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        res.setHeader("connection", "close");
        return sendJson(res, 413, { error: `body larger than ${MAX_WEBHOOK_BODY_BYTES} bytes` });
      }
      throw error;
    }
    const answer = handle(body);
    sendJson(res, answer.status, answer.body);
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/webhooks/stripe" || path === "/webhooks/supplier") {
      if (req.method !== "POST") {
        res.setHeader("allow", "POST");
        return sendJson(res, 405, { error: "use POST" });
      }
      if (path === "/webhooks/stripe") return webhook(req, res, (body) => routes.stripeWebhook(body, header(req, "stripe-signature")));
      return webhook(req, res, (body) =>
        routes.supplierWebhook(body, { signature: header(req, "x-supplier-signature"), eventId: header(req, "x-supplier-event-id") }),
      );
    }
    if (options.serveMonitoring !== false) {
      if (await monitoringRoute(req, res, path, routes, options.metricsToken)) return;
    } else if (req.method === "GET" && (path === "/healthz" || path === "/health")) {
      // Monitoring on a listener of its own: health checks (the image's HEALTHCHECK, a load balancer) still ask
      // this port, so /healthz stays here with its status only.
      const health = routes.health();
      return sendJson(res, health.ok ? 200 : 503, { status: health.status });
    }
    if (routes.extra && (await routes.extra(req, res))) return;
    sendJson(res, 404, { error: "not found" });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      logger.error({ err: error, path: req.url }, "http request failed");
      if (!res.headersSent) sendJson(res, 500, { error: "internal error" });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  return server;
}

/** Listens on the port; a port in use is one clear line naming the setting (HTTP_PORT, METRICS_PORT), not a stack trace. */
export async function listenOn(server: Server, port: number, host: string, names: { port: string; host: string } = { port: "HTTP_PORT", host: "HTTP_HOST" }): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const fail = (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") reject(new StartupError(`${names.port} ${port} is already in use on ${host}: stop what listens there, or set ${names.port} to a free port`));
      else if (error.code === "EACCES") reject(new StartupError(`${names.port} ${port} on ${host} needs more privileges than this process has: use a port above 1024`));
      else if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND") reject(new StartupError(`${names.host} ${host} is not an address of this machine: use 0.0.0.0 or 127.0.0.1`));
      else reject(error);
    };
    server.once("error", fail);
    server.listen(port, host, () => {
      server.off("error", fail);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
