import { describe, expect, it } from 'vitest';
import { YamlTimestamp } from '../yaml/yaml-timestamp.js';
import { goFormat, goTypeName } from './go-format.js';

describe("Go's %v and %T of decoded YAML values", () => {
  it('prints scalars as fmt does', () => {
    expect([goFormat(null), goFormat(true), goFormat(2), goFormat(1.5), goFormat(1e-7), goFormat('x')]).toEqual(['<nil>', 'true', '2', '1.5', '1e-07', 'x']);
  });

  it('prints lists and mappings with fmt’s brackets, mapping keys in byte order', () => {
    expect(goFormat([1, 'a', null, [true]])).toBe('[1 a <nil> [true]]');
    expect(goFormat({ b: 1, a: { y: [], x: 'z' }, '\u{1F600}': 0, '\uE000': 0 })).toBe('map[a:map[x:z y:[]] b:1 \uE000:0 \u{1F600}:0]');
  });

  it('prints a timestamp as time.Time.String does', () => {
    expect(goFormat(new YamlTimestamp('2024-01-01T00:00:00Z'))).toBe('2024-01-01 00:00:00 +0000 UTC');
    expect(goFormat(new YamlTimestamp('2024-01-01T10:20:30.123-05:30'))).toBe('2024-01-01 10:20:30.123 -0530 -0530');
    expect(goTypeName(new YamlTimestamp('2024-01-01T00:00:00Z'))).toBe('time.Time');
  });
});
