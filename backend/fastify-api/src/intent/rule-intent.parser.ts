import type { PricingModel, SearchIntent, ToolCategory, ToolPlatform } from '@codiesvibe/shared/domain';
import { CODE_LANGUAGES, GENERAL_CODING_RULE, INTENT_RULES, PRICE_CEILING_PATTERN, SIMILAR_TO_PATTERNS, STOP_WORDS } from './intent-vocabulary.js';

/** The rule-based reading of a query: the intent, plus the words the text search should use. */
export interface ParsedQuery {
  intent: SearchIntent;
  /** Content words of the query plus vocabulary expansions, stop words removed. */
  searchTerms: string[];
  /** The content words the user typed, stop words removed: search terms not among them were added. */
  typedTerms: string[];
  /** The tool the user wants alternatives to ("cursor" in "cursor alternative"), as written. */
  similarTo?: string;
  /**
   * The query without its qualifiers (open source, free, self-hosted ...), when it had some:
   * perhaps a tool's name ("devin" in "open source devin"), which the ranker checks against them.
   */
  qualifiedName?: string;
  /**
   * The license the query names outright ("open source" → true, "proprietary" → false): the
   * ranker puts every tool with that license first. Absent when it is only implied.
   */
  requiredOpenSource?: boolean;
  /** What the user does not want, one phrase each ("vscode fork" in "an editor that isn't a vscode fork"). */
  unwanted?: string[];
  /** The most the user will pay a month: "under $20 a month" (20, not inclusive), "at most $20". */
  monthlyBudget?: MonthlyBudget;
  /** Languages and frameworks the query names ("sql" in "ai for writing sql"), see `CODE_LANGUAGES`. */
  codeLanguages?: string[];
}

/** A price limit per month in the directory's currency (USD). */
export interface MonthlyBudget {
  amount: number;
  /** Whether a price of exactly `amount` fits ("up to $20") or not ("under $20"). */
  inclusive: boolean;
}

/** "under $20 a month": the budget, and the query without the phrase. */
function extractMonthlyBudget(query: string): { monthlyBudget?: MonthlyBudget; rest: string } {
  const match = PRICE_CEILING_PATTERN.exec(query);
  const amount = Number(match?.[2] ?? match?.[3]);
  if (!match || !Number.isFinite(amount)) return { rest: query };
  // "under $20" leaves $20 out; "at most $20" and "up to $20" keep it.
  const inclusive = /^(at most|up to|no more than|max|maximum|within)$/.test(match[1] ?? '');
  return { monthlyBudget: { amount, inclusive }, rest: query.replace(match[0], ' ') };
}

/**
 * Finds "alternative to X"-style phrases; returns X and the query without the phrase. Words that
 * lead the name but only qualify the wish ("open source", "free", "self-hosted", "good") are
 * not part of X: they go back to the query, where the intent rules read them.
 */
function extractSimilarTo(query: string): { similarTo?: string; rest: string } {
  for (const pattern of SIMILAR_TO_PATTERNS) {
    const match = pattern.exec(query);
    const written = match?.[1]?.trim();
    if (!match || !written) continue;
    const { name, qualifiers } = splitQualifiers(written);
    if (!STOP_WORDS.has(name)) return { similarTo: name, rest: query.replace(match[0], ` ${qualifiers} `) };
  }
  return { rest: query };
}

/** Rules that only filter (pricing, licence, hosting), never name what a tool is or runs on. */
const QUALIFIER_RULES = INTENT_RULES.filter(
  (rule) => (rule.pricing || rule.openSource !== undefined) && !rule.categories && !rule.platforms,
);

function isQualifier(words: string): boolean {
  return STOP_WORDS.has(words) || isWish(words);
}

/** Words a qualifier rule reads whole: "free", "open source", "self-hosted". */
function isWish(words: string): boolean {
  return QUALIFIER_RULES.some((rule) => rule.pattern.exec(words)?.[0] === words);
}

/**
 * "open source cursor" and "cursor open source" → qualifiers "open source", name "cursor": a wish
 * written before or after the name ("github copilot free alternative") is no part of it. One word
 * always stays.
 */
function splitQualifiers(written: string): { name: string; qualifiers: string } {
  const words = written.split(' ');
  let lead = 0;
  let end = words.length;
  // Before the name, stop words go too ("the best cursor"); after it they may be part of it ("claude code").
  const qualifierAt = (start: number, length: number, orStopWord: boolean) => {
    const phrase = words.slice(start, start + length).join(' ');
    return orStopWord ? isQualifier(phrase) : isWish(phrase);
  };
  while (end - lead > 1) {
    if (end - lead > 2 && qualifierAt(lead, 2, true)) lead += 2;
    else if (qualifierAt(lead, 1, true)) lead += 1;
    else break;
  }
  while (end - lead > 1) {
    if (end - lead > 2 && qualifierAt(end - 2, 2, false)) end -= 2;
    else if (qualifierAt(end - 1, 1, false)) end -= 1;
    else break;
  }
  return { name: words.slice(lead, end).join(' '), qualifiers: [...words.slice(0, lead), ...words.slice(end)].join(' ') };
}

/** Lower-case, fold accents and typographic quotes, "A.I." as "ai", collapse whitespace. */
export function normalizeQuery(query: string): string {
  return query
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[\u2018\u2019]/g, "'")
    .toLowerCase()
    .replace(/(?<![a-z0-9])a\.i\.?(?![a-z0-9])/g, 'ai')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Splits text into search words: letters, digits and inner dashes/dots/pluses ("c++", "node.js"). */
export function tokenize(text: string): string[] {
  return (text.match(/[a-z0-9][a-z0-9+#.-]*[a-z0-9+#]|[a-z0-9]/g) ?? []).filter(
    (word) => !STOP_WORDS.has(word),
  );
}

function addUnique<T>(target: T[], values: readonly T[] | undefined): void {
  for (const value of values ?? []) if (!target.includes(value)) target.push(value);
}

/**
 * Reads a natural-language query with the phrase rules of the intent vocabulary: categories,
 * platforms, pricing and open source, and the free text that is left. Never throws; a query
 * with no known phrase yields an intent with only `text`.
 */
export function parseQuery(query: string): ParsedQuery {
  const normalized = normalizeQuery(query);
  const typedTerms = tokenize(normalized);
  const { monthlyBudget, rest: withoutPrice } = extractMonthlyBudget(normalized);
  const { similarTo, rest } = extractSimilarTo(withoutPrice);
  let remaining = ` ${rest} `;
  const categories: ToolCategory[] = [];
  const platforms: ToolPlatform[] = [];
  const pricing: PricingModel[] = [];
  const searchTerms: string[] = [];
  const unwanted: string[] = [];
  let openSource: boolean | undefined;
  let requiredOpenSource: boolean | undefined;
  // The query without its qualifiers, for `qualifiedName`.
  let unqualified = remaining;
  let anyQualifier = false;

  for (const rule of INTENT_RULES) {
    const match = rule.pattern.exec(remaining);
    if (!match) continue;
    if (QUALIFIER_RULES.includes(rule)) {
      anyQualifier = true;
      unqualified = unqualified.replace(rule.pattern, ' ');
    }
    addUnique(categories, rule.categories);
    addUnique(platforms, rule.platforms);
    addUnique(pricing, rule.pricing);
    // An explicit "open source" wins over an implied one ("self-hosted" suggests it).
    if (rule.openSource !== undefined && openSource === undefined) openSource = rule.openSource;
    if (rule.namesLicense && requiredOpenSource === undefined) requiredOpenSource = rule.openSource;
    if (rule.keepText) addUnique(searchTerms, tokenize(match[0]));
    if (rule.negates && match.groups?.unwanted) addUnique(unwanted, [match.groups.unwanted]);
    addUnique(
      searchTerms,
      rule.expandTo?.flatMap((word) => tokenize(word)),
    );
    // Every occurrence leaves the text ("not cloud-based, no GPU"); one is enough for the intent.
    remaining = remaining.replace(rule.pattern, ' ');
    for (let next = rule.pattern.exec(remaining); next; next = rule.pattern.exec(remaining)) {
      if (rule.keepText) addUnique(searchTerms, tokenize(next[0]));
      if (rule.negates && next.groups?.unwanted) addUnique(unwanted, [next.groups.unwanted]);
      remaining = remaining.replace(rule.pattern, ' ');
    }
  }

  const leftover = tokenize(remaining);
  const codeLanguages = leftover.filter((word) => CODE_LANGUAGES.has(word));
  addUnique(searchTerms, leftover);
  const readNothing = searchTerms.length + categories.length + platforms.length + pricing.length === 0;
  if (readNothing && openSource === undefined && !similarTo && GENERAL_CODING_RULE.pattern.test(normalized)) {
    addUnique(categories, GENERAL_CODING_RULE.categories);
    addUnique(searchTerms, GENERAL_CODING_RULE.expandTo);
  }
  const intent: SearchIntent = { categories, platforms, pricing, text: leftover.join(' ') };
  if (openSource !== undefined) intent.openSource = openSource;
  const wishes = {
    ...(requiredOpenSource === undefined ? {} : { requiredOpenSource }),
    ...(monthlyBudget === undefined ? {} : { monthlyBudget }),
    ...(unwanted.length === 0 ? {} : { unwanted }),
    ...(codeLanguages.length === 0 ? {} : { codeLanguages }),
  };
  if (similarTo) return { intent, searchTerms, typedTerms, similarTo, ...wishes };
  const qualifiedName = anyQualifier ? withoutLeadingStopWords(unqualified) : '';
  return qualifiedName
    ? { intent, searchTerms, typedTerms, qualifiedName, ...wishes }
    : { intent, searchTerms, typedTerms, ...wishes };
}

/** "the best devin" → "devin"; inner stop words stay, they can be part of a name ("claude code"). */
function withoutLeadingStopWords(text: string): string {
  const words = text.trim().split(/\s+/).filter(Boolean);
  while (words.length > 0 && STOP_WORDS.has(words[0] ?? '')) words.shift();
  return words.join(' ');
}
