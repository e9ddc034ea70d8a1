import type { SearchIntent, Tool } from '@codiesvibe/shared/domain';
import { CATEGORY_NAMES, PLATFORM_NAMES, PRICING_NAMES } from './display-names.js';

/**
 * Weights of the structured part of a query. They are soft: a tool that misses one can still
 * win on text, because users over-specify ("free vscode extension") and a great paid tool is
 * still worth showing below the free ones.
 */
export const INTENT_WEIGHTS = {
  category: 0.6,
  platform: 0.5,
  pricing: 0.4,
  /** A free tier is half an answer to "free". */
  freeTier: 0.2,
  openSource: 0.4,
} as const;

/** How well a tool fits the structured intent, and the reasons a person would read. */
export interface IntentMatch {
  boost: number;
  /** Whether the tool is in one of the intent's categories: it does what the query asks. */
  categoryMatched: boolean;
  /** Whether the tool runs on one of the intent's platforms. */
  platformMatched: boolean;
  reasons: string[];
}

/** Scores a tool against the categories, platforms, pricing and open-source wish of an intent. */
export function matchIntent(tool: Tool, intent: SearchIntent): IntentMatch {
  let boost = 0;
  const reasons: string[] = [];

  const categories = tool.categories.filter((category) => intent.categories.includes(category));
  if (categories.length > 0) {
    // A second matched category adds a little: "agent for tests" prefers a tool that is both.
    boost += INTENT_WEIGHTS.category * (1 + 0.25 * (categories.length - 1));
    reasons.push(`category: ${categories.map((category) => CATEGORY_NAMES[category]).join(', ')}`);
  }

  const platforms = tool.platforms.filter((platform) => intent.platforms.includes(platform));
  if (platforms.length > 0) {
    boost += INTENT_WEIGHTS.platform;
    reasons.push(`works in ${platforms.map((platform) => PLATFORM_NAMES[platform]).join(', ')}`);
  }

  if (intent.pricing.includes(tool.pricing.model)) {
    boost += INTENT_WEIGHTS.pricing;
    reasons.push(
      tool.pricing.model === 'open-source' ? 'free and open source' : `pricing: ${tool.pricing.model}`,
    );
  } else if (intent.pricing.includes('free') && tool.pricing.model === 'freemium') {
    boost += INTENT_WEIGHTS.freeTier;
    reasons.push('has a free tier');
  }

  if (intent.openSource === true && tool.openSource) {
    boost += INTENT_WEIGHTS.openSource;
    reasons.push(tool.license ? `open source (${tool.license})` : 'open source');
  } else if (intent.openSource === false && !tool.openSource) {
    boost += INTENT_WEIGHTS.openSource / 2;
    reasons.push('commercial product');
  }

  return { boost, categoryMatched: categories.length > 0, platformMatched: platforms.length > 0, reasons };
}

/**
 * How well a tool's price fits a monthly budget ("under $20 a month"): a known price within it,
 * or free and open-source tools, fully; a free tier with no price given, as a free tier answers
 * "free"; a price over it or none known for a paid tool, not at all.
 */
export function matchBudget(tool: Tool, budget: { amount: number; inclusive: boolean }): { boost: number; reason?: string } {
  const price = tool.pricing.monthlyPriceFrom;
  if (price !== undefined) {
    const fits = budget.inclusive ? price <= budget.amount : price < budget.amount;
    return fits ? { boost: INTENT_WEIGHTS.pricing, reason: `from $${price} a month` } : { boost: 0 };
  }
  if (tool.pricing.model === 'free' || tool.pricing.model === 'open-source')
    return { boost: INTENT_WEIGHTS.pricing, reason: PRICING_NAMES[tool.pricing.model] };
  if (tool.pricing.model === 'freemium') return { boost: INTENT_WEIGHTS.freeTier, reason: 'has a free tier' };
  return { boost: 0 };
}
