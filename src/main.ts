// Entry point: reads .env and the environment, starts the shop, shuts it down cleanly on SIGINT/SIGTERM.
import { existsSync } from "node:fs";
import { createShop } from "./app.js";
import { CatalogError } from "./catalog/catalog.js";
import { ConfigError, loadConfig } from "./config.js";

async function main(): Promise<void> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  if (!process.env["BOT_TOKEN"]) {
    // No token: the offline sandbox, the real shop against local stand-ins.
    const { startSandbox } = await import("./sandbox/sandbox.js");
    const sandbox = await startSandbox({ banner: true });
    const stop = () => void sandbox.stop().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    return;
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
