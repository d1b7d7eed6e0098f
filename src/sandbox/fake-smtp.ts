// A local mail server for the sandbox and the tests: a real SMTP conversation (smtp-server) on loopback, the shop's
// nodemailer talking to it through SMTP_URL like to any provider. Every message it accepts is kept (parsed with
// mailparser: subject, text, HTML, Message-ID) as the customer's mailbox would show it. It can also misbehave as
// mail servers do: answer 4xx ("try later") or 5xx (refused), drop the connection, never greet, or hold its answer.
import type { AddressInfo, Socket } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from "smtp-server";

export interface ReceivedMail {
  id: number;
  receivedAt: number;
  /** The envelope: who the shop said it sends as, and to whom. */
  from: string;
  to: string[];
  messageId: string | undefined;
  subject: string;
  text: string;
  html: string | undefined;
}

/**
 * What the server does with a message once its data is in: `reply` with a code (4xx: try later; 5xx: refused),
 * `drop` the connection without a word, or `hold` its answer (the message counts as received, the sender waits).
 */
export type SmtpFault = { kind: "reply"; code: number; message?: string } | { kind: "drop" } | { kind: "hold" };

export interface FakeSmtp {
  readonly url: string;
  readonly mails: ReceivedMail[];
  /** The next `count` messages meet this fault. */
  failNext(count: number, fault: SmtpFault): void;
  /** A fault for each message, decided by the caller (the chaos run); undefined accepts it. */
  setRule(rule: ((to: string[]) => SmtpFault | undefined) | undefined): void;
  /** New connections are taken but never greeted (a server that hangs), until set back to false. */
  hangOnConnect(on: boolean): void;
  /** Messages taken so far whose answer is held (`hold`). */
  readonly held: number;
  /** Waits for a received message that matches. */
  waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Called for each message received. */
  onMail(listener: (mail: ReceivedMail) => void): () => void;
  close(): Promise<void>;
}

export async function startFakeSmtp(options: { host?: string; port?: number } = {}): Promise<FakeSmtp> {
  const host = options.host ?? "127.0.0.1";
  const mails: ReceivedMail[] = [];
  const faults: SmtpFault[] = [];
  const listeners = new Set<(mail: ReceivedMail) => void>();
  const sockets = new Map<number, Socket>();
  let rule: ((to: string[]) => SmtpFault | undefined) | undefined;
  let hanging = false;
  let held = 0;
  let nextId = 1;

  async function receive(raw: Buffer, session: SMTPServerSession): Promise<ReceivedMail> {
    const parsed = await simpleParser(raw);
    const envelope = session.envelope;
    const mail: ReceivedMail = {
      id: nextId++,
      receivedAt: Date.now(),
      from: envelope.mailFrom ? envelope.mailFrom.address : "",
      to: envelope.rcptTo.map((rcpt) => rcpt.address),
      messageId: parsed.messageId,
      subject: parsed.subject ?? "",
      text: parsed.text ?? "",
      html: typeof parsed.html === "string" ? parsed.html : undefined,
    };
    mails.push(mail);
    for (const listener of listeners) listener(mail);
    return mail;
  }

  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on loopback: nodemailer upgrades with STARTTLS only when the server offers it.
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    banner: "fake mail server (sandbox)",
    size: 10 * 1024 * 1024,
    onConnect(_session, callback) {
      if (hanging) return; // never greeted: the sender's greeting timeout, or its death, ends it
      callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const to = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        const fault = faults.shift() ?? rule?.(to);
        if (fault?.kind === "drop") {
          sockets.get(session.remotePort)?.destroy();
          return;
        }
        if (fault?.kind === "reply") {
          const error = Object.assign(new Error(fault.message ?? (fault.code >= 500 ? "mailbox unavailable" : "try again later")), { responseCode: fault.code });
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks);
        receive(raw, session).then(
          (mail) => {
            if (fault?.kind === "hold") {
              held += 1;
              return; // the message is in; the answer never comes
            }
            callback(null, `queued as fake-${mail.id}`);
          },
          (error: unknown) => callback(error as Error),
        );
      });
    },
  });
  server.server.on("connection", (socket: Socket) => {
    if (socket.remotePort === undefined) return;
    const port = socket.remotePort;
    sockets.set(port, socket);
    socket.on("close", () => sockets.delete(port));
  });
  server.on("error", () => undefined);
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, () => resolve()));
  const onMail = (listener: (mail: ReceivedMail) => void) => {
    listeners.add(listener);
    return () => void listeners.delete(listener);
  };
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://${host}:${port}`,
    mails,
    failNext(count, fault) {
      for (let i = 0; i < count; i++) faults.push(fault);
    },
    setRule(next) {
      rule = next;
    },
    hangOnConnect(on) {
      hanging = on;
    },
    get held() {
      return held;
    },
    waitFor(predicate, timeoutMs = 10_000) {
      const found = mails.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          reject(new Error(`no mail matched within ${timeoutMs} ms (received: ${mails.map((m) => `${m.to.join(",")} "${m.subject}"`).join("; ") || "none"})`));
        }, timeoutMs);
        const off = onMail((mail) => {
          if (!predicate(mail)) return;
          clearTimeout(timer);
          off();
          resolve(mail);
        });
      });
    },
    onMail,
    async close() {
      for (const socket of sockets.values()) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
