// The operator's console: the admin commands beyond the order ones (admin.ts) and the fraud ones (admin-fraud.ts):
// /help, sales pauses, products, the paged review queue, Retry all, broadcasts, CSV export, promo codes. Admins only
// (anyone else gets the answer to any unknown command). Installed before admin-fraud.ts and admin.ts (app.ts): the
// Confirm and Cancel buttons of their questions pass on to them, and /retry <id> goes on to admin.ts.
import { Composer } from "grammy";
import type { ShopContext } from "../../context.js";
import { broadcastCommands } from "./broadcast.js";
import { createConsoleConfirmations } from "./confirm-router.js";
import type { ConsoleDeps } from "./deps.js";
import { exportCommands } from "./export.js";
import { helpCommands } from "./help.js";
import { pauseCommands } from "./pause.js";
import { productCommands } from "./products.js";
import { promoCommands } from "./promo.js";
import { retryAllCommands } from "./retry-all.js";
import { reviewCommands } from "./review.js";

export type { ConsoleDeps } from "./deps.js";

export function consoleFeature(deps: ConsoleDeps): Composer<ShopContext> {
  const composer = new Composer<ShopContext>();
  const admin = composer.filter((ctx) => ctx.from !== undefined && deps.adminUserIds.includes(ctx.from.id));
  // First: it redraws the review list after any question is answered, whichever feature answers it.
  reviewCommands(admin, deps);
  const confirmations = createConsoleConfirmations(admin, deps.pipeline.db);
  helpCommands(admin);
  pauseCommands(admin, deps, confirmations);
  productCommands(admin, deps, confirmations);
  retryAllCommands(admin, deps, confirmations);
  broadcastCommands(admin, deps, confirmations);
  exportCommands(admin, deps);
  promoCommands(admin, deps, confirmations);
  return composer;
}
