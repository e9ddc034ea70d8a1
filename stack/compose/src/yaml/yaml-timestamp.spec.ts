import { describe, expect, it } from 'vitest';
import { resolvePlainScalar } from './plain-scalar.js';
import { parseGoTimestamp, YamlTimestamp } from './yaml-timestamp.js';

describe('parseGoTimestamp (go-yaml v3 parseTimestamp, printed as Go RFC3339Nano)', () => {
  it('takes a date, and a date and time with a zone, as time.Time prints them', () => {
    expect(parseGoTimestamp('2024-01-01')).toBe('2024-01-01T00:00:00Z');
    expect(parseGoTimestamp('2024-1-2')).toBe('2024-01-02T00:00:00Z');
    expect(parseGoTimestamp('2001-12-14t21:59:43.10-05:00')).toBe('2001-12-14T21:59:43.1-05:00');
    expect(parseGoTimestamp('2024-01-01T10:20:30+00:00')).toBe('2024-01-01T10:20:30Z');
    expect(parseGoTimestamp('2024-01-01T10:20:30.1234567891Z')).toBe('2024-01-01T10:20:30.123456789Z');
  });

  it('takes a date and time without a zone only after spaces', () => {
    expect(parseGoTimestamp('2024-01-01   10:20:30,5')).toBe('2024-01-01T10:20:30.5Z');
    expect(parseGoTimestamp('2024-01-01T10:20:30')).toBeUndefined();
    expect(parseGoTimestamp('2024-01-01 10:20:30 +02:00')).toBeUndefined();
  });

  it('refuses dates and times that do not exist', () => {
    expect(parseGoTimestamp('2024-02-30')).toBeUndefined();
    expect(parseGoTimestamp('2100-02-29')).toBeUndefined();
    expect(parseGoTimestamp('2000-02-29')).toBe('2000-02-29T00:00:00Z');
    expect(parseGoTimestamp('2024-01-01T24:00:00Z')).toBeUndefined();
    expect(parseGoTimestamp('2024-001-01')).toBeUndefined();
    expect(parseGoTimestamp('12024-01-01')).toBeUndefined();
  });

  it('is what a plain scalar resolves to, and prints as its text in JSON', () => {
    const value = resolvePlainScalar('2024-01-01');
    expect(value).toBeInstanceOf(YamlTimestamp);
    expect(JSON.stringify({ at: value })).toBe('{"at":"2024-01-01T00:00:00Z"}');
    expect(resolvePlainScalar('2024-02-30')).toBe('2024-02-30');
  });
});
