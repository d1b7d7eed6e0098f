// The baseline for webhook intake: a bare node:http handler doing constructEvent and one better-sqlite3 insert.
import { createServer } from "node:http";
import Database from "better-sqlite3";
import Stripe from "stripe";

const [dbPath, secret] = process.argv.slice(2) as [string, string];
const db = new Database(dbPath);
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.exec("CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, type TEXT, payload TEXT, received_at INTEGER)");
const insert = db.prepare("INSERT INTO events (id, type, payload, received_at) VALUES (?, ?, ?, ?) ON CONFLICT(id) DO NOTHING");
const stripe = new Stripe("sk_test_bare");
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    try {
      const body = Buffer.concat(chunks);
      const event = stripe.webhooks.constructEvent(body, String(req.headers["stripe-signature"]), secret);
      insert.run(event.id, event.type, body.toString("utf8"), Date.now());
      res.writeHead(200, { "content-type": "application/json" });
      res.end('{"received":true}');
    } catch {
      res.writeHead(400);
      res.end();
    }
  });
});
server.listen(0, "127.0.0.1", () => console.log(`PORT ${(server.address() as { port: number }).port}`));
