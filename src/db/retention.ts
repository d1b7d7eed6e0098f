// Retention: rows that only record work already done (processed webhook events, settled Stars charges, the
// conversation state of checkouts left long ago) are deleted after RETENTION_DAYS, so the database does not
// grow without bound under traffic. Orders, their event log, their codes and disputes are never pruned here.
import type { Db } from "./connection.js";

/** One table's prunable rows: `where` selects them, with `@cutoff` for the oldest time kept (ms). */
export interface RetentionRule {
  table: string;
  where: string;
}

/**
 * What is pruned, one line a table. A replay of a pruned event (Stripe, the supplier, a Stars update) is stored
 * again and applied again, which changes nothing: every event is applied through the order's state machine.
 */
export const RETENTION_RULES: readonly RetentionRule[] = [
  // Processed Stripe events; one still waiting for its order (processed_at NULL) is kept.
  { table: "stripe_events", where: "processed_at IS NOT NULL AND processed_at < @cutoff" },
  { table: "supplier_events", where: "processed_at IS NOT NULL AND processed_at < @cutoff" },
  // Applied Stars charges that are settled: never owed back, or given back. One Telegram would not return stays.
  { table: "stars_payments", where: "processed_at IS NOT NULL AND processed_at < @cutoff AND ((refund_due_at IS NULL AND refund_attempts = 0) OR refunded_at IS NOT NULL)" },
  // (alert_outbox prunes itself: ops/alert-outbox.ts.)
  // Emails settled long ago (their message, with any code, was wiped the moment they were sent or given up).
  { table: "email_outbox", where: "(status = 'sent' AND sent_at < @cutoff) OR (status = 'given_up' AND given_up_at < @cutoff)" },
  // A finished checkout's state is deleted by the conversations plugin; what is left is checkouts abandoned mid-way.
  { table: "conversation_states", where: "updated_at < @cutoff" },
];

/** Rows deleted per statement: a long prune never holds the write lock for long. */
const BATCH = 2_000;

/** Deletes what the rules select older than `retentionDays`; returns the count per table (only tables with any). */
export function pruneOldRows(db: Db, now: number, retentionDays: number, rules: readonly RetentionRule[] = RETENTION_RULES): Record<string, number> {
  const cutoff = now - retentionDays * 86_400_000;
  const deleted: Record<string, number> = {};
  for (const rule of rules) {
    const statement = db.$client.prepare(`DELETE FROM ${rule.table} WHERE rowid IN (SELECT rowid FROM ${rule.table} WHERE ${rule.where} LIMIT ${BATCH})`);
    let total = 0;
    for (;;) {
      const { changes } = statement.run({ cutoff });
      total += changes;
      if (changes < BATCH) break;
    }
    if (total > 0) deleted[rule.table] = total;
  }
  return deleted;
}
