import { toolTextWords, type SearchIntent, type Tool } from '@codiesvibe/shared/domain';

const compact = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The tool a user named in "alternative to X": exact name or slug first ("bolt.new" → Bolt.new),
 * then a name that starts or ends with it ("copilot" → GitHub Copilot); among several, the closest
 * (see `nameDistance`), whatever order the candidates come in. When the words as written name no
 * tool, their tail is tried ("vs code copilot" → "copilot"): leading words are often what the
 * user wants besides ("a vs code copilot alternative").
 */
export function findNamedTool(tools: readonly Tool[], name: string): Tool | undefined {
  const words = name.split(/\s+/).filter(Boolean);
  for (let start = 0; start < words.length; start++) {
    const found = findByName(tools, words.slice(start).join(' '));
    if (found) return found;
  }
  return undefined;
}

/**
 * "open source devin", "free greptile": the words besides the qualifiers name a tool the wish
 * rules out (closed source, or paid only). The user wants the tool's kind, not the tool: it is
 * read as "an alternative to X". A tool that fits the wish is left alone ("free aider" finds Aider).
 */
export function findRuledOutTool(tools: readonly Tool[], name: string, intent: SearchIntent): Tool | undefined {
  const named = findByName(tools, name, { exactOnly: true });
  if (!named) return undefined;
  const wantsOpen = intent.openSource === true && !named.openSource;
  const wantsFree = intent.pricing.includes('free') && named.pricing.model === 'paid';
  return wantsOpen || wantsFree ? named : undefined;
}

function findByName(tools: readonly Tool[], name: string, { exactOnly = false } = {}): Tool | undefined {
  const wanted = compact(name);
  if (wanted.length < 2) return undefined;
  const partial = !exactOnly && wanted.length >= 4;
  let best: { tool: Tool; distance: number } | undefined;
  for (const tool of tools) {
    const distance = nameDistance(tool, wanted, partial);
    if (distance === undefined) continue;
    // Slugs are unique, so the slug settles any tie and the answer never depends on which
    // candidate came first (retrieval order changes with the query and the directory's size).
    if (!best || distance < best.distance || (distance === best.distance && tool.slug < best.tool.slug))
      best = { tool, distance };
  }
  return best?.tool;
}

/**
 * How far a tool is from the name the user wrote (`wanted`, compacted), closest 0: its name 0, its
 * slug 1; a name that starts or ends with it, 1 + the letters the words leave out. That is the
 * name the words cover the largest share of: "github" is 6 of GitHub Spark's 11 letters and 6 of
 * GitHub Copilot's 13, so it reads as GitHub Spark. The data say nothing about which tool people
 * mean more often, so the rule is one a user can check against the names. Undefined when the tool
 * does not answer to the name.
 */
function nameDistance(tool: Tool, wanted: string, partial: boolean): number | undefined {
  const toolName = compact(tool.name);
  if (toolName === wanted) return 0;
  if (compact(tool.slug) === wanted) return 1;
  if (partial && (toolName.startsWith(wanted) || toolName.endsWith(wanted))) return 1 + toolName.length - wanted.length;
  return undefined;
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
