// npm run simulator: the supplier simulator on a port of its own, for trying the shop against it by hand.
// Reads SIMULATOR_PORT (default 4010), SUPPLIER_API_KEY, SUPPLIER_WEBHOOK_SECRET and SIMULATOR_WEBHOOK_URL
// (where it posts order webhooks, e.g. http://127.0.0.1:3000/webhooks/supplier) from .env and the environment.
import { existsSync } from "node:fs";
import { startSupplierSimulator } from "./simulator.js";

if (existsSync(".env")) process.loadEnvFile(".env");
const env = process.env;
const port = Number(env["SIMULATOR_PORT"] || 4010);
const apiKey = env["SUPPLIER_API_KEY"] || "sim-key";
const webhookSecret = env["SUPPLIER_WEBHOOK_SECRET"] || "simulator-webhook-secret";
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`SIMULATOR_PORT ${env["SIMULATOR_PORT"]} is not a port number: give one between 1 and 65535`);
  process.exit(1);
}
startSupplierSimulator({ apiKey, webhookSecret, webhookUrl: env["SIMULATOR_WEBHOOK_URL"] || undefined }, port, env["SIMULATOR_HOST"] || "127.0.0.1")
  .then((simulator) => {
    console.log(
      [
        `Supplier simulator listening on ${simulator.url}`,
        `  API key (Bearer): ${apiKey}   webhook secret: ${webhookSecret.slice(0, 4)}…`,
        `  webhooks to: ${env["SIMULATOR_WEBHOOK_URL"] || "(none: set SIMULATOR_WEBHOOK_URL)"}`,
        `  point the shop at it: SUPPLIER_API_URL=${simulator.url} SUPPLIER_API_KEY=${apiKey}`,
      ].join("\n"),
    );
    const stop = () => void simulator.close().then(() => process.exit(0));
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  })
  .catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(code === "EADDRINUSE" ? `SIMULATOR_PORT ${port} is already in use: set SIMULATOR_PORT to a free port` : `The simulator could not start: ${(error as Error).message}`);
    process.exit(1);
  });
