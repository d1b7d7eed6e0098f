// Named supplier behaviours the sandbox offers (the generic simulator's per SKU, Reloadly's per product and
// operator), and which product shows which path out of the box.
import type { ReloadlyBehaviourInput } from "../supplier/reloadly/simulator.js";
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

/** Named Reloadly behaviours the sandbox offers for each gift card product and airtime operator. */
export const RELOADLY_PRESETS: Record<string, { label: string; behaviour: ReloadlyBehaviourInput }> = {
  instant: { label: "Successful at once", behaviour: { outcome: "instant" } },
  processing: { label: "Processing, then successful (5 s)", behaviour: { outcome: "processing", resolveAfterMs: 5_000 } },
  cards_delayed: { label: "Successful, cards after 2 look-ups", behaviour: { outcome: "cards_delayed", resolveAfterPolls: 2 } },
  failed: { label: "FAILED → next source", behaviour: { outcome: "failed" } },
  refunded: { label: "Processing, then REFUNDED (3 s) → next source", behaviour: { outcome: "refunded", resolveAfterMs: 3_000 } },
  no_balance: { label: "INSUFFICIENT_BALANCE → next source", behaviour: { outcome: "insufficient_balance" } },
  out_of_stock: { label: "Not available → next source", behaviour: { outcome: "out_of_stock" } },
  server_error: { label: "503 every time (nothing created)", behaviour: { outcome: "server_error", status: 503 } },
  flaky: { label: "One 503, then successful", behaviour: { outcome: "server_error", status: 503, failFirst: 1 } },
  timeout: { label: "Times out after creating (found by look-up)", behaviour: { outcome: "timeout_after_create", hangMs: 30_000 } },
  token_expired: { label: "401 TOKEN_EXPIRED once, then successful", behaviour: { outcome: "token_expired" } },
};

/** Out of the box, Reloadly answers at once except for these (api:id → preset). */
export const SANDBOX_RELOADLY_BEHAVIOURS: Record<string, keyof typeof RELOADLY_PRESETS> = {
  "giftcards:14": "processing",
  "topups:140": "processing",
};
