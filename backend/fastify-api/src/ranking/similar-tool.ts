import { toolTextWords, type SearchIntent, type Tool } from '@codiesvibe/shared/domain';

const compact = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The tool a user named in "alternative to X": exact name or slug first ("bolt.new" → Bolt.new),
 * then a name that starts or ends with it ("copilot" → GitHub Copilot). When the words as written
 * name no tool, their tail is tried ("vs code copilot" → "copilot"): leading words are often
 * what the user wants besides ("a vs code copilot alternative").
 */
export function findNamedTool(tools: readonly Tool[], name: string): Tool | undefined {
  const words = name.split(/\s+/).filter(Boolean);
  for (let start = 0; start < words.length; start++) {
    const found = findByName(tools, words.slice(start).join(' '));
    if (found) return found;
  }
  return undefined;
}

function findByName(tools: readonly Tool[], name: string): Tool | undefined {
  const wanted = compact(name);
  if (wanted.length < 2) return undefined;
  const exact = tools.find((tool) => compact(tool.name) === wanted || compact(tool.slug) === wanted);
  if (exact || wanted.length < 4) return exact;
  return tools.find((tool) => compact(tool.name).endsWith(wanted) || compact(tool.name).startsWith(wanted));
}

/**
 * Turns "alternatives to X" into a query for what X is: X's categories (unless the user named
 * some) and X's tags as search words. X itself is what the user wants to replace, so the caller
 * leaves it out.
 */
export function expandSimilarTo(
  reference: Tool,
  intent: SearchIntent,
  searchTerms: readonly string[],
): { intent: SearchIntent; searchTerms: string[] } {
  const categories = intent.categories.length > 0 ? intent.categories : reference.categories;
  const terms = new Set([...searchTerms, ...reference.tags.flatMap(toolTextWords)]);
  return { intent: { ...intent, categories }, searchTerms: [...terms] };
}
