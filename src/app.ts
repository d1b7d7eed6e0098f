// The composition root: builds the shop's components in dependency order (database → Bot API client → alerts →
// supplier and payment clients → pipeline → worker → monitors → bot → HTTP server → timers → updates), starts
// them in the order of `components` and stops them in reverse. run.ts, the sandbox, tests and benchmarks call it.
import type { Server } from "node:http";
import { webhookCallback, type Api, type Bot } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import type { DestinationStream } from "pino";
import { createBot, registerCommands } from "./bot/bot.js";
import type { ShopContext } from "./bot/context.js";
import { createLaneApi } from "./bot/telegram-api.js";
import type { BotDeps } from "./bot/deps.js";
import { adminFeature } from "./bot/features/admin.js";
import { adminFraudFeature } from "./bot/features/admin-fraud.js";
import { consoleFeature } from "./bot/features/console/index.js";
import { createI18n, type Translate } from "./bot/i18n.js";
import { createPacer, type PacerOptions } from "./bot/pacing.js";
import { connectBot, createUpdateSource } from "./bot/telegram.js";
import { checkSuppliersConfigured, missingTranslations, readCatalogFile, syncCatalog } from "./catalog/catalog.js";
import { checkReloadlySources } from "./catalog/reloadly-check.js";
import { refreshStockAvailability } from "./catalog/stock-availability.js";
import { syncFromSupplier } from "./catalog/supplier-sync.js";
import { configuredSuppliers, emailModeOf, riskSettingsOf, type Config } from "./config.js";
import { createCustomerNotifier } from "./customers/notify.js";
import { openDatabase, type Db } from "./db/connection.js";
import { createLease } from "./db/lease.js";
import { pruneOldRows } from "./db/retention.js";
import { createEmailSender, type EmailSender } from "./email/sender.js";
import { createSmtpMailer } from "./email/transport.js";
import { redeliverToReturningCustomer } from "./fulfilment/comeback.js";
import { isPermanentTelegramRefusal } from "./fulfilment/delivery.js";
import { deliverEmailedOrders, onEmailGivenUp, onEmailSent, orderEmailWithheld, queueRefundNotice, type EmailChannel } from "./fulfilment/email-orders.js";
import { schedulePaidNotice } from "./fulfilment/notify.js";
import { DEFAULT_PIPELINE_SETTINGS, type PipelineDeps, type PipelineSettings } from "./fulfilment/pipeline.js";
import { processSupplierEvents } from "./fulfilment/supplier-events.js";
import { createWorker, type Worker } from "./fulfilment/worker.js";
import { refundExpiredRiskHolds } from "./fulfilment/risk-step.js";
import { retryHeldForBalance } from "./fulfilment/bulk-retry.js";
import { createHttpServer, createMonitoringServer, listenOn, type HttpRoutes } from "./http/server.js";
import { createLifecycle, repeating, type Component } from "./lib/component.js";
import { createCodeCipher, createCodeFingerprinter } from "./lib/crypto.js";
import { createOrderId } from "./lib/ids.js";
import { createLogger, type Logger } from "./logger.js";
import { createAlerter } from "./ops/alerts.js";
import { createBroadcaster, type Broadcaster } from "./ops/broadcast.js";
import { remindDisputesDue } from "./ops/dispute-due.js";
import { createMetrics, type Metrics } from "./ops/metrics.js";
import { createMonitors, createSupplierCallLog, type MonitorSettings, type Monitors } from "./ops/monitors.js";
import { markReviewAlerted } from "./orders/repository.js";
import { cancelUnpaidOrdersOfBanned } from "./payments/cancel.js";
import { createPaymentProviders } from "./payments/providers.js";
import { expireStarsOrders } from "./payments/stars.js";
import { createStripeClient } from "./payments/stripe-client.js";
import { processStripeEvents } from "./payments/stripe-events.js";
import { processStarsPayments, reconcileStarsLedger, refundDueStarsPayments } from "./payments/stars-inbox.js";
import { createStripeWebhookHandler } from "./payments/stripe-webhook.js";
import { createSuppliers } from "./supplier/registry.js";
import { createSupplierWebhookHandler } from "./supplier/webhook.js";

/** How often rows past RETENTION_DAYS are pruned (and once at start). */
const RETENTION_INTERVAL_MS = 6 * 3_600_000;

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
  /** Broadcast pacing of progress edits and retries (tests). */
  broadcast?: { progressEveryMs?: number; retryDelayMs?: number };
  /** Do not poll Telegram for updates (benchmarks feed updates by hand). */
  noPolling?: boolean;
  workerIdleMs?: number;
  monitors?: Partial<MonitorSettings>;
  /** Telegram pacing; false turns it off (tests that count every message). */
  pacing?: PacerOptions | false;
  /** More HTTP routes on the shop's server (the sandbox's pages). */
  extraRoutes?: HttpRoutes["extra"];
  /** The database lease (one process per database). */
  lease?: { ttlMs?: number; heartbeatMs?: number };
  /**
   * Something went wrong that the process cannot recover from while running (Telegram revoked the token,
   * another process took over the database). run.ts logs the message and exits; by default it is logged.
   */
  onFatal?: (message: string) => void;
}

/** Where the shop is in its life, as /healthz reports it. */
export type ShopPhase = "created" | "starting" | "standby" | "running" | "stopping" | "stopped";

export interface Shop {
  config: Config;
  db: Db;
  api: Api;
  bot: Bot<ShopContext>;
  worker: Worker;
  server: Server;
  logger: Logger;
  metrics: Metrics;
  monitors: Monitors;
  pipeline: PipelineDeps;
  broadcaster: Broadcaster;
  t: Translate;
  /** The email outbox's sender; undefined when email is off (no SMTP_URL, or EMAIL_DELIVERY=off). */
  emailSender: EmailSender | undefined;
  /** The port the HTTP server listens on (after start). */
  port: number;
  /** The port of the metrics listener (METRICS_PORT), when there is one (after start). */
  metricsPort: number | undefined;
  readonly phase: ShopPhase;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createShop(config: Config, options: ShopOptions = {}): Shop {
  if (!config.BOT_TOKEN) throw new Error("BOT_TOKEN is missing");
  const token = config.BOT_TOKEN;
  const logger = createLogger(config.LOG_LEVEL, options.logDestination);
  const shopName = options.shopName ?? config.SHOP_NAME;
  const now = options.now ?? Date.now;
  const onFatal = options.onFatal ?? ((message: string) => logger.fatal(message));
  let phase: ShopPhase = "created";

  // The catalog file, checked against the configured suppliers (one clear line naming the product), then the
  // database, brought up to date by its migrations, with the catalog written into it.
  const catalog = readCatalogFile(config.CATALOG_PATH);
  checkSuppliersConfigured(catalog, configuredSuppliers(config), config.CATALOG_PATH);
  const db = openDatabase(config.DATABASE_PATH);
  const refusedPatterns = syncCatalog(db, catalog, now());
  refreshStockAvailability(db, now());
  const untranslated = missingTranslations(catalog);
  if (untranslated.length > 0) {
    logger.warn({ count: untranslated.length, first: untranslated.slice(0, 5) }, "catalog texts without a translation: customers in those languages read the English");
  }
  for (const { sku, reason } of refusedPatterns) {
    logger.error({ sku, reason }, "a product added by the supplier sync has a recipient pattern the shop refuses; it takes no recipient until it is fixed");
  }
  const lease = createLease(db, { mode: config.INSTANCE_LEASE, logger, ...options.lease, onLost: (message) => onFatal(message) });
  const database: Component = { name: "database", stop: () => void db.$client.close() };
  const metrics = createMetrics(db);
  const sealer = createCodeCipher(config.CODE_ENCRYPTION_KEY);
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
  // The worker's client: deliveries, customer notices, Stars refunds and ledger reads, file downloads.
  const api = createLaneApi(token, apiOptions, pacer, "delivery");
  const alertsApi = createLaneApi(token, apiOptions, pacer, "alerts");

  // Alerts are rows of the database's outbox from the moment they are raised; the alerter sends them to the ops chat.
  const alerter = createAlerter({
    db,
    chatId: config.OPS_CHAT_ID,
    send: async (chatId, text, buttons) => {
      const keyboard = buttons?.length ? { reply_markup: { inline_keyboard: [buttons.map((b) => ({ text: b.text, callback_data: b.data }))] } } : {};
      await alertsApi.sendMessage(chatId, text, { parse_mode: "HTML", link_preview_options: { is_disabled: true }, ...keyboard });
    },
    logger,
    ...(options.alertGatherMs !== undefined ? { gatherMs: options.alertGatherMs } : {}),
    onSent: (kind, orderIds) => {
      metrics.alertsSent.inc({ kind });
      markReviewAlerted(db, orderIds, Date.now());
    },
  });
  const alerts: Component = {
    name: "alerts",
    // What waits in the outbox (raised before a crash or a stop) goes out now.
    start: () => alerter.start(),
    // Whatever the stopping components raised still goes out, unless Telegram cannot be reached: it stays in the outbox.
    stop: async () => {
      await alerter.flush({ timeoutMs: 5_000 }).catch(() => undefined);
      alerter.stop();
    },
  };

  // Supplier and payment clients: the configured suppliers (generic, Reloadly) and the shop's own stock.
  const supplierCalls = createSupplierCallLog(now);
  const stock = { db, sealer, fingerprint: createCodeFingerprinter(config.CODE_ENCRYPTION_KEY), now };
  const suppliers = createSuppliers({
    timeoutMs: config.SUPPLIER_TIMEOUT_MS,
    generic:
      config.SUPPLIER_API_URL && config.SUPPLIER_API_KEY ? { baseUrl: config.SUPPLIER_API_URL, apiKey: config.SUPPLIER_API_KEY } : undefined,
    reloadly:
      config.RELOADLY_CLIENT_ID && config.RELOADLY_CLIENT_SECRET
        ? {
            clientId: config.RELOADLY_CLIENT_ID,
            clientSecret: config.RELOADLY_CLIENT_SECRET,
            authUrl: config.RELOADLY_AUTH_URL,
            giftcardsUrl: config.RELOADLY_GIFTCARDS_URL,
            topupsUrl: config.RELOADLY_TOPUPS_URL,
            senderName: shopName,
            // One wallet serves both APIs: read it where the catalog has products (gift cards first).
            balanceFrom: catalog.some((product) => product.kind === "code" && product.sources?.some((s) => s.supplier === "reloadly")) ? "giftcards" : "topups",
          }
        : undefined,
    stock,
    observe: (name, { endpoint, durationMs, outcome }) => {
      metrics.supplierLatency.observe({ supplier: name, endpoint, outcome }, durationMs / 1000);
      supplierCalls.record(durationMs);
    },
  });
  // Without Stripe among the payment methods the client is never called for a payment; it still refunds nothing.
  const stripe = createStripeClient(config.STRIPE_SECRET_KEY ?? "sk_test_stripe_not_configured", config.STRIPE_API_URL);

  // Email, the backup channel (EMAIL_DELIVERY): the outbox's sender, over SMTP_URL. What the server's answer means
  // for an order (delivered by email, or given up and told to ops) commits with the email's own row.
  const emailMode = emailModeOf(config);
  const emailSender =
    emailMode === "off"
      ? undefined
      : createEmailSender({
          db,
          sealer,
          mailer: createSmtpMailer({ url: config.SMTP_URL!, from: config.EMAIL_FROM! }),
          logger,
          now,
          random: options.random ?? Math.random,
          maxAttempts: config.EMAIL_MAX_ATTEMPTS,
          retryBaseMs: config.EMAIL_RETRY_BASE_MS,
          messageIdDomain: /@([^\s<>@]+)/.exec(config.EMAIL_FROM!)?.[1] ?? "shop.invalid",
          onSent: (row) => onEmailSent({ db, logger, now }, row),
          onGivenUp: (row, reason) => onEmailGivenUp({ db, logger, now, sealer, alerts: alerter }, row, reason),
          withheld: (row) => orderEmailWithheld({ db }, row),
          onOutcome: (row, outcome) => metrics.emails.inc({ purpose: row.purpose.replace(/-\d+$/, ""), outcome }),
          reconcile: () => deliverEmailedOrders({ db, logger, now }),
        });
  const email: EmailChannel = { mode: emailMode, shopName, wake: () => emailSender?.wake() };
  // Only the process holding the database lease sends (and takes back what a crashed one had claimed).
  const emails: Component = { name: "email", start: () => emailSender?.start(), stop: () => emailSender?.stop() };
  const emailDeps = { db, logger, now, sealer, t, supportContact: config.SUPPORT_CONTACT, alerts: alerter, email };
  const notify = createCustomerNotifier({
    db,
    api,
    t,
    logger,
    // A refund notice the chat refuses for good (the bot blocked, the chat gone) goes by email.
    onRefused: (order, key, variables, error) => {
      if (isPermanentTelegramRefusal(error)) queueRefundNotice(emailDeps, order, key, variables);
    },
  });

  // The pipeline and the worker that carries every paid order to delivered, refunded or review.
  const pipeline: PipelineDeps = {
    db,
    logger,
    now,
    random: options.random ?? Math.random,
    suppliers: suppliers.registry,
    payments: createPaymentProviders({ stripe, api }),
    api,
    t,
    alerts: alerter,
    sealer,
    metrics,
    notify,
    risk: riskSettingsOf(config),
    supportContact: config.SUPPORT_CONTACT,
    email,
    settings: {
      ...DEFAULT_PIPELINE_SETTINGS,
      maxAttempts: config.SUPPLIER_MAX_ATTEMPTS,
      backoffBaseMs: config.SUPPLIER_RETRY_BASE_MS,
      pollIntervalMs: config.SUPPLIER_POLL_INTERVAL_MS,
      pollWindowMs: config.SUPPLIER_POLL_WINDOW_MS,
      deliveryMaxAttempts: config.DELIVERY_MAX_ATTEMPTS,
      ...options.pipeline,
    },
  };
  // An order paid by a stored event is found due in the same tick: no wake-up needed, only the paid notice.
  const inboxDeps = { ...pipeline, onPaid: (orderId: string) => schedulePaidNotice(pipeline, orderId) };
  const stars = config.PAYMENT_METHODS.includes("stars");
  const worker = createWorker(pipeline, {
    concurrency: config.WORKER_CONCURRENCY,
    ...(options.workerIdleMs ? { idleMs: options.workerIdleMs } : {}),
    inboxes: [() => processStripeEvents(inboxDeps), () => processStarsPayments(inboxDeps), () => processSupplierEvents(pipeline)],
    jobs: stars ? [{ name: "Stars charges to return", run: () => refundDueStarsPayments(pipeline) }] : [],
  });

  // What an admin does to orders from the bot, and the shop's own retry after a supplier balance top-up.
  const adminDeps = { pipeline, wakeWorker: () => worker.wake() };
  const monitors = createMonitors({
    db,
    suppliers: suppliers.registry,
    alerts: alerter,
    logger,
    now,
    supplierCalls,
    onBalanceTopUp: async (supplier) => (await retryHeldForBalance(adminDeps, supplier)).retried.length,
    settings: {
      ...(config.SUPPLIER_DAILY_SPEND !== undefined ? { dailySpendOverride: config.SUPPLIER_DAILY_SPEND } : {}),
      stockLowThreshold: config.STOCK_LOW_THRESHOLD,
      ...options.monitors,
    },
  });

  // The bot: customer features and the admin console.
  const genericSupplier = suppliers.generic;
  const reloadly = suppliers.reloadly;
  // Catalog sync reads the generic supplier's GET /catalog; without it there is nothing to sync from.
  const syncSupplierCatalog = genericSupplier
    ? () =>
        syncFromSupplier(
          { db, supplier: genericSupplier, logger, now, alert: (text, kind) => alerter.raise({ kind: kind ?? "catalog_sync", text }) },
          { percent: config.CATALOG_MARKUP_PERCENT },
        )
    : undefined;
  // A file sent to the bot (a stock import): getFile, then the download from the Bot API's file endpoint.
  const downloadFile = async (fileId: string): Promise<Buffer> => {
    const file = await api.getFile(fileId);
    if (!file.file_path) throw new Error("Telegram gave no file path");
    const response = await fetch(`${config.TELEGRAM_API_ROOT.replace(/\/$/, "")}/file/bot${token}/${file.file_path}`, { signal: AbortSignal.timeout(30_000) });
    if (!response.ok) throw new Error(`the file download answered HTTP ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  };
  const botDeps: BotDeps = {
    db,
    logger,
    now,
    stripe,
    newOrderId: createOrderId,
    sealer,
    t,
    shopName,
    supportContact: config.SUPPORT_CONTACT,
    adminUserIds: config.ADMIN_USER_IDS,
    opsChatId: config.OPS_CHAT_ID,
    limits: options.limits ?? { maxUnpaidOrders: config.MAX_UNPAID_ORDERS, maxOrdersPerHour: config.MAX_ORDERS_PER_HOUR },
    paymentMethods: config.PAYMENT_METHODS,
    alerts: alerter,
    notify,
    email,
    onStarsPayment: () => worker.wake(),
    onCustomerBack: (customerId) => {
      redeliverToReturningCustomer(pipeline, customerId).catch((error: unknown) => logger.error({ err: error, customer_id: customerId }, "resending to a customer who came back failed"));
    },
  };
  // Broadcasts send through their own lane of the pacer: customers' replies, deliveries and alerts go first.
  const broadcaster = createBroadcaster({ db, api: createLaneApi(token, apiOptions, pacer, "broadcast"), logger, now, ...options.broadcast });
  const bot = createBot(token, botDeps, {
    apiRoot: config.TELEGRAM_API_ROOT,
    ...(options.botInfo ? { botInfo: options.botInfo } : {}),
    extraFeatures: [
      // The console, then the fraud feature, then the admin feature: a Confirm of a later feature's question passes on.
      consoleFeature({ ...adminDeps, adminUserIds: config.ADMIN_USER_IDS, broadcaster }),
      adminFraudFeature({ pipeline, wakeWorker: () => worker.wake(), adminUserIds: config.ADMIN_USER_IDS, stripe }),
      adminFeature({
        pipeline,
        wakeWorker: () => worker.wake(),
        adminUserIds: config.ADMIN_USER_IDS,
        monitors,
        syncCatalog: syncSupplierCatalog,
        checkReloadly: reloadly ? async () => checkReloadlySources(db, await reloadly.listGiftCardProducts()) : undefined,
        stock: { ...stock, lowThreshold: config.STOCK_LOW_THRESHOLD },
        downloadFile,
      }),
    ],
    pacer,
  });
  const telegram: Component = {
    name: "telegram",
    async start() {
      await connectBot(bot, { token, apiRoot: config.TELEGRAM_API_ROOT, logger, timeoutMs: config.TELEGRAM_STARTUP_TIMEOUT_MS });
      registerCommands(bot, t, { email: emailMode !== "off" }).catch((error: unknown) => logger.warn({ err: error }, "could not register the command menu"));
    },
  };
  const updates = createUpdateSource(bot, {
    mode: options.noPolling ? "none" : config.BOT_MODE,
    webhookUrl: config.WEBHOOK_URL ? `${config.WEBHOOK_URL.replace(/\/$/, "")}${TELEGRAM_WEBHOOK_PATH}` : undefined,
    webhookSecret: config.TELEGRAM_WEBHOOK_SECRET,
    logger,
    onFatal,
  });

  // The HTTP server: webhooks, health, metrics (and Telegram's webhook in webhook mode). It listens first, so
  // /healthz answers "starting" while Telegram or the database lease are awaited.
  const webhookOutcome = (source: "stripe" | "supplier") => (outcome: string) => {
    metrics.webhooks.inc({ source, outcome });
    if (outcome === "bad_signature" || outcome === "malformed") monitors.observeWebhookFailure(source, `${source} webhook ${outcome.replace("_", " ")}`);
  };
  // Telegram webhook mode: answers Telegram within 2 s whatever happens; a slow handler finishes after the answer.
  const telegramWebhook =
    config.BOT_MODE === "webhook"
      ? webhookCallback(bot, "http", { secretToken: config.TELEGRAM_WEBHOOK_SECRET!, onTimeout: "return", timeoutMilliseconds: 2_000 })
      : undefined;
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
      // Without the generic supplier nobody may post here: every call is answered 404.
      supplierWebhook: config.SUPPLIER_WEBHOOK_SECRET
        ? createSupplierWebhookHandler({
            db,
            webhookSecret: config.SUPPLIER_WEBHOOK_SECRET,
            logger,
            now,
            onStored: () => worker.wake(),
            onOutcome: webhookOutcome("supplier"),
          })
        : () => ({ status: 404, body: { error: "no generic supplier is configured" } }),
      health,
      metrics: async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() }),
      extra: async (req, res) => {
        if (telegramWebhook && req.method === "POST" && (req.url ?? "").split("?")[0] === TELEGRAM_WEBHOOK_PATH) {
          await telegramWebhook(req, res);
          return true;
        }
        return options.extraRoutes ? options.extraRoutes(req, res) : false;
      },
    },
    logger,
    { serveMonitoring: config.METRICS_PORT === undefined, metricsToken: config.METRICS_TOKEN },
  );
  // METRICS_PORT: /metrics and /healthz on a listener of their own (an internal address), not beside the webhooks.
  const monitoringServer =
    config.METRICS_PORT === undefined
      ? undefined
      : createMonitoringServer({ health, metrics: async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() }) }, logger, config.METRICS_TOKEN);
  const close = (listener: Server) =>
    new Promise<void>((resolve) => {
      listener.close(() => resolve());
      listener.closeIdleConnections();
    });
  const http: Component = {
    name: "http server",
    async start() {
      shop.port = await listenOn(server, config.HTTP_PORT, config.HTTP_HOST);
      if (monitoringServer) {
        shop.metricsPort = await listenOn(monitoringServer, config.METRICS_PORT!, config.METRICS_HOST ?? config.HTTP_HOST, { port: "METRICS_PORT", host: "METRICS_HOST" });
      }
    },
    stop: async () => {
      await Promise.all([close(server), ...(monitoringServer?.listening ? [close(monitoringServer)] : [])]);
    },
  };

  function health(): { ok: boolean; status: string; checks: Record<string, unknown> } {
    let database = false;
    try {
      database = db.$client.open && db.$client.prepare("SELECT 1 AS ok").get() !== undefined;
    } catch {
      database = false;
    }
    if (phase !== "running") {
      const status = lease.state === "standby" ? "standby" : phase;
      return { ok: false, status, checks: { database, ...(lifecycle.starting ? { starting: lifecycle.starting } : {}) } };
    }
    const workerAlive = worker.running && Date.now() - worker.lastTickAt < 30_000;
    const ok = database && workerAlive && updates.alive;
    return { ok, status: ok ? "ok" : "unhealthy", checks: { database, worker: workerAlive, bot: updates.alive } };
  }

  // Timers: each run guarded (an error is logged, the next run still comes).
  const timers: Component[] = [
    repeating("monitor checks", config.MONITOR_INTERVAL_MS, () => monitors.check(), { logger }),
    repeating("Stars invoice expiry", config.MONITOR_INTERVAL_MS, () => expireStarsOrders(pipeline), { logger }),
    repeating("fraud hold expiry", config.MONITOR_INTERVAL_MS, () => refundExpiredRiskHolds(pipeline) > 0 && worker.wake(), { logger }),
    repeating("dispute evidence due", config.MONITOR_INTERVAL_MS, () => remindDisputesDue({ db, alerts: alerter, now }), { logger, runAtStart: true }),
    repeating("banned customers' unpaid orders", config.MONITOR_INTERVAL_MS, () => cancelUnpaidOrdersOfBanned({ db, stripe, logger, now }), { logger }),
    repeating("retention", RETENTION_INTERVAL_MS, () => {
      const deleted = pruneOldRows(db, now(), config.RETENTION_DAYS);
      if (Object.keys(deleted).length > 0) logger.info({ deleted, retention_days: config.RETENTION_DAYS }, "pruned rows past their retention");
    }, { logger, runAtStart: true }),
  ];
  if (stars) {
    // Telegram's own ledger of Stars payments, at start and then periodically: a payment whose update was lost
    // (a crash between receipt and storage) is found and applied.
    timers.push(repeating("Stars ledger reconciliation", config.STARS_RECONCILE_INTERVAL_MS, async () => {
      if ((await reconcileStarsLedger(pipeline)) > 0) worker.wake();
    }, { logger, runAtStart: true }));
  }
  if (config.CATALOG_SYNC_INTERVAL_MS > 0 && syncSupplierCatalog) {
    timers.push(repeating("catalog sync", config.CATALOG_SYNC_INTERVAL_MS, syncSupplierCatalog, { logger, runAtStart: true }));
  }
  const workerComponent: Component = { name: "worker", start: () => worker.start(), stop: () => worker.stop() };
  // A broadcast a stop or a crash left running resumes after its last customer.
  const broadcasts: Component = { name: "broadcasts", start: () => broadcaster.start(), stop: () => broadcaster.stop() };

  /**
   * Start order; stop is the reverse: updates stop first, the database closes last. Alerts and emails start after
   * the lease: only the process that holds the database sends what waits in its outboxes (a standby would send it twice).
   */
  const lifecycle = createLifecycle([database, http, lease, alerts, emails, telegram, workerComponent, broadcasts, ...timers, updates], logger);

  const shop: Shop = {
    config,
    db,
    api,
    bot,
    worker,
    server,
    logger,
    metrics,
    monitors,
    pipeline,
    broadcaster,
    t,
    emailSender,
    port: 0,
    metricsPort: undefined,
    get phase() {
      return phase;
    },
    async start() {
      phase = "starting";
      try {
        await lifecycle.start();
      } catch (error) {
        if (phase === "starting") phase = "stopped";
        throw error;
      }
      phase = "running";
      logger.info({ port: shop.port, bot: bot.botInfo.username }, "shop started");
    },
    async stop() {
      if (phase === "stopping" || phase === "stopped") return;
      phase = "stopping";
      await lifecycle.stop();
      phase = "stopped";
      logger.info("shop stopped");
    },
  };
  return shop;
}

export { createLogger };
