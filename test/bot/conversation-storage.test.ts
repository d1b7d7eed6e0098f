// The conversations plugin's state in SQLite: read on every update, so chats known to have none are
// remembered; what is remembered must never hide a state written since, nor survive a delete.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sqliteConversationStorage } from "../../src/bot/conversation-storage.js";
import { openDatabase, type Db } from "../../src/db/connection.js";

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "convo-"));
  db = openDatabase(join(dir, "shop.sqlite"));
});
afterEach(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

const state = (step: number) => ({ version: [0, "3"] as [0, string], state: { step } });

describe("conversation state storage", () => {
  it("reads what was written after a chat was seen without one, and nothing after a delete", () => {
    const storage = sqliteConversationStorage<{ step: number }>(db, Date.now);
    expect(storage.read("42")).toBeUndefined();
    expect(storage.read("42")).toBeUndefined();
    storage.write("42", state(1) as never);
    expect(storage.read("42")).toEqual(state(1));
    storage.write("42", state(2) as never);
    expect(storage.read("42")).toEqual(state(2));
    storage.delete("42");
    expect(storage.read("42")).toBeUndefined();
    storage.write("42", state(3) as never);
    expect(storage.read("42")).toEqual(state(3));
  });

  it("keeps the state across a restart (a new adapter over the same file)", () => {
    sqliteConversationStorage<{ step: number }>(db, Date.now).write("7", state(5) as never);
    expect(sqliteConversationStorage<{ step: number }>(db, Date.now).read("7")).toEqual(state(5));
  });

  it("remembers a bounded number of chats without a state", () => {
    const storage = sqliteConversationStorage<{ step: number }>(db, Date.now, 3);
    for (const key of ["1", "2", "3", "4"]) expect(storage.read(key)).toBeUndefined();
    // "1" was forgotten: its state, written behind the adapter's back, is read from the table.
    db.$client.prepare("INSERT INTO conversation_states (key, value, updated_at) VALUES (?, ?, ?)").run("1", JSON.stringify(state(9)), 0);
    expect(storage.read("1")).toEqual(state(9));
  });
});
