// The wake timer of the worker and the email sender: the soonest ask wins, a later one does not push it back,
// the wait is capped, and a cancel leaves nothing pending.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createWakeTimer } from "../../src/lib/wake-timer.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("createWakeTimer", () => {
  it("runs once at the soonest time asked; a later ask does not delay it; the wait is capped", () => {
    const runs: number[] = [];
    const timer = createWakeTimer(() => runs.push(Date.now()), { maxWaitMs: 1_000 });
    const start = Date.now();
    timer.schedule(500);
    timer.schedule(800); // later: covered by the run at 500
    timer.schedule(200); // sooner: replaces it
    vi.advanceTimersByTime(199);
    expect(runs).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(runs).toEqual([start + 200]);
    vi.advanceTimersByTime(5_000);
    expect(runs).toHaveLength(1);
    timer.schedule(60_000); // capped at maxWaitMs
    vi.advanceTimersByTime(1_000);
    expect(runs).toHaveLength(2);
  });

  it("after cancel nothing runs, and a new ask is taken", () => {
    let runs = 0;
    const timer = createWakeTimer(() => runs++, { maxWaitMs: 1_000 });
    timer.schedule(100);
    timer.cancel();
    vi.advanceTimersByTime(2_000);
    expect(runs).toBe(0);
    timer.schedule(300);
    vi.advanceTimersByTime(300);
    expect(runs).toBe(1);
  });
});
