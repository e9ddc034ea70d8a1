import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lookupPattern, nextPath, PatternCursor } from './tree-path.js';

const TABLE: ReadonlyArray<readonly [string, string]> = [
  ['services.*.ports', 'ports'],
  ['services.*.networks.*', 'network'],
  ['services.web.ports', 'shadowed by the earlier pattern'],
  ['services.*.ports.[]', 'port'],
  ['volumes.*', 'volume'],
  ['*.*.labels', 'labels anywhere at depth 3'],
  ['services.*', 'service'],
];

describe('PatternCursor', () => {
  it.each([
    [['services', 'web', 'ports'], 'ports'],
    [['services', 'web', 'ports', '[]'], 'port'],
    [['services', 'api', 'networks', 'back'], 'network'],
    [['networks', 'x', 'labels'], 'labels anywhere at depth 3'],
    [['services', 'web'], 'service'],
    [['services', 'web', 'image'], undefined],
    [['services', 'a.b', 'ports'], 'ports'],
    [['x-extension', 'ports'], undefined],
  ])('%j → %s', (keys, expected) => {
    let place = PatternCursor.root(TABLE);
    for (const key of keys) place = place.child(key);
    expect(place.value).toBe(expected);
  });

  it('says what lookupPattern says of the same path, for any keys', () => {
    const key = fc.constantFrom('services', 'web', 'api', 'ports', '[]', 'networks', 'volumes', 'labels', 'a.b', 'x', '*');
    fc.assert(
      fc.property(fc.array(key, { maxLength: 6 }), (keys) => {
        let place = PatternCursor.root(TABLE);
        let path = '';
        for (const part of keys) {
          place = place.child(part);
          path = nextPath(path, part);
          expect(place.value).toBe(lookupPattern(TABLE, path));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('is a dead end exactly where no path below it matches a pattern', () => {
    const key = fc.constantFrom('services', 'web', 'ports', '[]', 'networks', 'volumes', 'labels', 'image', 'x');
    fc.assert(
      fc.property(fc.array(key, { maxLength: 4 }), fc.array(key, { minLength: 1, maxLength: 3 }), (keys, below) => {
        let place = PatternCursor.root(TABLE);
        for (const part of keys) place = place.child(part);
        if (!place.isDeadEnd) return;
        let deeper = place;
        for (const part of below) {
          deeper = deeper.child(part);
          expect(deeper.value).toBeUndefined();
        }
      }),
      { numRuns: 2000 },
    );
    expect(PatternCursor.root(TABLE).child('services').child('web').child('image').isDeadEnd).toBe(true);
    expect(PatternCursor.root(TABLE).child('services').child('web').child('networks').isDeadEnd).toBe(false);
    expect(PatternCursor.root(TABLE).child('x').isDeadEnd).toBe(false);
    expect(PatternCursor.root(TABLE).child('x').child('y').child('image').isDeadEnd).toBe(true);
  });
});
