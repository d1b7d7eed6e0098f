// The reminder before a dispute's evidence is due (ops/dispute-due.ts) over a real SQLite database: two days ahead,
// once per dispute, never for one answered, past due or closed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../src/db/connection.js";
import { getDispute, recordEvidenceSubmitted, upsertDispute } from "../../src/orders/disputes.js";
import type { Alert } from "../../src/ops/alerts.js";
import { DISPUTE_DUE_NOTICE_MS, remindDisputesDue } from "../../src/ops/dispute-due.js";

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const HOUR = 3_600_000;

let dir: string;
let db: Db;
let raised: Alert[];
const deps = (now = NOW) => ({ db, now: () => now, alerts: { raise: (alert: Alert) => void raised.push(alert) } });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "dispute-due-"));
  db = openDatabase(join(dir, "d.sqlite"));
  raised = [];
});
afterEach(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

function dispute(id: string, dueIn: number | null, status = "needs_response"): void {
  upsertDispute(db, { id, orderId: `ORD-${id.slice(-8).toUpperCase().padStart(8, "0")}`, chargeId: null, paymentIntentId: null, amount: 2_199, currency: "usd", reason: "fraudulent", status, evidenceDueBy: dueIn === null ? null : NOW + dueIn }, NOW - HOUR);
}

describe("the dispute evidence reminder", () => {
  it("fires for evidence due within two days, not for one due a minute later", () => {
    dispute("du_inside", DISPUTE_DUE_NOTICE_MS);
    dispute("du_outside", DISPUTE_DUE_NOTICE_MS + 60_000);
    expect(remindDisputesDue(deps())).toBe(1);
    expect(raised).toEqual([
      { kind: "dispute_due", orderId: "ORD-U_INSIDE", text: "ORD-U_INSIDE: dispute du_inside (fraudulent, $21.99) needs its evidence by 2026-11-29 12:00 UTC, in about 48 h; none was sent" },
    ]);
    expect(getDispute(db, "du_inside")!.dueAlertedAt).toBe(NOW);
    expect(getDispute(db, "du_outside")!.dueAlertedAt).toBeNull();
    // A minute later the second one enters the window.
    expect(remindDisputesDue(deps(NOW + 60_000))).toBe(1);
    expect(raised).toHaveLength(2);
    expect(raised[1]!.text).toContain("dispute du_outside (fraudulent, $21.99) needs its evidence by 2026-11-29 12:01 UTC");
  });

  it("fires once per dispute, however often it runs", () => {
    dispute("du_once", 10 * HOUR);
    expect(remindDisputesDue(deps())).toBe(1);
    expect(remindDisputesDue(deps(NOW + HOUR))).toBe(0);
    expect(remindDisputesDue(deps(NOW + 2 * HOUR))).toBe(0);
    expect(raised).toHaveLength(1);
  });

  it("stays quiet for a dispute answered, past due, closed, under review, or without a due date", () => {
    dispute("du_answered", HOUR);
    recordEvidenceSubmitted(db, "du_answered", "admin:42", "under_review", NOW - 1);
    // Stripe's status after our submission came back too: it would be excluded by its status alone; the column
    // alone must do it as well.
    db.$client.prepare("UPDATE disputes SET status = 'needs_response' WHERE id = 'du_answered'").run();
    dispute("du_past", -HOUR);
    dispute("du_won", HOUR, "won");
    dispute("du_review", HOUR, "under_review");
    dispute("du_undated", null);
    expect(remindDisputesDue(deps())).toBe(0);
    expect(raised).toEqual([]);
  });

  it("takes Stripe's warning_needs_response (an inquiry) as waiting for evidence too", () => {
    dispute("du_inquiry", HOUR, "warning_needs_response");
    expect(remindDisputesDue(deps())).toBe(1);
  });
});

describe("recording the evidence as sent", () => {
  it("records it once, with who sent it: a second record changes nothing", () => {
    dispute("du_sent", HOUR);
    expect(recordEvidenceSubmitted(db, "du_sent", "admin:42", "under_review", NOW)).toBe(true);
    expect(recordEvidenceSubmitted(db, "du_sent", "admin:7", "under_review", NOW + 1)).toBe(false);
    expect(getDispute(db, "du_sent")).toMatchObject({ evidenceSubmittedAt: NOW, evidenceSubmittedBy: "admin:42", status: "under_review" });
  });
});
