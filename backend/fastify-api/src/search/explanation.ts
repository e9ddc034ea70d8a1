import type { AiSearchResult, SearchIntent } from '@codiesvibe/shared/domain';
import { CATEGORY_NAMES, PLATFORM_NAMES, PRICING_NAMES } from '../ranking/display-names.js';

/** "a, b and c" */
function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** What the search understood, in words: "testing tools for VS Code, free or open source". */
export function describeIntent(intent: SearchIntent): string {
  const parts: string[] = [];
  if (intent.categories.length > 0)
    parts.push(`${list(intent.categories.map((c) => CATEGORY_NAMES[c]))} tools`);
  if (intent.platforms.length > 0) parts.push(`for ${list(intent.platforms.map((p) => PLATFORM_NAMES[p]))}`);
  if (intent.pricing.length > 0)
    parts.push(list(intent.pricing.map((p) => PRICING_NAMES[p])).replace(/ and /g, ' or '));
  if (intent.openSource === true) parts.push('open source');
  if (intent.openSource === false) parts.push('commercial');
  if (intent.text) parts.push(`about "${intent.text}"`);
  return parts.join(', ');
}

/**
 * The built-in explanation, as sentences (the stream sends one chunk per sentence). Says what was
 * understood, why the first tool leads, and what else to look at, using only the tools' own data.
 */
export function templateExplanation(
  query: string,
  intent: SearchIntent,
  results: readonly AiSearchResult[],
): string[] {
  const understood = describeIntent(intent);
  const sentences: string[] = [];
  if (understood) sentences.push(`I read "${query}" as: ${understood}.`);
  const [top, ...rest] = results;
  if (!top) {
    sentences.push('No tool in the directory fits that yet; try fewer conditions or other words.');
    return sentences;
  }
  sentences.push(`${top.tool.name} fits best: ${top.tool.tagline.replace(/\.$/, '')}.`);
  const reasons = top.reasons.filter((reason) => !reason.startsWith('mentions'));
  if (reasons.length > 0) sentences.push(`It matches on ${list(reasons.slice(0, 4))}.`);
  const others = rest.slice(0, 3).map((result) => result.tool.name);
  if (others.length > 0) sentences.push(`Also worth a look: ${list(others)}.`);
  return sentences.map((sentence, index) => (index < sentences.length - 1 ? `${sentence} ` : sentence));
}

/** The ranked tools as the LLM sees them: numbered, with the facts it may use. */
export function toolSummaryForModel(results: readonly AiSearchResult[], max = 5): string {
  return results
    .slice(0, max)
    .map(({ tool, reasons }, index) =>
      [
        `${index + 1}. ${tool.name} — ${tool.tagline}`,
        `   pricing: ${tool.pricing.model}; platforms: ${tool.platforms.join(', ')}; open source: ${tool.openSource ? 'yes' : 'no'}`,
        reasons.length > 0 ? `   why it matched: ${reasons.join('; ')}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    )
    .join('\n');
}
