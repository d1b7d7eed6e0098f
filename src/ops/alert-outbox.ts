// The alert outbox in SQLite (table alert_outbox): an alert is a row from the moment it is raised until Telegram
// took the message that carried it. The alerter (alerts.ts) decides what goes when; this module only reads and
// writes rows, with statements prepared once per database.
import { perDatabase, type Db } from "../db/connection.js";

export interface OutboxRow {
  id: number;
  kind: string;
  orderId: string | null;
  text: string;
  raisedAt: number;
  attempts: number;
  notBefore: number | null;
}

const statements = perDatabase((db: Db) => {
  const c = db.$client;
  return {
    insert: c.prepare<[string, string | null, string, string | null, number]>("INSERT INTO alert_outbox (kind, order_id, text, subject, raised_at) VALUES (?, ?, ?, ?, ?)"),
    // A condition (no order) keeps one pending row per subject: its latest reading.
    updateCondition: c.prepare<[string, string, string | null]>(
      "UPDATE alert_outbox SET text = ? WHERE kind = ? AND subject IS ? AND order_id IS NULL AND sent_at IS NULL AND given_up_at IS NULL",
    ),
    samePending: c.prepare<[string, string, string], { id: number }>(
      "SELECT id FROM alert_outbox WHERE kind = ? AND order_id = ? AND text = ? AND sent_at IS NULL AND given_up_at IS NULL LIMIT 1",
    ),
    pending: c.prepare<[], { id: number; kind: string; order_id: string | null; text: string; raised_at: number; attempts: number; not_before: number | null }>(
      "SELECT id, kind, order_id, text, raised_at, attempts, not_before FROM alert_outbox WHERE sent_at IS NULL AND given_up_at IS NULL ORDER BY id LIMIT 2000",
    ),
    lastSent: c.prepare<[], { kind: string; at: number }>("SELECT kind, max(sent_at) AS at FROM alert_outbox WHERE sent_at IS NOT NULL GROUP BY kind"),
    prune: c.prepare<[number, number]>("DELETE FROM alert_outbox WHERE sent_at < ? OR given_up_at < ?"),
  };
});

/** What `raise` did with an alert: a new row, a condition's row updated, or the same alert already waiting. */
export type Recorded = "inserted" | "updated" | "duplicate";

/** Writes an alert; joins the caller's transaction when one is open on this connection. */
export function recordAlert(db: Db, alert: { kind: string; orderId: string | null; text: string; condition: boolean; subject?: string | null }, now: number): Recorded {
  const s = statements(db);
  const subject = alert.subject ?? null;
  if (alert.condition && alert.orderId === null) {
    if (s.updateCondition.run(alert.text, alert.kind, subject).changes > 0) return "updated";
  } else if (alert.orderId !== null && s.samePending.get(alert.kind, alert.orderId, alert.text)) {
    return "duplicate";
  }
  s.insert.run(alert.kind, alert.orderId, alert.text, subject, now);
  return "inserted";
}

export function pendingAlerts(db: Db): OutboxRow[] {
  return statements(db)
    .pending.all()
    .map((row) => ({ id: row.id, kind: row.kind, orderId: row.order_id, text: row.text, raisedAt: row.raised_at, attempts: row.attempts, notBefore: row.not_before }));
}

export function markAlertsSent(db: Db, ids: readonly number[], at: number): void {
  if (ids.length === 0) return;
  db.$client.prepare(`UPDATE alert_outbox SET sent_at = ? WHERE id IN (${ids.map(() => "?").join(",")})`).run(at, ...ids);
}

/** Telegram refused a message with these alerts: each is tried alone from now on, after `notBefore`. */
export function markAlertsRefused(db: Db, ids: readonly number[], error: string, notBefore: number): void {
  if (ids.length === 0) return;
  db.$client
    .prepare(`UPDATE alert_outbox SET attempts = attempts + 1, last_error = ?, not_before = ? WHERE id IN (${ids.map(() => "?").join(",")})`)
    .run(error, notBefore, ...ids);
}

export function giveUpAlert(db: Db, id: number, error: string, at: number): void {
  db.$client.prepare("UPDATE alert_outbox SET attempts = attempts + 1, last_error = ?, given_up_at = ? WHERE id = ?").run(error, at, id);
}

/** When each kind last went out (cooldowns and pacing hold across a restart). */
export function lastSentByKind(db: Db): Map<string, number> {
  return new Map(statements(db).lastSent.all().map((row) => [row.kind, row.at]));
}

/** Forgets alerts sent or given up before `before`. */
export function pruneAlerts(db: Db, before: number): number {
  return statements(db).prune.run(before, before).changes;
}
