import type { ToolInput } from '../domain/tool.js';
import {
  PRICING_MODELS,
  TOOL_CATEGORIES,
  TOOL_PLATFORMS,
  type PricingModel,
  type ToolCategory,
  type ToolPlatform,
} from '../domain/vocabulary.js';
import {
  CATEGORY_WORDS,
  CLOSING_SENTENCES,
  DOMAINS,
  GENERAL_TAGS,
  LICENSES,
  MONTHLY_PRICES,
  NAME_FIRSTS,
  NAME_SECONDS,
} from './synthetic-vocabulary.js';

export interface SyntheticToolsOptions {
  /** How many tools (0 or more). */
  count: number;
  /** Same seed, same tools; 1 unless told. */
  seed?: number;
}

/** The default seed, so benches and tests that do not choose one see the same directory. */
export const DEFAULT_SYNTHETIC_SEED = 1;

/** mulberry32: a tiny, fast, well-distributed 32-bit PRNG; enough for test data, not for secrets. */
function randomOf(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;

const pick = <T>(random: Random, values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;

/** Up to `count` distinct values, in the order drawn. */
function pickDistinct<T>(random: Random, values: readonly T[], count: number): T[] {
  const chosen = new Set<T>();
  for (let tries = 0; chosen.size < count && tries < count * 8; tries++) chosen.add(pick(random, values));
  return [...chosen];
}

/**
 * Categories are skewed as in a real directory: a few are common, most are rare. The weight of
 * the k-th category is 1/(k+1) (Zipf), over a per-seed shuffle so seeds differ in which are common.
 */
function zipfCategory(random: Random, order: readonly ToolCategory[]): ToolCategory {
  const weights = order.map((_, k) => 1 / (k + 1));
  let point = random() * weights.reduce((sum, weight) => sum + weight, 0);
  for (let k = 0; k < order.length; k++) {
    point -= weights[k] ?? 0;
    if (point <= 0) return order[k] as ToolCategory;
  }
  return order[order.length - 1] as ToolCategory;
}

function shuffled<T>(random: Random, values: readonly T[]): T[] {
  const copy = [...values];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

const PAIRS = NAME_FIRSTS.length * NAME_SECONDS.length;

/** A step coprime to PAIRS, so `index * step mod PAIRS` visits every name pair once before any repeats. */
function coprimeStep(seed: number): number {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  let step = 7 + (Math.abs(seed) % 97) * 2;
  while (gcd(step, PAIRS) !== 1) step++;
  return step;
}

/** Unique for every index: a name pair, and past the pairs a number ("Quill Forge 2"). */
function nameOf(index: number, seed: number): string {
  const pair = (index * coprimeStep(seed) + seed) % PAIRS;
  const first = NAME_FIRSTS[pair % NAME_FIRSTS.length] ?? 'Quill';
  const second = NAME_SECONDS[Math.floor(pair / NAME_FIRSTS.length)] ?? 'Forge';
  const round = Math.floor(index / PAIRS);
  return round === 0 ? `${first} ${second}` : `${first} ${second} ${round + 1}`;
}

const slugOf = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, '-');

const PRICING_WEIGHTS: Record<PricingModel, number> = { free: 0.15, freemium: 0.45, paid: 0.25, 'open-source': 0.15 };

function pricingOf(random: Random): ToolInput['pricing'] {
  let point = random();
  let model: PricingModel = 'freemium';
  for (const candidate of PRICING_MODELS) {
    point -= PRICING_WEIGHTS[candidate];
    if (point <= 0) {
      model = candidate;
      break;
    }
  }
  if (model === 'paid' || model === 'freemium') return { model, monthlyPriceFrom: pick(random, MONTHLY_PRICES) };
  return { model };
}

/** The tool at `index` of the directory of `seed`: independent of how many tools are generated. */
function toolAt(index: number, seed: number, categoryOrder: readonly ToolCategory[]): ToolInput {
  // Each tool has its own stream, so the first N tools of a larger run equal a run of N.
  const random = randomOf(Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35));
  const name = nameOf(index, seed);
  const slug = slugOf(name);

  const categoryCount = 1 + Math.floor(random() * random() * 3);
  const categories = new Set<ToolCategory>();
  for (let tries = 0; categories.size < categoryCount && tries < 12; tries++)
    categories.add(zipfCategory(random, categoryOrder));
  const chosen = [...categories];
  const words = chosen.map((category) => CATEGORY_WORDS[category]);
  const primary = words[0] ?? CATEGORY_WORDS['chat-assistant'];

  const platformPool: ToolPlatform[] = [...new Set(words.flatMap((entry) => entry.platforms))];
  const platforms = pickDistinct(random, platformPool, 1 + Math.floor(random() * Math.min(3, platformPool.length)));
  if (random() < 0.1) platforms.push(...pickDistinct(random, TOOL_PLATFORMS, 1).filter((p) => !platforms.includes(p)));

  const pricing = pricingOf(random);
  const openSource = pricing.model === 'open-source' || random() < 0.12;

  const tags = [
    ...pickDistinct(random, words.flatMap((entry) => entry.tags), 2 + Math.floor(random() * 4)),
    ...pickDistinct(random, GENERAL_TAGS, Math.floor(random() * 3)),
  ];

  const sentences = [
    `${name} ${lowerFirst(pick(random, primary.sentences))}`,
    ...words.slice(1).map((entry) => pick(random, entry.sentences)),
    pick(random, primary.sentences),
    pick(random, CLOSING_SENTENCES),
  ];
  const description = [...new Set(sentences)].join(' ');

  const tool: ToolInput = {
    slug,
    name,
    tagline: pick(random, primary.taglines),
    description,
    website: `https://${slug}.${pick(random, DOMAINS)}`,
    categories: chosen,
    tags: [...new Set(tags)],
    pricing,
    platforms,
    openSource,
  };
  if (openSource) {
    tool.repository = `https://github.com/${slug.split('-')[0] ?? slug}-labs/${slug}`;
    tool.license = pick(random, LICENSES);
  }
  return tool;
}

const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);

/**
 * Realistic, valid tools for benches and tests at scale (10,000 or 100,000): names, taglines,
 * descriptions and tags drawn from the directory's own domain words, categories skewed like a
 * real directory, pricing and platforms weighted. Deterministic: the same seed gives the same
 * tools, and the first N tools of a larger run equal a run of N. Slugs are unique and never
 * collide with the bundled seed's (every synthetic name has two words from invented pools).
 */
export function* syntheticTools(options: SyntheticToolsOptions): Generator<ToolInput> {
  const seed = options.seed ?? DEFAULT_SYNTHETIC_SEED;
  if (!Number.isInteger(options.count) || options.count < 0)
    throw new RangeError(`count must be a whole number of 0 or more, got ${options.count}`);
  const categoryOrder = shuffled(randomOf(seed), TOOL_CATEGORIES);
  for (let index = 0; index < options.count; index++) yield toolAt(index, seed, categoryOrder);
}

/** `syntheticTools` as an array. */
export function generateSyntheticTools(options: SyntheticToolsOptions): ToolInput[] {
  return [...syntheticTools(options)];
}
