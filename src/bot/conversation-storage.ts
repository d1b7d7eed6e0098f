// A storage adapter of ours for @grammyjs/conversations: state in SQLite, so a checkout resumes after a restart.
import type { VersionedStateStorage, VersionedState } from "@grammyjs/conversations";
import type { Db } from "../db/connection.js";

export function sqliteConversationStorage<S>(db: Db, now: () => number): VersionedStateStorage<string, S> {
  const read = db.$client.prepare<[string], { value: string }>("SELECT value FROM conversation_states WHERE key = ?");
  const write = db.$client.prepare(
    "INSERT INTO conversation_states (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
  );
  const remove = db.$client.prepare("DELETE FROM conversation_states WHERE key = ?");
  return {
    read(key) {
      const row = read.get(key);
      return row ? (JSON.parse(row.value) as VersionedState<S>) : undefined;
    },
    write(key, state) {
      write.run(key, JSON.stringify(state), now());
    },
    delete(key) {
      remove.run(key);
    },
  };
}
