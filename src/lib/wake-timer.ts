// One timer for a loop that sleeps between looks and is woken often (a wake-up may come thousands of times a
// second): it runs at the soonest time asked of it, and never later than `maxWaitMs` after an ask.
export interface WakeTimer {
  /** Run in `delayMs` (capped at `maxWaitMs`), unless a run is already due as soon or sooner. */
  schedule(delayMs: number): void;
  /** No run pending any more. */
  cancel(): void;
}

export function createWakeTimer(run: () => void, options: { maxWaitMs: number; unref?: boolean }): WakeTimer {
  let timer: NodeJS.Timeout | undefined;
  let dueAt = Infinity;
  const cancel = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    dueAt = Infinity;
  };
  return {
    schedule(delayMs) {
      const wait = Math.max(0, Math.min(delayMs, options.maxWaitMs));
      if (timer && dueAt <= Date.now() + wait) return;
      cancel();
      dueAt = Date.now() + wait;
      timer = setTimeout(() => {
        timer = undefined;
        dueAt = Infinity;
        run();
      }, wait);
      if (options.unref) timer.unref();
    },
    cancel,
  };
}
