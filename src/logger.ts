// pino, with codes, PINs, tokens and secrets redacted wherever they appear in a log object.
import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/** Keys whose values never reach a log, at any depth the paths below name. */
export const REDACTED_PATHS = [
  "code",
  "pin",
  "codes",
  "items",
  "*.code",
  "*.pin",
  "*.codes",
  "*.items",
  "token",
  "*.token",
  "secret",
  "*.secret",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "req.headers.authorization",
  // grammY errors carry the request payload: a failed delivery's text holds the code.
  "payload",
  "err.payload",
  "*.err.payload",
  "error.payload",
  "STRIPE_SECRET_KEY",
  "SUPPLIER_API_KEY",
  "BOT_TOKEN",
  "SMTP_URL",
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      base: undefined,
    },
    destination,
  );
}
