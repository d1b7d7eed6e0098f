// createShop: builds the whole shop from a config (db, supplier client, Stripe, bot, worker, HTTP server)
// and gives start/stop. main.ts calls it for production; tests and benchmarks call it for the real wiring.
import { run, type RunnerHandle } from "@grammyjs/runner";
import type { Server } from "node:http";
import type { DestinationStream } from "pino";
import type { UserFromGetMe } from "grammy/types";
import { createBot, registerCommands } from "./bot/bot.js";
import { createPacer, type PacerOptions } from "./bot/pacing.js";
import { createLaneApi } from "./bot/telegram-api.js";
import type { BotDeps } from "./bot/deps.js";
import { createI18n, type Translate } from "./bot/i18n.js";
import { readCatalogFile, syncCatalog } from "./catalog/catalog.js";
import type { Config } from "./config.js";
import { openDatabase, type Db } from "./db/connection.js";
import { orders } from "./db/schema.js";
import { and, eq, inArray } from "drizzle-orm";
import { DEFAULT_PIPELINE_SETTINGS, type PipelineDeps, type PipelineSettings } from "./fulfilment/pipeline.js";
import { createWorker, type Worker } from "./fulfilment/worker.js";
import { schedulePaidNotice } from "./fulfilment/notify.js";
import { expireStarsOrders } from "./payments/stars.js";
import { createHttpServer, listen, type HttpRoutes } from "./http/server.js";
import { createCodeCipher } from "./lib/crypto.js";
import { createOrderId } from "./lib/ids.js";
import { createLogger, type Logger } from "./logger.js";
import { createAlerter } from "./ops/alerts.js";
import { createMetrics, type Metrics } from "./ops/metrics.js";
import { createMonitors, type MonitorSettings, type Monitors } from "./ops/monitors.js";
import { adminFeature } from "./bot/features/admin.js";
import { createStripeClient } from "./payments/stripe-client.js";
import { createStripeWebhookHandler } from "./payments/stripe-webhook.js";
import { createHttpSupplier } from "./supplier/http-client.js";
import { createSupplierWebhookHandler } from "./supplier/webhook.js";
import { Composer, webhookCallback, type Bot } from "grammy";
import type { IncomingMessage, ServerResponse } from "node:http";
import { syncFromSupplier } from "./catalog/supplier-sync.js";
import type { ShopContext } from "./bot/context.js";

/** Where Telegram posts updates in webhook mode (BOT_MODE=webhook), under WEBHOOK_URL. */
export const TELEGRAM_WEBHOOK_PATH = "/telegram/webhook";

export interface ShopOptions {
  logDestination?: DestinationStream;
  now?: () => number;
  random?: () => number;
  botInfo?: UserFromGetMe;
  pipeline?: Partial<PipelineSettings>;
  alertGatherMs?: number;
  shopName?: string;
  limits?: { maxUnpaidOrders: number; maxOrdersPerHour: number };
  /** Do not poll Telegram for updates (benchmarks feed updates by hand). */
  noPolling?: boolean;
  workerIdleMs?: number;
  monitors?: Partial<MonitorSettings>;
  /** Telegram pacing; false turns it off (tests that count every message). */
  pacing?: PacerOptions | false;
  /** More HTTP routes on the shop's server (Telegram webhook mode, the sandbox's pages). */
  extraRoutes?: HttpRoutes["extra"];
}

export interface Shop {
  config: Config;
  db: Db;
  bot: Bot<ShopContext>;
  worker: Worker;
  server: Server;
  logger: Logger;
  metrics: Metrics;
  monitors: Monitors;
  pipeline: PipelineDeps;
  t: Translate;
  /** The port the HTTP server listens on (after start). */
  port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createShop(config: Config, options: ShopOptions = {}): Shop {
  if (!config.BOT_TOKEN) throw new Error("BOT_TOKEN is missing");
  const logger = createLogger(config.LOG_LEVEL, options.logDestination);
  const now = options.now ?? Date.now;
  const db = openDatabase(config.DATABASE_PATH);
  syncCatalog(db, readCatalogFile(config.CATALOG_PATH), now());
  const metrics = createMetrics(db);
  const sealer = createCodeCipher(config.CODE_ENCRYPTION_KEY);
  // Without Stripe among the payment methods the client is never called; it still exists for one code path.
  const stripe = createStripeClient(config.STRIPE_SECRET_KEY ?? "sk_test_stripe_not_configured", config.STRIPE_API_URL);
  const supplier = createHttpSupplier({
    baseUrl: config.SUPPLIER_API_URL,
    apiKey: config.SUPPLIER_API_KEY,
    timeoutMs: config.SUPPLIER_TIMEOUT_MS,
    observe: ({ endpoint, durationMs, outcome }) => {
      metrics.supplierLatency.observe({ endpoint, outcome }, durationMs / 1000);
      monitors.observeSupplierCall(durationMs);
    },
  });
  const i18n = createI18n(() => "en");
  const t: Translate = (locale, key, variables) => i18n.t(locale, key, variables);
  // One pacer for every sender, a Bot API client per lane: the bot's own API replies ("interactive"), the
  // worker delivers, the alerter alerts; when Telegram's 30 a second is the limit, replies go first.
  const pacer =
    options.pacing === false
      ? false
      : createPacer({
          globalLimit: config.TELEGRAM_MAX_PER_SECOND,
          privateGapMs: config.TELEGRAM_CHAT_GAP_MS,
          privateBurst: config.TELEGRAM_CHAT_BURST,
          observe: (lane, waitedMs) => metrics.telegramSendWait.observe({ lane }, waitedMs / 1000),
          ...options.pacing,
        });
  const apiOptions = { apiRoot: config.TELEGRAM_API_ROOT };
  const deliveryApi = createLaneApi(config.BOT_TOKEN, apiOptions, pacer, "delivery");
  const alertsApi = createLaneApi(config.BOT_TOKEN, apiOptions, pacer, "alerts");

  const alerts = createAlerter({
    send: async (text) => {
      await alertsApi.sendMessage(config.OPS_CHAT_ID, text, { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
    },
    logger,
    ...(options.alertGatherMs !== undefined ? { gatherMs: options.alertGatherMs } : {}),
    onSent: (kind, orderIds) => {
      metrics.alertsSent.inc({ kind });
      if (orderIds.length > 0) {
        db.update(orders).set({ reviewAlertedAt: Date.now() }).where(and(inArray(orders.id, orderIds), eq(orders.status, "needs_review"))).run();
      }
    },
  });

  const botDeps: BotDeps = {
    db,
    logger,
    now,
    stripe,
    newOrderId: createOrderId,
    sealer,
    t,
    shopName: options.shopName ?? config.SHOP_NAME,
    supportContact: config.SUPPORT_CONTACT,
    adminUserIds: config.ADMIN_USER_IDS,
    opsChatId: config.OPS_CHAT_ID,
    limits: options.limits ?? { maxUnpaidOrders: config.MAX_UNPAID_ORDERS, maxOrdersPerHour: config.MAX_ORDERS_PER_HOUR },
    paymentMethods: config.PAYMENT_METHODS,
    alerts,
    onPaid: (orderId) => {
      schedulePaidNotice(pipeline, orderId);
      worker.wake();
    },
  };
  // The admin feature needs the pipeline, which needs the bot's API: its slot is filled once both exist
  // (looked up on every update, since a Composer installed in the bot is flattened at install time).
  const adminSlot = new Composer<ShopContext>();
  const bot = createBot(config.BOT_TOKEN, botDeps, {
    apiRoot: apiOptions.apiRoot,
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    extraFeatures: [(ctx, next) => adminSlot.middleware()(ctx, next)],
    pacer,
  });

  const pipeline: PipelineDeps = {
    db,
    logger,
    now,
    random: options.random ?? Math.random,
    supplier,
    stripe,
    api: deliveryApi,
    t,
    alerts,
    sealer,
    metrics,
    supportContact: config.SUPPORT_CONTACT,
    settings: {
      ...DEFAULT_PIPELINE_SETTINGS,
      maxAttempts: config.SUPPLIER_MAX_ATTEMPTS,
      backoffBaseMs: config.SUPPLIER_RETRY_BASE_MS,
      pollIntervalMs: config.SUPPLIER_POLL_INTERVAL_MS,
      pollWindowMs: config.SUPPLIER_POLL_WINDOW_MS,
      ...options.pipeline,
    },
  };
  const monitors: Monitors = createMonitors({
    db,
    supplier,
    alerts,
    logger,
    now,
    settings: { ...(config.SUPPLIER_DAILY_SPEND !== undefined ? { dailySpendOverride: config.SUPPLIER_DAILY_SPEND } : {}), ...options.monitors },
  });
  const worker = createWorker(pipeline, { concurrency: config.WORKER_CONCURRENCY, ...(options.workerIdleMs ? { idleMs: options.workerIdleMs } : {}) });

  const syncSupplierCatalog = () => syncFromSupplier({ db, supplier, logger, now }, { percent: config.CATALOG_MARKUP_PERCENT });
  adminSlot.use(adminFeature({ pipeline, wakeWorker: () => worker.wake(), adminUserIds: config.ADMIN_USER_IDS, monitors, syncCatalog: syncSupplierCatalog }));

  // Telegram webhook mode: grammY's webhookCallback on this server, behind the secret token. It answers
  // Telegram within 2 s whatever happens; a slow handler finishes after the answer (the heavy work is the
  // worker's anyway).
  const telegramWebhook =
    config.BOT_MODE === "webhook"
      ? webhookCallback(bot, "http", { secretToken: config.TELEGRAM_WEBHOOK_SECRET!, onTimeout: "return", timeoutMilliseconds: 2_000 })
      : undefined;
  const extraRoutes = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (telegramWebhook && req.method === "POST" && (req.url ?? "").split("?")[0] === TELEGRAM_WEBHOOK_PATH) {
      await telegramWebhook(req, res);
      return true;
    }
    return options.extraRoutes ? options.extraRoutes(req, res) : false;
  };
  const webhookOutcome = (source: "stripe" | "supplier") => (outcome: string) => {
    metrics.webhooks.inc({ source, outcome });
    if (outcome === "bad_signature" || outcome === "malformed") monitors.observeWebhookFailure(source, `${source} webhook ${outcome.replace("_", " ")}`);
  };

  const server = createHttpServer(
    {
      stripeWebhook: createStripeWebhookHandler({
        db,
        stripe,
        // Without a secret (Stars only) no signature verifies: every call answers 400.
        webhookSecret: config.STRIPE_WEBHOOK_SECRET ?? "",
        logger,
        now,
        onStored: () => worker.wake(),
        onOutcome: webhookOutcome("stripe"),
      }),
      supplierWebhook: createSupplierWebhookHandler({
        db,
        webhookSecret: config.SUPPLIER_WEBHOOK_SECRET,
        logger,
        now,
        onStored: () => worker.wake(),
        onOutcome: webhookOutcome("supplier"),
      }),
      health: () => {
        let database = false;
        try {
          database = db.$client.prepare("SELECT 1 AS ok").get() !== undefined;
        } catch {
          database = false;
        }
        const workerAlive = worker.running && Date.now() - worker.lastTickAt < 30_000;
        const botAlive = options.noPolling || config.BOT_MODE === "webhook" ? true : (runner?.isRunning() ?? false);
        return { ok: database && workerAlive && botAlive, checks: { database, worker: workerAlive, bot: botAlive } };
      },
      metrics: async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() }),
      extra: extraRoutes,
    },
    logger,
  );

  let runner: RunnerHandle | undefined;
  let monitorTimer: NodeJS.Timeout | undefined;
  let syncTimer: NodeJS.Timeout | undefined;
  const shop: Shop = {
    config,
    db,
    bot,
    worker,
    server,
    logger,
    metrics,
    monitors,
    pipeline,
    t,
    port: 0,
    async start() {
      await bot.init();
      shop.port = await listen(server, config.HTTP_PORT, config.HTTP_HOST);
      worker.start();
      monitorTimer = setInterval(() => {
        expireStarsOrders(pipeline);
        monitors.check().catch((error: unknown) => logger.error({ err: error }, "monitor check failed"));
      }, config.MONITOR_INTERVAL_MS);
      monitorTimer.unref();
      registerCommands(bot, t).catch((error: unknown) => logger.warn({ err: error }, "could not register the command menu"));
      const allowedUpdates = ["message", "callback_query", "pre_checkout_query", "my_chat_member"] as const;
      if (config.BOT_MODE === "webhook") {
        await bot.api.setWebhook(`${config.WEBHOOK_URL!.replace(/\/$/, "")}${TELEGRAM_WEBHOOK_PATH}`, {
          secret_token: config.TELEGRAM_WEBHOOK_SECRET!,
          allowed_updates: [...allowedUpdates],
        });
      } else if (!options.noPolling) {
        runner = run(bot, { runner: { fetch: { allowed_updates: [...allowedUpdates] } } });
      }
      if (config.CATALOG_SYNC_INTERVAL_MS > 0) {
        const sync = () => syncSupplierCatalog().catch((error: unknown) => logger.warn({ err: error }, "catalog sync failed"));
        void sync();
        syncTimer = setInterval(sync, config.CATALOG_SYNC_INTERVAL_MS);
        syncTimer.unref();
      }
      logger.info({ port: shop.port, bot: bot.botInfo.username }, "shop started");
    },
    async stop() {
      // Stop taking updates first, let in-flight work finish, then close the database.
      if (runner?.isRunning()) {
        await runner.stop();
        // stop() resolves once fetching stops, not when the updates in hand are done: wait for those.
        const deadline = Date.now() + 15_000;
        while (runner.size() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      if (monitorTimer) clearInterval(monitorTimer);
      if (syncTimer) clearInterval(syncTimer);
      await worker.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await alerts.flush().catch(() => undefined);
      alerts.stop();
      db.$client.close();
      logger.info("shop stopped");
    },
  };
  return shop;
}

export { createLogger };
