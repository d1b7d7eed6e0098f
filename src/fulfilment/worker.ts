// The fulfilment worker: the order row is the job. It applies stored webhook events, then takes orders
// whose `next_attempt_at` has come and runs their step, at most `concurrency` at a time. No database
// transaction is ever open across a network call: each step reads, calls out, then writes.
import { getOrder, findDueOrders, nextDueAt } from "../orders/repository.js";
import { StaleTransitionError, type OrderRow } from "../orders/state-machine.js";
import { runDeliveryStep } from "./delivery.js";
import type { PipelineDeps } from "./pipeline.js";
import { runRefundStep } from "./refund-step.js";
import { runRiskStep } from "./risk-step.js";
import { runSupplierStep } from "./supplier-step.js";

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
  readonly running: boolean;
}

export function createWorker(deps: PipelineDeps, options: WorkerOptions): Worker {
  const idleMs = options.idleMs ?? 1_000;
  const inFlight = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let ticking = false;
  let again = false;
  let lastTickAt = 0;

  let timerDueAt = Infinity;
  function schedule(delay: number): void {
    if (!running) return;
    const wait = Math.max(0, Math.min(delay, idleMs));
    // A tick already due as soon or sooner covers this one (wake() may come thousands of times a second).
    if (timer && timerDueAt <= Date.now() + wait) return;
    if (timer) clearTimeout(timer);
    timerDueAt = Date.now() + wait;
    timer = setTimeout(tick, wait);
  }

  function tick(): void {
    timer = undefined;
    if (!running) return;
    if (ticking) {
      again = true;
      return;
    }
    ticking = true;
    let next: number | undefined;
    try {
      lastTickAt = Date.now();
      for (const inbox of options.inboxes ?? []) inbox();
      for (const job of options.jobs ?? []) startJob(job);
      const free = options.concurrency - inFlight.size;
      const due = findDueOrders(deps.db, deps.now(), free, new Set(inFlight.keys()));
      for (const order of due) launch(order);
      next = nextDueAt(deps.db);
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
    schedule(next === undefined ? idleMs : next - deps.now());
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

  function launch(order: OrderRow): void {
    const run = runStep(order)
      .catch((error: unknown) => {
        if (error instanceof StaleTransitionError) {
          deps.logger.info({ order_id: order.id, err: error.message }, "order moved on while its step ran");
        } else {
          deps.logger.debug({ order_id: order.id, err: error }, "order step ended with an error");
        }
      })
      .finally(() => {
        inFlight.delete(order.id);
        if (running) schedule(0);
      });
    inFlight.set(order.id, run);
  }

  async function runStep(order: OrderRow): Promise<void> {
    // Re-read: the row may have changed between the query and now.
    const current = getOrder(deps.db, order.id);
    if (!current || current.nextAttemptAt === null || current.nextAttemptAt > deps.now()) return;
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
        return runDeliveryStep(deps, current);
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
      if (timer) clearTimeout(timer);
      timer = undefined;
      await Promise.allSettled([...inFlight.values(), ...jobsRunning.values()]);
    },
    async drain() {
      for (;;) {
        tick();
        if (inFlight.size === 0) {
          const next = nextDueAt(deps.db);
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
    get running() {
      return running;
    },
  };
}
