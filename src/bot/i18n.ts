// Translations (@grammyjs/i18n, Fluent files in locales/), usable in the bot and, by locale, in the worker.
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { I18n } from "@grammyjs/i18n";
import type { Context } from "grammy";

export const LOCALES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../locales");

export type Translate = (locale: string, key: string, variables?: Record<string, string | number>) => string;

export function createI18n<C extends Context>(localeOf: (ctx: C) => string | undefined): I18n<C> {
  return new I18n<C>({
    defaultLocale: "en",
    directory: LOCALES_DIR,
    // Isolation marks around variables would end up inside the codes customers copy.
    fluentBundleOptions: { useIsolating: false },
    localeNegotiator: (ctx) => localeOf(ctx) ?? "en",
  });
}
