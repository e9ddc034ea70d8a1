import { isPlainObject, setEntry } from '../plain-object.js';

/** The model sections an `include` imports resources into. */
export const IMPORTED_SECTIONS = ['services', 'volumes', 'networks', 'secrets', 'configs', 'models'] as const;

/** Resources held out of a file's per-document passes, with each section's key order. */
export interface HeldResources {
  sections: Array<{ section: string; order: string[]; held: Map<string, unknown> }>;
}

/**
 * Takes out of `model` the resources an `include` of this document brought in and the merge left
 * untouched (the very object imported, not merged into an earlier file's). The included file's
 * own load already ran the per-document passes (unicity, schema check, canonical form) on them,
 * and those passes give their own output back unchanged, so running them again, once per level
 * of include, is work with no effect: it was half of what a nested project's resolve spent.
 * Returns undefined when there is nothing to hold out. Put them back with {@link restoreHeld}.
 */
export function holdImported(model: Record<string, unknown>, imported: ReadonlySet<unknown>): HeldResources | undefined {
  if (imported.size === 0) return undefined;
  const sections: HeldResources['sections'] = [];
  for (const section of IMPORTED_SECTIONS) {
    const resources = model[section];
    if (!isPlainObject(resources)) continue;
    const held = new Map<string, unknown>();
    const rest: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(resources)) {
      if (imported.has(value)) held.set(name, value);
      else setEntry(rest, name, value);
    }
    if (held.size === 0) continue;
    sections.push({ section, order: Object.keys(resources), held });
    model[section] = rest;
  }
  return sections.length === 0 ? undefined : { sections };
}

/** Puts held resources back into `model`, each section in its original key order. */
export function restoreHeld(model: Record<string, unknown>, held: HeldResources | undefined): Record<string, unknown> {
  if (!held) return model;
  for (const { section, order, held: resources } of held.sections) {
    const processed = isPlainObject(model[section]) ? model[section] : {};
    const restored: Record<string, unknown> = {};
    for (const name of order) {
      if (resources.has(name)) setEntry(restored, name, resources.get(name));
      else if (Object.hasOwn(processed, name)) setEntry(restored, name, processed[name]);
    }
    for (const [name, value] of Object.entries(processed)) if (!Object.hasOwn(restored, name)) setEntry(restored, name, value);
    model[section] = restored;
  }
  return model;
}
