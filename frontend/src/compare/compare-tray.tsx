import { Link } from '../routing/router.js';
import { paths } from '../routing/routes.js';
import { COMPARE_MAX, COMPARE_MIN } from './compare-selection.js';
import { setPickedTools, togglePickedTool, usePickedTools } from './compare-basket.js';

/** The bar at the bottom of every page (but the comparison itself) while tools are picked. */
export function CompareTray() {
  const picked = usePickedTools();
  if (picked.length === 0) return null;
  const ready = picked.length >= COMPARE_MIN;
  return (
    <>
      <div className="compare-tray-spacer" aria-hidden="true" />
      <aside className="compare-tray" aria-label="Compare selection">
        <div className="container compare-tray-row">
          <p className="compare-tray-title">
            Compare{' '}
            <span className="muted">
              ({picked.length} of {COMPARE_MAX})
            </span>
          </p>
          <ul className="compare-tray-list">
            {picked.map((tool) => (
              <li key={tool.slug}>
                <button
                  type="button"
                  className="chip"
                  aria-label={`Remove ${tool.name} from compare`}
                  onClick={() => togglePickedTool(tool)}
                >
                  {tool.name}
                  <span aria-hidden="true" className="chip-x">
                    ×
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <div className="compare-tray-actions">
            {ready ? (
              <Link className="button" to={paths.compare(picked.map((tool) => tool.slug))}>
                Compare {picked.length} tools
              </Link>
            ) : (
              <span className="muted">Pick one more tool to compare</span>
            )}
            <button type="button" className="link-button" onClick={() => setPickedTools([])}>
              Clear
            </button>
          </div>
        </div>
      </aside>
    </>
  );
}
