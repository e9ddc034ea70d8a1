import { useState } from 'react';
import { COMPARE_MAX } from './compare-selection.js';
import { type PickedTool, togglePickedTool, usePickedTools } from './compare-basket.js';

/**
 * The "Compare" checkbox of a tool card or tool page. A fifth pick is refused with a message next
 * to the box (the tray at the bottom of the page lists what to remove).
 */
export function CompareToggle({ tool, className }: { tool: PickedTool; className?: string }) {
  const picked = usePickedTools();
  const [refused, setRefused] = useState(false);
  const checked = picked.some((entry) => entry.slug === tool.slug);
  return (
    <div className={`compare-toggle${className ? ` ${className}` : ''}`}>
      <label>
        <input type="checkbox" checked={checked} onChange={() => setRefused(!togglePickedTool(tool))} />
        Compare<span className="visually-hidden"> {tool.name}</span>
      </label>
      <span role="status" className="compare-refused">
        {refused && !checked ? `Up to ${COMPARE_MAX} tools: remove one first.` : ''}
      </span>
    </div>
  );
}
