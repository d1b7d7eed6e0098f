// Named supplier behaviours the sandbox offers, and which product shows which path out of the box.
import type { SimBehaviourInput } from "../supplier/simulator.js";

export const BEHAVIOUR_PRESETS: Record<string, { label: string; behaviour: SimBehaviourInput }> = {
  instant: { label: "Instant code", behaviour: { outcome: "complete" } },
  pending_webhook: { label: "Pending, then webhook (5 s)", behaviour: { outcome: "pending", resolveAfterMs: 5_000, webhook: "once" } },
  pending_polling: { label: "Pending, no webhook (polling)", behaviour: { outcome: "pending", resolveAfterPolls: 2, webhook: "none" } },
  pending_forever: { label: "Pending forever (review after polling)", behaviour: { outcome: "pending", webhook: "none" } },
  fail_refund: { label: "Supplier fails → refund", behaviour: { outcome: "fail", code: "operator_rejected" } },
  slow: { label: "Slow supplier (4 s)", behaviour: { outcome: "complete", latencyMs: 4_000 } },
  flaky: { label: "Two 503s, then a code", behaviour: { failFirst: { count: 2, status: 503, code: "unavailable" } } },
  down: { label: "Down (503 every time → review)", behaviour: { outcome: "error", status: 503, code: "unavailable" } },
  empty_code: { label: "Completed with an empty code", behaviour: { outcome: "empty_code" } },
  missing_pin: { label: "Completed without the PIN", behaviour: { outcome: "missing_pin" } },
  no_balance: { label: "Insufficient balance", behaviour: { outcome: "error", status: 402, code: "insufficient_balance" } },
  timeout: { label: "Hangs past the timeout (order exists)", behaviour: { outcome: "hang", hangMs: 30_000 } },
};

/** Out of the box, one product per path. */
export const SANDBOX_BEHAVIOURS: Record<string, keyof typeof BEHAVIOUR_PRESETS> = {
  "psn-25-usd": "pending_webhook",
  "google-play-10-eur": "pending_polling",
  "xbox-15-usd": "fail_refund",
  "pubg-660-uc": "fail_refund",
  "steam-100-usd": "slow",
  "airtime-ng-1000-ngn": "pending_webhook",
};
