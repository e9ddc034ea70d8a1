import type { Tool } from '@codiesvibe/shared/domain';
import { namePhraseOf, weightedFieldsOf } from '../../search/relevance.js';
import { nameKeyOf, toTool } from '../tool-record.js';

/** The columns of a `tools` row, as named parameters of the insert and update statements. */
export interface ToolRow {
  slug: string;
  name_key: string;
  created_at: string;
  pricing_model: string;
  open_source: number;
  name_words: string;
  tag_words: string;
  tagline_words: string;
  description_words: string;
  name_phrase: string;
  document: string;
}

/** `' a b c '`: words with a space at each end, so `instr(column, ' a ')` finds a whole word. */
function spaced(words: readonly string[]): string {
  return ` ${words.join(' ')} `;
}

/** The row of a tool; every derived column is recomputed from the tool on every write. */
export function toolRowOf(tool: Tool): ToolRow {
  const words = weightedFieldsOf(tool);
  return {
    slug: tool.slug,
    name_key: nameKeyOf(tool.name),
    created_at: tool.createdAt,
    pricing_model: tool.pricing.model,
    open_source: tool.openSource ? 1 : 0,
    name_words: spaced(words.name),
    tag_words: spaced(words.tags),
    tagline_words: spaced(words.tagline),
    description_words: spaced(words.description),
    name_phrase: ` ${namePhraseOf(tool)} `,
    document: JSON.stringify(toTool(tool)),
  };
}
