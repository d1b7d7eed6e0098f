// A real HTTP proxy in front of a server that can hold an answer back after the server gave it: "the supplier
// answered, but the answer is still on its way" (a slow network), so a test can make something happen meanwhile.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface HeldAnswer {
  /** The answer's body as the server gave it. */
  readonly body: string;
  /** Lets the answer go on to the client. */
  release(): void;
}

export interface HoldingProxy {
  readonly url: string;
  /** Holds the next answer to a request that matches; resolves once the server has answered it. */
  holdNext(match: (method: string, path: string) => boolean): Promise<HeldAnswer>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `target` is asked on each request (the server may start after the proxy). */
export async function startHoldingProxy(target: () => string): Promise<HoldingProxy> {
  const holds: Array<{ match: (method: string, path: string) => boolean; held: (answer: HeldAnswer) => void }> = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !["host", "connection", "content-length"].includes(name))) as Record<string, string>;
      const method = req.method ?? "GET";
      const answer = await fetch(`${target()}${req.url ?? "/"}`, { method, headers, ...(body.length > 0 ? { body } : {}) });
      const text = await answer.text();
      const index = holds.findIndex((hold) => hold.match(method, req.url ?? "/"));
      if (index >= 0) {
        const [hold] = holds.splice(index, 1);
        await new Promise<void>((release) => hold!.held({ body: text, release }));
      }
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
      res.end(text);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    holdNext: (match) => new Promise((held) => holds.push({ match, held })),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
