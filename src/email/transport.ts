// The SMTP client (nodemailer): one transport per shop from SMTP_URL (STARTTLS when the server offers it on
// smtp://, TLS from the start on smtps://), with timeouts so that a server that does not answer fails the attempt
// instead of holding it; and what an SMTP failure means: a permanent refusal (5xx) or a passing one (4xx, network).
import { createTransport } from "nodemailer";
import { maskAddressesIn } from "./address.js";
import type { EmailMessage } from "./outbox.js";

export interface OutgoingEmail extends EmailMessage {
  to: string;
  /** The same Message-ID for every attempt of a row: a mail client shows a duplicate (a crash's resend) once. */
  messageId: string;
}

export interface Mailer {
  /** Resolves once the SMTP server accepted the message (250 after DATA); rejects with what it said otherwise. */
  send(email: OutgoingEmail): Promise<void>;
  close(): void;
}

/** Timeouts (ms) of one attempt: a connection, the server's greeting, and silence on an open connection. */
const TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

export function createSmtpMailer(options: { url: string; from: string }): Mailer {
  // The URL's own settings win; the timeouts apply where it says nothing (nodemailer merges them so).
  const transport = createTransport({ url: options.url, ...TIMEOUTS, logger: false }, { from: options.from });
  return {
    async send(email) {
      await transport.sendMail({
        to: email.to,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId: email.messageId,
      });
    },
    close() {
      transport.close();
    },
  };
}

/**
 * What a failed send means. `permanent`: the server refused this message for good (a 5xx reply to the envelope or
 * the data: no such mailbox, rejected content); sending it again changes nothing. Anything else passes: a 4xx
 * ("try later", greylisting), the network, a timeout, and the shop's own login refused (a setting to fix, after
 * which the same email goes through). The reason never names the recipient in full.
 */
export function smtpFailure(error: unknown): { permanent: boolean; reason: string } {
  const e = error as { responseCode?: unknown; code?: unknown; message?: unknown; response?: unknown };
  const responseCode = typeof e.responseCode === "number" ? e.responseCode : undefined;
  const code = typeof e.code === "string" ? e.code : undefined;
  const text = typeof e.response === "string" && e.response ? e.response : typeof e.message === "string" ? e.message : String(error);
  const reason = maskAddressesIn(`${code ? `${code} ` : ""}${text}`.replace(/\s+/g, " ").trim()).slice(0, 300);
  const permanent = responseCode !== undefined && responseCode >= 500 && responseCode < 600 && code !== "EAUTH" && code !== "ENOAUTH";
  return { permanent, reason };
}
