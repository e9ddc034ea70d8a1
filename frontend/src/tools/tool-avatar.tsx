const PALETTE_SIZE = 8;

/** A stable palette slot for a slug, so neighbouring cards do not all look the same. */
export function avatarTone(slug: string): number {
  let hash = 0;
  for (const char of slug) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % PALETTE_SIZE;
}

/** The tool's initial on a colored tile (the directory has no logos). */
export function ToolAvatar({ slug, name, large = false }: { slug: string; name: string; large?: boolean }) {
  return (
    <span
      className={`tool-avatar tone-${avatarTone(slug)}${large ? ' tool-avatar-large' : ''}`}
      aria-hidden="true"
    >
      {name.slice(0, 1).toUpperCase()}
    </span>
  );
}
