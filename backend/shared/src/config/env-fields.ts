import { z } from 'zod';

/*
 * Schemas for typical environment variables. Each one reads a string (as `process.env` holds) and
 * its messages complete a sentence that starts with the variable, e.g. `PORT="abc" is not a port`.
 */

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

function isUrlWithProtocol(value: string, protocols: readonly string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol.replace(/:$/, ''));
  } catch {
    return false;
  }
}

const isHttpUrl = (value: string): boolean => isUrlWithProtocol(value, ['http', 'https']);

/** A TCP port, 0..65535 (0 lets the OS pick, which tests use). */
export function port(defaultPort?: number) {
  const schema = z
    .string()
    .trim()
    .regex(/^\d{1,5}$/, 'is not a port (0-65535)')
    .transform(Number)
    .refine((value) => value <= 65_535, 'is not a port (0-65535)');
  return defaultPort === undefined ? schema : schema.default(defaultPort);
}

/** A whole number greater than zero, e.g. a timeout in milliseconds. */
export function positiveInt(defaultValue?: number) {
  const schema = z
    .string()
    .trim()
    .regex(/^\d+$/, 'is not a positive integer')
    .transform(Number)
    .refine((value) => value > 0 && Number.isSafeInteger(value), 'is not a positive integer');
  return defaultValue === undefined ? schema : schema.default(defaultValue);
}

/** `true|false|1|0|yes|no|on|off`, any case. */
export function boolean(defaultValue?: boolean) {
  const schema = z
    .string()
    .trim()
    .toLowerCase()
    .refine((value) => TRUE_WORDS.has(value) || FALSE_WORDS.has(value), 'is not a boolean (true or false)')
    .transform((value) => TRUE_WORDS.has(value));
  return defaultValue === undefined ? schema : schema.default(defaultValue);
}

/** One of a fixed list of words. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, defaultValue?: T[number]) {
  const schema = z.enum(values, { error: `must be one of ${values.join(', ')}` });
  return defaultValue === undefined ? schema : schema.default(defaultValue as never);
}

/** An absolute URL; by default http or https. Pass e.g. `['mongodb', 'mongodb+srv']` for others. */
export function url(protocols: readonly string[] = ['http', 'https']) {
  return z
    .string()
    .trim()
    .refine((value) => isUrlWithProtocol(value, protocols), `is not a ${protocols.join(' or ')} URL`);
}

/** A comma-separated list of http(s) URLs (e.g. the replicas of an upstream), at least one. */
export function urlList() {
  return list()
    .refine((items) => items.length > 0, 'is an empty list')
    .refine((items) => items.every(isHttpUrl), 'is not a comma-separated list of http(s) URLs');
}

/** A comma-separated list of non-empty words. */
export function list() {
  return z.string().transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );
}

/** A secret string: at least `minLength` characters (16 unless told). Mark it in `loadConfig({ secrets })`. */
export function secret(minLength = 16) {
  return z.string().min(minLength, `must be at least ${minLength} characters`);
}
