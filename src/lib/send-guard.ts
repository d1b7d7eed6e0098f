// A last look just before a Bot API call leaves, after it waited for its pacing slot or an auto-retry's sleep:
// the caller passes a signal made by `guardedSignal` with a check; the `sendGuard` transformer, installed
// beneath the pacer (the last step before the network), runs the check and refuses the call when it names a
// reason. A delivery uses it so that a refund or a dispute that lands while the code waits stops the code.
import type { Api, Transformer } from "grammy";

/** The signal type grammY's methods take (its AbortSignal typing, not the DOM's). */
export type CallSignal = NonNullable<Parameters<Api["sendMessage"]>[3]>;

const checks = new WeakMap<object, () => string | undefined>();

/** Thrown instead of sending: the check named a reason. */
export class SendRefused extends Error {
  constructor(readonly reason: string) {
    super(`not sent: ${reason}`);
    this.name = "SendRefused";
  }
}

/** A signal to pass to a Bot API call; `check` is asked just before the call leaves (a reason: it does not). */
export function guardedSignal(check: () => string | undefined): CallSignal {
  const signal = new AbortController().signal;
  checks.set(signal, check);
  return signal as unknown as CallSignal;
}

export const sendGuard: Transformer = (prev, method, payload, signal) => {
  const check = signal ? checks.get(signal) : undefined;
  const refused = check?.();
  if (refused) throw new SendRefused(refused);
  return prev(method, payload, signal);
};
