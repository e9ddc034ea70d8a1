import { describe, expect, it } from 'vitest';
import { compareKeys } from '../model/go-format.js';
import { compareYamlKeys, toGoYaml } from './go-yaml.js';

describe('compareYamlKeys (go-yaml v3 map key order)', () => {
  it('compares runs of digits as numbers', () => {
    expect(['web10', 'web2', 'web'].sort(compareYamlKeys)).toEqual(['web', 'web2', 'web10']);
    expect(['9', '10', '1'].sort(compareYamlKeys)).toEqual(['1', '9', '10']);
  });

  it('puts a non-letter before a letter, except right after a digit, letters of any script alike', () => {
    expect(['api', '_private'].sort(compareYamlKeys)).toEqual(['_private', 'api']);
    expect(['ça', '_x'].sort(compareYamlKeys)).toEqual(['_x', 'ça']);
    expect(['v1_x', 'v1a'].sort(compareYamlKeys)).toEqual(['v1a', 'v1_x']);
    expect(['b', 'a', 'B'].sort(compareYamlKeys)).toEqual(['B', 'a', 'b']);
  });

  it('weighs a digit of another script by its code point minus that of 0, as Go does', () => {
    // '١' is U+0661: it weighs 1585, so 'v١' comes after 'v10' and 'v٠٩' after 'v١'.
    expect(['v١', 'v10', 'v٠٩', 'v2'].sort(compareYamlKeys)).toEqual(['v2', 'v10', 'v١', 'v٠٩']);
  });

  it("wraps a digit run past 2^63 like Go's int64", () => {
    expect(['b2', 'b9999999999999999999', 'b10'].sort(compareYamlKeys)).toEqual(['b9999999999999999999', 'b2', 'b10']);
  });

  it('compares letters beyond U+FFFF by code point, after U+E000..U+FFFF', () => {
    expect(['\u{10400}', '\uFF21'].sort(compareYamlKeys)).toEqual(['\uFF21', '\u{10400}']);
  });
});

describe('compareKeys (encoding/json map key order)', () => {
  it('orders by UTF-8 bytes: characters beyond U+FFFF after U+E000..U+FFFF', () => {
    expect(['\u{1F680}', '\uFF3A', 'z'].sort(compareKeys)).toEqual(['z', '\uFF3A', '\u{1F680}']);
  });
});

describe('toGoYaml', () => {
  it('prints a map with numeric keys in go-yaml order, not the order a JavaScript object lists them', () => {
    expect(toGoYaml({ '10': 'b', '9': 'a', '-1': 'c' })).toBe('"-1": c\n"9": a\n"10": b\n');
  });
});
