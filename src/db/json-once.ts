// A JSON text column parsed once per distinct value: for data read on every request and seldom changed (a
// product's texts in every language, read for each catalog screen), the parse is the read's largest cost.
import { customType } from "drizzle-orm/sqlite-core";

const MAX_VALUES = 10_000;

/**
 * The column's value is parsed the first time it is read and the same frozen object is returned for every
 * later read of the same text; a changed text is a new key, so nothing is ever stale.
 */
export function jsonParsedOnce<T>(name: string) {
  const parsed = new Map<string, T>();
  return customType<{ data: T; driverData: string }>({
    dataType: () => "text",
    toDriver: (value) => JSON.stringify(value),
    fromDriver(text) {
      let value = parsed.get(text);
      if (value === undefined) {
        value = deepFreeze(JSON.parse(text) as T);
        // Texts that no row holds any more would pile up over months of catalog edits: start afresh.
        if (parsed.size >= MAX_VALUES) parsed.clear();
        parsed.set(text, value);
      }
      return value;
    },
  })(name);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
