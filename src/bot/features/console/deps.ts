// What the console features receive from the composition root.
import type { AdminDeps } from "../../../fulfilment/admin-actions.js";
import type { Broadcaster } from "../../../ops/broadcast.js";

export interface ConsoleDeps extends AdminDeps {
  adminUserIds: readonly number[];
  /** Broadcasts to customers (ops/broadcast.ts, sending in the pacer's broadcast lane). */
  broadcaster: Broadcaster;
}
