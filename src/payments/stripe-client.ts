// The Stripe SDK client; STRIPE_API_URL sends it to a local stand-in through the SDK's host/port/protocol.
import Stripe from "stripe";

export type { Stripe };

export function createStripeClient(secretKey: string, apiUrl?: string): Stripe {
  const local = apiUrl ? new URL(apiUrl) : undefined;
  return new Stripe(secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: "telegram-code-shop" },
    ...(local
      ? {
          host: local.hostname,
          port: local.port || (local.protocol === "https:" ? 443 : 80),
          protocol: local.protocol === "https:" ? "https" : "http",
        }
      : {}),
  });
}
