// Customers: one row per Telegram user who ever talked to the bot, with the language they use.
import { eq, sql } from "drizzle-orm";
import { perDatabase, type Db } from "../db/connection.js";
import { customers } from "../db/schema.js";
import { nearestLocale, type Locale } from "../lib/locales.js";

export type CustomerRow = typeof customers.$inferSelect;


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
      // The nearest language the shop speaks ("pt-br" → pt-BR, "es-419" → es), English when none is near.
      language: nearestLocale(user.languageCode),
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

export function setCustomerLanguage(db: Db, id: number, language: Locale, now: number): void {
  db.update(customers).set({ language, updatedAt: now }).where(eq(customers.id, id)).run();
}

export function markCustomerBlocked(db: Db, id: number, now: number): void {
  db.update(customers).set({ blockedAt: now, updatedAt: now }).where(eq(customers.id, id)).run();
}

export function markCustomerUnblocked(db: Db, id: number, now: number): void {
  db.update(customers).set({ blockedAt: null, updatedAt: now }).where(eq(customers.id, id)).run();
}
