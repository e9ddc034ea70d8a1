import type { Tool } from '@codiesvibe/shared/domain';
import { CATEGORY_LABELS, PLATFORM_LABELS, PRICING_LABELS } from '../tools/tool-labels.js';

/** One tool's value in a row: plain text, a list, or a link. `key` decides equality. */
export type CompareCell =
  | { kind: 'text'; key: string; text: string }
  | { kind: 'list'; key: string; items: string[] }
  | { kind: 'link'; key: string; href: string; text: string };

export interface CompareRow {
  id: string;
  label: string;
  cells: CompareCell[];
  /** True when not every tool has the same value (what "only differences" keeps). */
  differs: boolean;
}

const text = (value: string): CompareCell => ({ kind: 'text', key: value, text: value });
const list = (items: string[], none: string): CompareCell =>
  items.length === 0 ? text(none) : { kind: 'list', key: [...items].sort().join('\n'), items };

/** The address without its scheme and trailing slash: what people read in a link. */
export function displayUrl(href: string): string {
  return href.replace(/^https?:\/\//, '').replace(/\/$/, '');
}

const link = (href: string | undefined, none: string): CompareCell =>
  href ? { kind: 'link', key: href, href, text: displayUrl(href) } : text(none);

function pricing(tool: Tool): string {
  const { model, monthlyPriceFrom } = tool.pricing;
  return monthlyPriceFrom
    ? `${PRICING_LABELS[model]}, from $${monthlyPriceFrom}/month`
    : PRICING_LABELS[model];
}

function license(tool: Tool): string {
  if (tool.license) return tool.license;
  return tool.openSource ? 'Not stated' : 'Proprietary';
}

const ROWS: { id: string; label: string; cell: (tool: Tool) => CompareCell }[] = [
  { id: 'pricing', label: 'Pricing', cell: (tool) => text(pricing(tool)) },
  {
    id: 'platforms',
    label: 'Platforms',
    cell: (tool) =>
      list(
        tool.platforms.map((p) => PLATFORM_LABELS[p]),
        'None',
      ),
  },
  {
    id: 'categories',
    label: 'Categories',
    cell: (tool) =>
      list(
        tool.categories.map((c) => CATEGORY_LABELS[c]),
        'None',
      ),
  },
  { id: 'open-source', label: 'Open source', cell: (tool) => text(tool.openSource ? 'Yes' : 'No') },
  { id: 'license', label: 'License', cell: (tool) => text(license(tool)) },
  { id: 'repository', label: 'Repository', cell: (tool) => link(tool.repository, 'None listed') },
  {
    id: 'tags',
    label: 'Tags',
    cell: (tool) =>
      list(
        tool.tags.map((tag) => `#${tag}`),
        'None',
      ),
  },
  { id: 'website', label: 'Website', cell: (tool) => link(tool.website, 'None listed') },
];

/** The rows of the comparison table, one cell per tool in the given order. */
export function compareRows(tools: readonly Tool[]): CompareRow[] {
  return ROWS.map(({ id, label, cell }) => {
    const cells = tools.map(cell);
    const first = cells[0]?.key;
    return { id, label, cells, differs: cells.some((c) => c.key !== first) };
  });
}
