// The fulfilment worker: the order row is the job. It applies stored webhook events, then takes orders
// whose `next_attempt_at` has come and runs their step, at most `concurrency` at a time. No database
// transaction is ever open across a network call: each step reads, calls out, then writes. A step that throws
// (a bug, the database, a stored code that cannot be read) is retried with backoff, then sent to review.
import { createWakeTimer } from "../lib/wake-timer.js";
import { getOrder, findDueOrderIds, nextDueAt, updateOrderFields } from "../orders/repository.js";
import { sendToReview } from "../orders/review.js";
import { StaleTransitionError, type OrderRow } from "../orders/state-machine.js";
import { runDeliveryStep } from "./delivery.js";
import { backoffDelay, scheduleRetry, type PipelineDeps } from "./pipeline.js";
import { runRefundStep } from "./refund-step.js";
import { runRiskStep } from "./risk-step.js";
import { runSupplierStep } from "./supplier-step.js";

type Step = "supplier" | "delivery" | "refund";

const STEPS: Partial<Record<OrderRow["status"], Step>> = {
  paid: "supplier",
  supplier_pending: "supplier",
  fulfilled: "delivery",
  failed: "refund",
  refunding: "refund",
};

export interface WorkerOptions {
  concurrency: number;
  /** Longest sleep between two looks at the database (also the heartbeat for /healthz). */
  idleMs?: number;
  /**
   * Stored events to apply before taking due orders (Stripe events, supplier webhooks): each applies what is
   * waiting, in its own transactions, and makes the orders it touches due.
   */
  inboxes?: ReadonlyArray<() => unknown>;
  /**
   * Background jobs that call out (returning a second Stars charge): started on a tick when not already running,
   * never awaited by the tick, each at most once at a time. A failing run is logged.
   */
  jobs?: ReadonlyArray<{ name: string; run: () => Promise<unknown> }>;
}

export interface Worker {
  start(): void;
  /** Something happened (an event stored, an admin action): look now rather than at the next tick. */
  wake(): void;
  /** Stops taking new work and waits for the steps in flight. */
  stop(): Promise<void>;
  /** Runs until nothing is due or in flight (tests and benchmarks). */
  drain(): Promise<void>;
  readonly inFlight: number;
  readonly lastTickAt: number;
  /** Looks at the database so far (a worker that spins shows here). */
  readonly ticks: number;
  readonly running: boolean;
}

export function createWorker(deps: PipelineDeps, options: WorkerOptions): Worker {
  const idleMs = options.idleMs ?? 1_000;
  const inFlight = new Map<string, Promise<void>>();
  let running = false;
  let ticking = false;
  let again = false;
  let lastTickAt = 0;
  let ticks = 0;

  const timer = createWakeTimer(() => tick(), { maxWaitMs: idleMs });
  function schedule(delay: number): void {
    if (running) timer.schedule(delay);
  }

  /** Orders whose unexpected error could not even be written down (the database failed too): not before this time. */
  const cooling = new Map<string, number>();

  function inHand(): Set<string> {
    const now = Date.now();
    for (const [id, until] of cooling) if (until <= now) cooling.delete(id);
    return new Set([...inFlight.keys(), ...cooling.keys()]);
  }

  function tick(): void {
    if (!running) return;
    if (ticking) {
      again = true;
      return;
    }
    ticking = true;
    let wait: number;
    try {
      lastTickAt = Date.now();
      ticks += 1;
      for (const inbox of options.inboxes ?? []) inbox();
      for (const job of options.jobs ?? []) startJob(job);
      const free = options.concurrency - inFlight.size;
      const due = findDueOrderIds(deps.db, deps.now(), free, inHand());
      for (const id of due) launch(id);
      wait = nextWait();
    } catch (error) {
      // A database error (locked, disk full, a broken file) must not end the process: look again after a pause.
      deps.logger.error({ err: error }, "worker tick failed; trying again");
      again = false;
      schedule(idleMs);
      return;
    } finally {
      ticking = false;
    }
    if (again) {
      again = false;
      schedule(0);
      return;
    }
    schedule(wait);
  }

  /**
   * How long to sleep: until the soonest order not in hand is due. With every slot busy, a finishing step wakes
   * the worker; an order in hand never does (its `next_attempt_at` stays in the past while its step runs).
   */
  function nextWait(): number {
    if (inFlight.size >= options.concurrency) return idleMs;
    const exclude = inHand();
    const next = nextDueAt(deps.db, exclude);
    const coolest = Math.min(...cooling.values());
    return Math.min(next === undefined ? idleMs : next - deps.now(), coolest - Date.now());
  }

  const jobsRunning = new Map<string, Promise<void>>();
  function startJob(job: { name: string; run: () => Promise<unknown> }): void {
    if (jobsRunning.has(job.name)) return;
    const run = job
      .run()
      .then(() => undefined)
      .catch((error: unknown) => deps.logger.error({ err: error, job: job.name }, "a worker job failed; it runs again on a later tick"))
      .finally(() => jobsRunning.delete(job.name));
    jobsRunning.set(job.name, run);
  }

  function launch(orderId: string): void {
    // The row as the step found it: read once, when the step starts (the row may have changed since the query).
    let seen: OrderRow | undefined;
    const run = (async () => {
      seen = getOrder(deps.db, orderId);
      if (seen) await runStep(seen);
    })()
      .catch((error: unknown) => {
        if (error instanceof StaleTransitionError) {
          deps.logger.info({ order_id: orderId, err: error.message }, "order moved on while its step ran");
        } else if (seen) {
          onStepError(seen, error);
        } else {
          // The row could not even be read (the database): keep it out of hand for a while, like a failed retry.
          cooling.set(orderId, Date.now() + backoffDelay(deps.settings, 1, deps.random));
          deps.logger.error({ order_id: orderId, err: error }, "could not read an order due for its step");
        }
      })
      .finally(() => {
        inFlight.delete(orderId);
        if (running) schedule(0);
      });
    inFlight.set(orderId, run);
  }

  /**
   * An error no step expected: logged at error level and counted, the order retried with backoff (never at once:
   * the same error would come back at full speed), and after `maxStepErrors` attempts sent to review with an alert.
   */
  function onStepError(order: OrderRow, error: unknown): void {
    const step = STEPS[order.status] ?? "supplier";
    const message = error instanceof Error ? error.message : String(error);
    deps.metrics.stepErrors.inc({ step });
    deps.logger.error({ order_id: order.id, step, err: error }, "unexpected error in an order step; retrying with backoff");
    try {
      const current = getOrder(deps.db, order.id);
      if (!current || current.status !== order.status) return; // it moved on before the error
      const attempt = current.attempts + 1;
      if (attempt < deps.settings.maxStepErrors) return scheduleRetry(deps, current, step, `unexpected: ${message}`);
      sendToReview(deps, current, {
        cause: "step_error",
        reason: `the ${step} step failed unexpectedly ${attempt} times; last: ${message}`,
        actor: "worker",
        alert: { kind: "step_errors" },
      });
    } catch (inner) {
      if (inner instanceof StaleTransitionError) return; // it moved on meanwhile: nothing left to retry
      // The database is failing too: keep the order out of the worker's hands for a while, in memory.
      const delay = backoffDelay(deps.settings, order.attempts + 1, deps.random);
      cooling.set(order.id, Date.now() + delay);
      deps.logger.error({ order_id: order.id, step, err: error, write_error: inner, retry_in_ms: delay }, "unexpected error in an order step, and its retry could not be written");
    }
  }

  async function runStep(current: OrderRow): Promise<void> {
    if (current.nextAttemptAt === null || current.nextAttemptAt > deps.now()) return;
    // This step answers the wake-up a webhook left; one that comes while it runs is kept for the next.
    if (current.wokenAt !== null) updateOrderFields(deps.db, current.id, current.status, { wokenAt: null }, deps.now());
    switch (current.status) {
      case "paid": {
        // The fraud rules first: nothing is bought from a supplier for a payment they have not passed.
        const passed = current.riskCheckedAt === null ? await runRiskStep(deps, current) : current;
        if (passed) await runSupplierStep(deps, passed);
        return;
      }
      case "supplier_pending":
        return runSupplierStep(deps, current);
      case "fulfilled":
        return void (await runDeliveryStep(deps, current));
      case "failed":
      case "refunding":
        return runRefundStep(deps, current);
      default:
        return;
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    wake() {
      if (ticking) again = true;
      else schedule(0);
    },
    async stop() {
      running = false;
      timer.cancel();
      await Promise.allSettled([...inFlight.values(), ...jobsRunning.values()]);
    },
    async drain() {
      for (;;) {
        tick();
        if (inFlight.size === 0) {
          const next = nextDueAt(deps.db, inHand());
          if (next === undefined || next > deps.now()) return;
        }
        await Promise.race([...inFlight.values(), new Promise((resolve) => setTimeout(resolve, 5))]);
      }
    },
    get inFlight() {
      return inFlight.size;
    },
    get lastTickAt() {
      return lastTickAt;
    },
    get ticks() {
      return ticks;
    },
    get running() {
      return running;
    },
  };
}
