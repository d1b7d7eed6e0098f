// A part of the running shop with a start and a stop: the composition root (app.ts) starts them in order and
// stops them in reverse, so a component may use every component before it and none after it.
import type { Logger } from "pino";

/** An error a person must fix before the shop can run; run.ts prints its message alone and exits. */
export class StartupError extends Error {
  override readonly name = "StartupError";
}

export interface Component {
  /** Shown in logs and in /healthz while starting. */
  readonly name: string;
  start?(): Promise<void> | void;
  stop?(): Promise<void> | void;
}

export interface Lifecycle {
  /** Starts the components in order; when one fails, the ones already started are stopped and the error thrown. */
  start(): Promise<void>;
  /**
   * Stops what was started, in reverse. Called while starting, it interrupts the component being started
   * (a standby waiting for the database lease) and stops the ones before it.
   */
  stop(): Promise<void>;
  /** The component being started, while starting. */
  readonly starting: string | undefined;
}

export function createLifecycle(components: readonly Component[], logger: Logger): Lifecycle {
  const started: Component[] = [];
  let current: Component | undefined;
  let starting: Promise<void> | undefined;
  let stopping = false;

  async function stopStarted(): Promise<void> {
    while (started.length > 0) {
      const component = started.pop()!;
      try {
        await component.stop?.();
      } catch (error) {
        logger.error({ err: error, component: component.name }, "component failed to stop cleanly");
      }
    }
  }

  return {
    async start() {
      starting = (async () => {
        for (const component of components) {
          if (stopping) throw new StartupError(`stopped while starting (at ${component.name})`);
          current = component;
          await component.start?.();
          started.push(component);
        }
        current = undefined;
      })();
      try {
        await starting;
      } catch (error) {
        current = undefined;
        if (!stopping) await stopStarted();
        throw error;
      }
    },
    async stop() {
      stopping = true;
      if (current && starting) {
        // Interrupt the start in progress, then let it settle before stopping the rest.
        await Promise.resolve(current.stop?.()).catch(() => undefined);
        await starting.catch(() => undefined);
      }
      await stopStarted();
    },
    get starting() {
      return current?.name;
    },
  };
}

/**
 * A repeating job whose every run is guarded: an error (a database error, a network failure) is logged and
 * counted, and the next run still comes. Runs never overlap.
 */
export function repeating(
  name: string,
  intervalMs: number,
  run: () => unknown,
  options: { logger: Logger; onError?: (error: unknown) => void; runAtStart?: boolean },
): Component {
  let timer: NodeJS.Timeout | undefined;
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      await run();
    } catch (error) {
      options.logger.error({ err: error, job: name }, "a repeating job failed; it runs again at its next interval");
      options.onError?.(error);
    } finally {
      busy = false;
    }
  };
  return {
    name,
    start() {
      if (options.runAtStart) void tick();
      timer = setInterval(() => void tick(), intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
