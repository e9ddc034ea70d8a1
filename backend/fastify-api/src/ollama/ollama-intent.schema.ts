import { z } from 'zod';
import {
  PRICING_MODELS,
  TOOL_CATEGORIES,
  TOOL_PLATFORMS,
  type SearchIntent,
} from '@codiesvibe/shared/domain';

/**
 * The JSON schema sent as Ollama's `format`, so the model answers with exactly the intent shape
 * (structured outputs). Enums keep the model inside our vocabulary.
 */
export const INTENT_JSON_SCHEMA = {
  type: 'object',
  properties: {
    categories: { type: 'array', items: { type: 'string', enum: [...TOOL_CATEGORIES] } },
    platforms: { type: 'array', items: { type: 'string', enum: [...TOOL_PLATFORMS] } },
    pricing: { type: 'array', items: { type: 'string', enum: [...PRICING_MODELS] } },
    openSource: { type: ['boolean', 'null'] },
    text: { type: 'string' },
  },
  required: ['categories', 'platforms', 'pricing', 'openSource', 'text'],
} as const;

function vocabulary<T extends string>(values: readonly T[]) {
  // A model may still invent a value; drop it rather than fail the whole intent.
  return z
    .array(z.string())
    .default([])
    .transform((items) => [
      ...new Set(items.filter((item): item is T => (values as readonly string[]).includes(item))),
    ]);
}

const modelIntentSchema = z.object({
  categories: vocabulary(TOOL_CATEGORIES),
  platforms: vocabulary(TOOL_PLATFORMS),
  pricing: vocabulary(PRICING_MODELS),
  openSource: z.boolean().nullish(),
  text: z.string().max(500).default(''),
});

/** Reads the model's JSON answer into a SearchIntent; throws when it is not JSON of that shape. */
export function parseModelIntent(content: string): SearchIntent {
  const parsed = modelIntentSchema.parse(JSON.parse(content));
  const intent: SearchIntent = {
    categories: parsed.categories,
    platforms: parsed.platforms,
    pricing: parsed.pricing,
    text: parsed.text.trim(),
  };
  if (typeof parsed.openSource === 'boolean') intent.openSource = parsed.openSource;
  return intent;
}
