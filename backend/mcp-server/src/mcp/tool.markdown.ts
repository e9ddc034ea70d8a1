import type { Tool, ToolFacets, ToolPage } from '@codiesvibe/shared/domain';

// Markdown is what MCP clients show to people and feed to models; the same data also goes out as
// structured content for programs.

/** `$20/mo` style price note, or the empty string when the tool has no starting price. */
function priceNote(tool: Tool): string {
  const from = tool.pricing.monthlyPriceFrom;
  return from === undefined ? '' : ` (from $${from}/mo)`;
}

function pricingText(tool: Tool): string {
  return `${tool.pricing.model}${priceNote(tool)}`;
}

function openSourceText(tool: Tool): string {
  if (!tool.openSource) return 'no';
  return tool.license ? `yes (${tool.license})` : 'yes';
}

/** One tool as a markdown document: what `get_tool` and `tool://{slug}` return. */
export function toolToMarkdown(tool: Tool): string {
  const lines = [
    `# ${tool.name}`,
    '',
    `> ${tool.tagline}`,
    '',
    tool.description,
    '',
    `- Slug: \`${tool.slug}\``,
    `- Categories: ${tool.categories.join(', ')}`,
    `- Pricing: ${pricingText(tool)}`,
    `- Platforms: ${tool.platforms.join(', ')}`,
    `- Open source: ${openSourceText(tool)}`,
    `- Website: ${tool.website}`,
  ];
  if (tool.repository) lines.push(`- Repository: ${tool.repository}`);
  if (tool.tags.length > 0) lines.push(`- Tags: ${tool.tags.join(', ')}`);
  return lines.join('\n');
}

/** A search result page as a numbered markdown list with the paging hint. */
export function toolPageToMarkdown(page: ToolPage): string {
  if (page.items.length === 0) return 'No tools match this search. Try fewer filters or other words.';
  const lines = [`Found ${page.total} tool${page.total === 1 ? '' : 's'}; showing ${page.items.length}.`, ''];
  if (page.correctedQuery) lines.unshift(`No tool matched the query as written; these are the results for "${page.correctedQuery}".`);
  page.items.forEach((tool, index) => {
    lines.push(
      `${index + 1}. **${tool.name}** (\`${tool.slug}\`): ${tool.tagline}`,
      `   ${tool.categories.join(', ')} · ${pricingText(tool)} · ${tool.platforms.join(', ')}${tool.openSource ? ' · open source' : ''}`,
    );
  });
  if (page.nextCursor) lines.push('', `More results: call again with cursor "${page.nextCursor}".`);
  return lines.join('\n');
}

/** Category counts as a markdown list, in the directory's display order. */
export function categoriesToMarkdown(facets: ToolFacets): string {
  const lines = [`${facets.total} tools in the directory, by category:`, ''];
  for (const { value, count } of facets.categories) lines.push(`- ${value}: ${count}`);
  return lines.join('\n');
}

/** A table cell: pipes would end the cell and newlines the row. */
function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');
}

const COMPARISON_ROWS: { label: string; value: (tool: Tool) => string }[] = [
  { label: 'Tagline', value: (tool) => tool.tagline },
  { label: 'Categories', value: (tool) => tool.categories.join(', ') },
  { label: 'Pricing', value: pricingText },
  { label: 'Platforms', value: (tool) => tool.platforms.join(', ') },
  { label: 'Open source', value: openSourceText },
  { label: 'Tags', value: (tool) => tool.tags.join(', ') || '-' },
  { label: 'Website', value: (tool) => tool.website },
  { label: 'Repository', value: (tool) => tool.repository ?? '-' },
];

/** Tools side by side: one column per tool, one row per attribute. */
export function comparisonToMarkdown(tools: Tool[]): string {
  const header = `| | ${tools.map((tool) => cell(tool.name)).join(' | ')} |`;
  const divider = `|---|${tools.map(() => '---').join('|')}|`;
  const rows = COMPARISON_ROWS.map(
    ({ label, value }) => `| **${label}** | ${tools.map((tool) => cell(value(tool))).join(' | ')} |`,
  );
  return [header, divider, ...rows].join('\n');
}
