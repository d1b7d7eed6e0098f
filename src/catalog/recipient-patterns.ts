// Recipient patterns of top-ups (a phone number, a player id): checked and compiled once, when the catalog is
// loaded (the file at start, the supplier's products at each sync), kept in memory by product. The checkout
// only runs a compiled pattern; it never compiles one from what the database or a customer holds.
import { checkSync } from "recheck";
import { perDatabase, type Db } from "../db/connection.js";
import type { RecipientRule } from "../db/schema.js";

/** The longest recipient a customer may send: a pattern never runs on more. */
export const RECIPIENT_MAX_LENGTH = 64;
/** The longest pattern the catalog (or the supplier) may give. */
export const PATTERN_MAX_LENGTH = 200;
/**
 * The highest polynomial degree of backtracking let through. With at most RECIPIENT_MAX_LENGTH characters a
 * cubic pattern takes about 64³ steps (well under a millisecond); exponential ones are refused whatever the cap.
 */
const MAX_POLYNOMIAL_DEGREE = 3;

export type PatternVerdict = { ok: true; regex: RegExp } | { ok: false; reason: string };

// The same source always gets the same verdict: it is checked once per process (recheck takes milliseconds a
// pattern, the first one a few hundred while it warms up).
const verdicts = new Map<string, PatternVerdict>();

/**
 * Checks and compiles a recipient pattern: valid, at most PATTERN_MAX_LENGTH characters, anchored (it must match
 * the whole input: `^(?:…)$`), and free of catastrophic backtracking. The check is recheck's (automata theory
 * with a fuzzing fallback), which finds what star-height heuristics miss, like `^(a|a)*$` or `^(\d|\d\d)+$`.
 */
export function compileRecipientPattern(source: string): PatternVerdict {
  let verdict = verdicts.get(source);
  if (!verdict) {
    verdict = check(source);
    verdicts.set(source, verdict);
  }
  return verdict;
}

function check(source: string): PatternVerdict {
  if (source.length === 0) return { ok: false, reason: "is empty" };
  if (source.length > PATTERN_MAX_LENGTH) return { ok: false, reason: `is ${source.length} characters long; at most ${PATTERN_MAX_LENGTH} are taken` };
  const anchored = `^(?:${source})$`;
  let regex: RegExp;
  try {
    regex = new RegExp(anchored);
  } catch {
    return { ok: false, reason: "must be a valid regular expression" };
  }
  // recheck's in-process checker: no worker thread and no helper process (its default starts both).
  process.env["RECHECK_SYNC_BACKEND"] ??= "pure";
  const diagnostics = checkSync(anchored, "", { timeout: 5_000 });
  if (diagnostics.status === "safe") return { ok: true, regex };
  if (diagnostics.status === "vulnerable") {
    const complexity = diagnostics.complexity;
    if (complexity.type === "polynomial" && complexity.degree <= MAX_POLYNOMIAL_DEGREE) return { ok: true, regex };
    const how = complexity.type === "exponential" ? "exponential" : `polynomial of degree ${complexity.degree}`;
    return { ok: false, reason: `could backtrack catastrophically (${how} time on an input like ${JSON.stringify(diagnostics.attack.string.slice(0, 40))}); rewrite it without nested or overlapping repetition` };
  }
  return { ok: false, reason: `could not be proven safe from catastrophic backtracking (${diagnostics.error.kind}); simplify it` };
}

/** The compiled patterns of one database's products, by sku, with the source each was compiled from. */
const compiled = perDatabase((_db: Db) => new Map<string, { source: string; regex: RegExp }>());

export interface RefusedPattern {
  sku: string;
  reason: string;
}

/**
 * Compiles the pattern of every product given (those without a recipient rule are skipped) and keeps it for the
 * checkout. Returns the refused ones: those products accept no recipient until their pattern is fixed.
 */
export function loadRecipientPatterns(db: Db, products: ReadonlyArray<{ sku: string; recipientRule: RecipientRule | null }>): RefusedPattern[] {
  const refused: RefusedPattern[] = [];
  const patterns = compiled(db);
  for (const product of products) {
    if (!product.recipientRule) continue;
    const verdict = compileRecipientPattern(product.recipientRule.pattern);
    if (verdict.ok) patterns.set(product.sku, { source: product.recipientRule.pattern, regex: verdict.regex });
    else {
      patterns.delete(product.sku);
      refused.push({ sku: product.sku, reason: verdict.reason });
    }
  }
  return refused;
}

/**
 * The compiled pattern of a product, when its rule is the one compiled at load; undefined otherwise (a refused
 * pattern, or a rule changed in the database behind the shop's back), and then no recipient is accepted.
 */
export function recipientPattern(db: Db, product: { sku: string; recipientRule: RecipientRule | null }): RegExp | undefined {
  const entry = compiled(db).get(product.sku);
  return entry && product.recipientRule && entry.source === product.recipientRule.pattern ? entry.regex : undefined;
}
