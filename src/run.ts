// The shop's start (run by main.ts): reads .env and the environment, starts the shop (or, on a development
// checkout without a BOT_TOKEN, the offline sandbox), and shuts it down cleanly on SIGINT/SIGTERM.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createShop } from "./app.js";
import { CatalogError } from "./catalog/catalog.js";
import { ConfigError, isProduction, loadConfig } from "./config.js";
import { StartupError } from "./lib/component.js";

async function main(): Promise<void> {
  if (existsSync(".env")) process.loadEnvFile(".env");
  const production = isProduction(process.env, fileURLToPath(import.meta.url));
  if (!process.env["BOT_TOKEN"]?.trim()) {
    if (production) {
      throw new ConfigError(
        "BOT_TOKEN is missing: set it to the token @BotFather gave you (the offline sandbox runs only with `npm start` on a development checkout)",
      );
    }
    // No token on a development checkout: the offline sandbox, the real shop against local stand-ins.
    const { startSandbox } = await import("./sandbox/sandbox.js");
    const sandbox = await startSandbox({ banner: true });
    let leaving = false;
    const stop = (signal: string) => {
      // Ctrl-C reaches the process more than once (the terminal and npm/tsx pass it on): one stop, the rest ignored.
      if (leaving) return;
      leaving = true;
      console.log(`\n${signal}: stopping the sandbox…`);
      setTimeout(() => process.exit(1), 30_000).unref();
      void sandbox.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    };
    process.on("SIGINT", () => stop("SIGINT"));
    process.on("SIGTERM", () => stop("SIGTERM"));
    return;
  }
  const config = loadConfig(process.env, { production });
  let stopping = false;
  const shop = createShop(config, {
    onFatal: (message) => {
      shop.logger.fatal(message);
      console.error(message);
      shutdown("fatal", 1);
    },
  });
  function shutdown(reason: string, code = 0): void {
    if (stopping) return;
    stopping = true;
    shop.logger.info({ reason }, "shutting down");
    // A stop that hangs (a stuck network call) must not keep a dying process alive forever.
    setTimeout(() => process.exit(code || 1), 30_000).unref();
    shop
      .stop()
      .then(() => process.exit(code))
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  }
  // `on`, not `once`: Ctrl-C reaches the process more than once (the terminal and npm/tsx pass it on), and a second
  // signal must not meet Node's default handler and kill the process in the middle of its stop.
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  try {
    await shop.start();
  } catch (error) {
    // Stopped by a signal while starting (a standby told to stop): not a failure.
    if (stopping) return;
    throw error;
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof CatalogError || error instanceof StartupError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
