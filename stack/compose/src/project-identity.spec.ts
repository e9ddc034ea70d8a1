import { describe, expect, it } from 'vitest';
import { scanTopLevelName } from './project-identity.js';

describe('scanTopLevelName', () => {
  it.each([
    ['name: shop\nservices: {}\n', 'shop'],
    ['services:\n  web:\n    name: not-this\n', ''],
    ['name: "quoted-name" # comment\n', 'quoted-name'],
    ["name: 'single'\n", 'single'],
    ['name: ${PROJECT:-demo}\n', '${PROJECT:-demo}'],
    ['name: plain # trailing\n', 'plain'],
  ])('%j → %j', (text, expected) => {
    expect(scanTopLevelName(text)).toBe(expected);
  });

  it.each([
    ['name: &anchor shop\n'],
    ['name: >\n  folded\n'],
    ['name:\n  shop\n'],
    ['name: a\nname: b\n'],
    ['{name: flow}\n'],
    ['name: one\n---\nname: two\n'],
    ['<<: *base\n'],
    ['name: "esc\\"aped"\n'],
    ['name: 123\n'],
    ['name: true\n'],
  ])('leaves %j to the YAML parser', (text) => {
    expect(scanTopLevelName(text)).toBeUndefined();
  });
});
