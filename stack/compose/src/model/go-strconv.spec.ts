import { describe, expect, it } from 'vitest';
import { parseGoFloat } from './go-strconv.js';

// Go's strconv.ParseFloat(text, 64); "0x10", " 3", "inf" and "1_0" checked against compose-go
// v2.9.1 through `cpus: ${VAR}` (refused, refused, .inf, 10).
describe('parseGoFloat', () => {
  it('reads what Go reads', () => {
    expect(parseGoFloat('1.5')).toBe(1.5);
    expect(parseGoFloat('.5')).toBe(0.5);
    expect(parseGoFloat('5.')).toBe(5);
    expect(parseGoFloat('+5')).toBe(5);
    expect(parseGoFloat('1E3')).toBe(1000);
    expect(parseGoFloat('1_0')).toBe(10);
    expect(parseGoFloat('1_000.5')).toBe(1000.5);
    expect(parseGoFloat('0x1p4')).toBe(16);
    expect(parseGoFloat('0x1.8p1')).toBe(3);
    expect(parseGoFloat('inf')).toBe(Infinity);
    expect(parseGoFloat('-Infinity')).toBe(-Infinity);
    expect(parseGoFloat('NaN')).toBeNaN();
  });

  it('refuses what Go refuses, in its words', () => {
    for (const text of [
      ' 3',
      '3 ',
      '',
      '.',
      'e5',
      '1e',
      '0x10',
      '1__0',
      '_1',
      '1_',
      '1e_5',
      '+nan',
      'Infinity!',
    ]) {
      expect(() => parseGoFloat(text), text).toThrow(
        `strconv.ParseFloat: parsing ${JSON.stringify(text)}: invalid syntax`,
      );
    }
    expect(() => parseGoFloat('1e400')).toThrow('strconv.ParseFloat: parsing "1e400": value out of range');
  });
});
