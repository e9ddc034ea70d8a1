import type { ReactNode } from 'react';
import type { Tool } from '@codiesvibe/shared/domain';
import { CompareToggle } from '../compare/compare-toggle.js';
import { Link } from '../routing/router.js';
import { paths } from '../routing/routes.js';
import { ToolAvatar } from './tool-avatar.js';
import { CATEGORY_LABELS, PLATFORM_LABELS, PRICING_LABELS } from './tool-labels.js';

/** One tool in a result list: name, tagline and the facts people filter by. */
export function ToolCard({ tool, extra }: { tool: Tool; extra?: ReactNode }) {
  return (
    <article className="tool-card">
      <header className="tool-card-header">
        <ToolAvatar slug={tool.slug} name={tool.name} />
        <div>
          <h3 className="tool-card-title">
            <Link to={paths.tool(tool.slug)}>{tool.name}</Link>
          </h3>
          <p className="tool-card-tagline">{tool.tagline}</p>
        </div>
      </header>
      <ul className="badge-list" aria-label="Facts">
        <li className={`badge badge-pricing badge-${tool.pricing.model}`}>
          {PRICING_LABELS[tool.pricing.model]}
        </li>
        {tool.openSource && tool.pricing.model !== 'open-source' && (
          <li className="badge badge-oss">Open source</li>
        )}
        {tool.categories.slice(0, 2).map((category) => (
          <li key={category} className="badge">
            {CATEGORY_LABELS[category]}
          </li>
        ))}
      </ul>
      <p className="tool-card-platforms">
        <span className="visually-hidden">Platforms: </span>
        {tool.platforms.map((platform) => PLATFORM_LABELS[platform]).join(' · ')}
      </p>
      {extra}
      <CompareToggle tool={tool} className="tool-card-compare" />
    </article>
  );
}
