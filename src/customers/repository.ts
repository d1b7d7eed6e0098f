// Customers: one row per Telegram user who ever talked to the bot, with the language they use.
import { eq, sql } from "drizzle-orm";
import { perDatabase, type Db } from "../db/connection.js";
import { customers } from "../db/schema.js";

export type CustomerRow = typeof customers.$inferSelect;

export const SUPPORTED_LANGUAGES = ["en", "ru"] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];

/** The shop language for a Telegram language code ("ru-RU" → "ru"), English when we do not speak it. */
export function pickLanguage(telegramLanguage: string | undefined | null): Language {
  const base = telegramLanguage?.toLowerCase().split("-")[0];
  return (SUPPORTED_LANGUAGES as readonly string[]).includes(base ?? "") ? (base as Language) : "en";
}

export interface SeenUser {
  id: number;
  chatId: number;
  username?: string | undefined;
  firstName?: string | undefined;
  languageCode?: string | undefined;
}

/**
 * Records a customer at first contact (language from Telegram) and refreshes their names after that;
 * the chosen language is never overwritten here. A customer who writes again is no longer blocked.
 */
export function upsertCustomer(db: Db, user: SeenUser, now: number): CustomerRow {
  return db
    .insert(customers)
    .values({
      id: user.id,
      chatId: user.chatId,
      username: user.username ?? null,
      firstName: user.firstName ?? null,
      telegramLanguage: user.languageCode ?? null,
      language: pickLanguage(user.languageCode),
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: customers.id,
      set: {
        chatId: user.chatId,
        username: user.username ?? null,
        firstName: user.firstName ?? null,
        blockedAt: null,
        updatedAt: sql`CASE WHEN ${customers.updatedAt} < ${now} THEN ${now} ELSE ${customers.updatedAt} END`,
      },
    })
    .returning()
    .get();
}

const byId = perDatabase((db) => db.select().from(customers).where(eq(customers.id, sql.placeholder("id"))).prepare());

export function getCustomer(db: Db, id: number): CustomerRow | undefined {
  return byId(db).get({ id });
}

export function setCustomerLanguage(db: Db, id: number, language: Language, now: number): void {
  db.update(customers).set({ language, updatedAt: now }).where(eq(customers.id, id)).run();
}

export function markCustomerBlocked(db: Db, id: number, now: number): void {
  db.update(customers).set({ blockedAt: now, updatedAt: now }).where(eq(customers.id, id)).run();
}
