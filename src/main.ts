// Entry point: reads .env and the environment, starts the shop, shuts it down cleanly on SIGINT/SIGTERM.
import { existsSync } from "node:fs";
import { createShop } from "./app.js";
import { CatalogError } from "./catalog/catalog.js";
import { ConfigError, loadConfig } from "./config.js";

async function main(): Promise<void> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  if (!process.env["BOT_TOKEN"]) {
    // The offline sandbox will start here; until it exists, say what to do.
    console.error("BOT_TOKEN is missing: set it in .env (copy .env.example) to the token @BotFather gave you.");
    process.exit(1);
  }
  const config = loadConfig();
  const shop = createShop(config);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    shop.logger.info({ signal }, "shutting down");
    shop
      .stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  await shop.start();
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof CatalogError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
