/**
 * A plain YAML scalar that go-yaml v3 reads as a timestamp (a `time.Time` in Compose's model):
 * `2024-01-01`, `2024-01-01T10:20:30Z`, `2024-1-2 3:04:05.5`. Compose keeps one only where the
 * schema asks nothing of the value (`x-*` fields), printing it as Go's RFC 3339 with nanoseconds
 * (`2024-01-01T00:00:00Z`, plain in YAML, a string in JSON); anywhere else its schema check
 * fails with `invalid jsonType time.Time`. The engine carries it as this opaque scalar: not a
 * mapping (isPlainObject says no), printed by `text`.
 */
export class YamlTimestamp {
  /** @param text the time as Go's `t.Format(time.RFC3339Nano)` writes it */
  constructor(readonly text: string) {}

  toJSON(): string {
    return this.text;
  }
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const isDigitCode = (code: number): boolean => code >= 48 && code <= 57;

/** Go's time.Parse getnum: one or two digits. */
function number(text: string, at: number): [value: number, next: number] | undefined {
  const first = text.charCodeAt(at);
  if (!isDigitCode(first)) return undefined;
  const second = text.charCodeAt(at + 1);
  if (!isDigitCode(second)) return [first - 48, at + 1];
  return [(first - 48) * 10 + (second - 48), at + 2];
}

const pad2 = (value: number): string => String(value).padStart(2, '0');

/**
 * The RFC 3339 text of `source` when go-yaml's parseTimestamp takes it (time.Parse with
 * `2006-1-2T15:4:5.999999999Z07:00`, the same with `t`, `2006-1-2 15:4:5.999999999` and
 * `2006-1-2`), else undefined. Dates are checked (`2024-02-30` stays a string); a space between
 * date and time may be several; a fraction may follow a comma and keeps nine digits at most.
 */
export function parseGoTimestamp(source: string): string | undefined {
  // go-yaml's quick check: four digits, then '-'.
  if (source.length < 8 || source.charCodeAt(4) !== 45) return undefined;
  for (let i = 0; i < 4; i++) if (!isDigitCode(source.charCodeAt(i))) return undefined;
  const year = Number(source.slice(0, 4));
  const month = number(source, 5);
  if (!month || source.charCodeAt(month[1]) !== 45) return undefined;
  const day = number(source, month[1] + 1);
  if (!day) return undefined;
  if (month[0] < 1 || month[0] > 12) return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthDays = month[0] === 2 && leap ? 29 : (DAYS_IN_MONTH[month[0] - 1] ?? 0);
  if (day[0] < 1 || day[0] > monthDays) return undefined;
  const date = `${source.slice(0, 4)}-${pad2(month[0])}-${pad2(day[0])}`;
  let at = day[1];
  if (at === source.length) return `${date}T00:00:00Z`;
  const separator = source[at];
  let zoned: boolean;
  if (separator === 'T' || separator === 't') {
    zoned = true;
    at++;
  } else if (separator === ' ') {
    zoned = false;
    while (source[at] === ' ') at++;
  } else return undefined;
  const hour = number(source, at);
  if (!hour || source[hour[1]] !== ':') return undefined;
  const minute = number(source, hour[1] + 1);
  if (!minute || source[minute[1]] !== ':') return undefined;
  const second = number(source, minute[1] + 1);
  if (!second) return undefined;
  if (hour[0] > 23 || minute[0] > 59 || second[0] > 59) return undefined;
  at = second[1];
  let fraction = '';
  if ((source[at] === '.' || source[at] === ',') && isDigitCode(source.charCodeAt(at + 1))) {
    let end = at + 1;
    while (isDigitCode(source.charCodeAt(end))) end++;
    fraction = source.slice(at + 1, Math.min(end, at + 10)).replace(/0+$/, '');
    at = end;
  }
  const time = `${date}T${pad2(hour[0])}:${pad2(minute[0])}:${pad2(second[0])}${fraction ? `.${fraction}` : ''}`;
  if (!zoned) return at === source.length ? `${time}Z` : undefined;
  if (source[at] === 'Z' && at + 1 === source.length) return `${time}Z`;
  // Z07:00: a sign, two digits, a colon, two digits, and nothing after.
  if (source.length !== at + 6 || (source[at] !== '+' && source[at] !== '-') || source[at + 3] !== ':') return undefined;
  const zone = source.slice(at + 1, at + 3) + source.slice(at + 4, at + 6);
  if (!/^[0-9]{4}$/.test(zone)) return undefined;
  const zoneHours = Number(zone.slice(0, 2));
  const zoneMinutes = Number(zone.slice(2));
  if (zoneHours > 24 || zoneMinutes > 60) return undefined;
  if (zoneHours === 0 && zoneMinutes === 0) return `${time}Z`;
  return `${time}${source[at]}${zone.slice(0, 2)}:${zone.slice(2)}`;
}
