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
  return findNamedTools(tools, name)[0];
}

/**
 * Every tool the name fits as closely as the closest (see `findNamedTool`): "bolt" is Bolt.new
 * and bolt.diy alike. The one the others' descriptions name comes first, being what they are a
 * version of ("Open-source version of Bolt ... the community edition of Bolt.new"), then by slug.
 */
export function findNamedTools(tools: readonly Tool[], name: string): Tool[] {
  const words = name.split(/\s+/).filter(Boolean);
  for (let start = 0; start < words.length; start++) {
    const found = closestByName(tools, words.slice(start).join(' '));
    if (found.length > 0) return found;
  }
  return [];
}

/**
 * "open source devin", "free greptile": the words besides the qualifiers name a tool the wish
 * rules out (closed source, or paid only). The user wants the tool's kind, not the tool: it is
 * read as "an alternative to X". A tool that fits the wish is left alone ("free aider" finds Aider).
 */
export function findRuledOutTool(tools: readonly Tool[], name: string, intent: SearchIntent): Tool | undefined {
  const named = findByName(tools, name, { exactOnly: true });
  return named && isRuledOut(named, intent) ? named : undefined;
}

/** Whether the query's license or price wish rules the tool out (closed source, or paid only). */
export function isRuledOut(tool: Tool, intent: SearchIntent): boolean {
  const wantsOpen = intent.openSource === true && !tool.openSource;
  const wantsFree = intent.pricing.includes('free') && tool.pricing.model === 'paid';
  return wantsOpen || wantsFree;
}

function findByName(tools: readonly Tool[], name: string, { exactOnly = false } = {}): Tool | undefined {
  return closestByName(tools, name, { exactOnly })[0];
}

function closestByName(tools: readonly Tool[], name: string, { exactOnly = false } = {}): Tool[] {
  const wanted = compact(name);
  if (wanted.length < 2) return [];
  const partial = !exactOnly && wanted.length >= 4;
  const fits = tools.flatMap((tool) => {
    const distance = nameDistance(tool, wanted, partial);
    return distance === undefined ? [] : [{ tool, distance }];
  });
  const closest = Math.min(...fits.map((fit) => fit.distance));
  const tied = fits.filter((fit) => fit.distance === closest).map((fit) => fit.tool);
  // Slugs are unique, so the slug settles any tie and the answer never depends on which
  // candidate came first (retrieval order changes with the query and the directory's size).
  const namedByOthers = (tool: Tool) => tied.filter((other) => other !== tool && mentions(other, tool)).length;
  return tied.sort((a, b) => namedByOthers(b) - namedByOthers(a) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}

/** Whether `tool` names `other` in its tagline or description. */
function mentions(tool: Tool, other: Tool): boolean {
  return compact(`${tool.tagline} ${tool.description}`).includes(compact(other.name));
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

/**
 * How alike a tool is to the one the user named, from 0 to 1.25: the share of the named tool's
 * tags it has as whole tags ("vscode-fork", not "vscode" and "fork" apart), plus a quarter when it
 * is in the named tool's first category, what it is first of all (Cursor is an IDE first).
 */
export function likeness(tool: Tool, reference: Tool): number {
  const sharedTags = reference.tags.filter((tag) => tool.tags.includes(tag)).length / (reference.tags.length || 1);
  const primary = reference.categories[0];
  return sharedTags + (primary !== undefined && tool.categories.includes(primary) ? 0.25 : 0);
}
