// A storage adapter of ours for @grammyjs/conversations: state in SQLite, so a checkout resumes after a restart.
// The plugin reads the state of the chat on every update; most chats have none (customers browsing), and a
// read costs a read transaction, so chats known to have none are remembered (this adapter is the only writer).
import type { VersionedStateStorage, VersionedState } from "@grammyjs/conversations";
import type { Db } from "../db/connection.js";

export function sqliteConversationStorage<S>(db: Db, now: () => number, maxRemembered = 10_000): VersionedStateStorage<string, S> {
  const read = db.$client.prepare<[string], { value: string }>("SELECT value FROM conversation_states WHERE key = ?");
  const write = db.$client.prepare(
    "INSERT INTO conversation_states (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
  );
  const remove = db.$client.prepare("DELETE FROM conversation_states WHERE key = ?");
  const none = new Set<string>();
  const remember = (key: string) => {
    if (none.size >= maxRemembered) none.delete(none.values().next().value!);
    none.add(key);
  };
  return {
    read(key) {
      if (none.has(key)) return undefined;
      const row = read.get(key);
      if (!row) remember(key);
      return row ? (JSON.parse(row.value) as VersionedState<S>) : undefined;
    },
    write(key, state) {
      none.delete(key);
      write.run(key, JSON.stringify(state), now());
    },
    delete(key) {
      remove.run(key);
      remember(key);
    },
  };
}
