/*
 * The protobuf the kit's OTLP export writes: the wire types OTLP uses, AnyValue and attributes as
 * opentelemetry-proto's common/v1 defines them, and the body of an export request, which is the
 * same for traces and logs: one Resource{Spans,Logs} (field 1) holding the resource (1) and one
 * Scope{Spans,Logs} (2) holding the scope (1) and the records (2).
 */

/**
 * Each ASCII character code's value as a hex digit (0-9, a-f, A-F), 255 for any other: a table
 * read rather than a branch per character, as every span and log record carries two or three ids.
 */
const HEX_VALUES = new Uint8Array(128).fill(255);
for (let digit = 0; digit < 16; digit++) {
  HEX_VALUES[digit.toString(16).charCodeAt(0)] = digit;
  HEX_VALUES[digit.toString(16).toUpperCase().charCodeAt(0)] = digit;
}

/** True when `text` is exactly `length` hex digits, not all of them zero (the W3C invalid id). */
export function isNonZeroHex(text: string, length: number): boolean {
  if (text.length !== length) return false;
  let any = 0;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    const value = code < 128 ? HEX_VALUES[code]! : 255;
    if (value === 255) return false;
    any |= value;
  }
  return any !== 0;
}

/** A growable protobuf writer: just the wire types OTLP uses. */
export class ProtobufWriter {
  buffer = Buffer.allocUnsafe(64 * 1024);
  position = 0;

  private reserve(bytes: number): void {
    if (this.position + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.position + bytes));
    this.buffer.copy(grown, 0, 0, this.position);
    this.buffer = grown;
  }

  /** A non-negative integer up to 2^53 as a varint. */
  varint(value: number): void {
    this.reserve(10);
    while (value > 0x7f) {
      this.buffer[this.position++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.buffer[this.position++] = value;
  }

  /** A negative int64 as protobuf writes it: ten bytes of two's complement. */
  negativeVarint(value: number): void {
    let bits = BigInt.asUintN(64, BigInt(value));
    this.reserve(10);
    for (let index = 0; index < 9; index++) {
      this.buffer[this.position++] = Number(bits & 0x7fn) | 0x80;
      bits >>= 7n;
    }
    this.buffer[this.position++] = Number(bits);
  }

  tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  string(value: string): void {
    // Short ASCII strings (names, attribute keys and values) byte by byte in one pass, behind a
    // one-byte length: Buffer#write's own overhead is larger than the copy for them.
    const length = value.length;
    if (length < 0x80) {
      this.reserve(1 + length);
      const buffer = this.buffer;
      const start = this.position;
      let at = start + 1;
      for (let index = 0; index < length; index++) {
        const code = value.charCodeAt(index);
        if (code > 0x7f) {
          at = -1;
          break;
        }
        buffer[at++] = code;
      }
      if (at !== -1) {
        buffer[start] = length;
        this.position = at;
        return;
      }
    }
    const bytes = Buffer.byteLength(value);
    this.varint(bytes);
    this.reserve(bytes);
    this.position += this.buffer.write(value, this.position, bytes, 'utf8');
  }

  /** Hex digits (a trace or span id, checked by whoever made it) as the bytes they spell. */
  hexBytes(hex: string): void {
    const length = hex.length >>> 1;
    this.varint(length);
    this.reserve(length);
    const buffer = this.buffer;
    let at = this.position;
    for (let index = 0; index < hex.length; index += 2) {
      buffer[at++] = (HEX_VALUES[hex.charCodeAt(index) & 0x7f]! << 4) | HEX_VALUES[hex.charCodeAt(index + 1) & 0x7f]!;
    }
    this.position = at;
  }

  fixed32(value: number): void {
    this.reserve(4);
    this.position = this.buffer.writeUInt32LE(value >>> 0, this.position);
  }

  /**
   * A time as unsigned nanoseconds since the epoch (fixed64), from whole seconds and the
   * nanoseconds past them. `seconds * 1e9` needs 61 bits, more than a double holds exactly, so
   * the seconds are split at bit 16 and each half multiplied on its own (both products < 2^47).
   */
  time(seconds: number, nanos: number): void {
    const high16 = Math.floor(seconds / 0x10000) * 1_000_000_000;
    const low = (seconds % 0x10000) * 1_000_000_000 + nanos + (high16 % 0x10000) * 0x10000;
    const lowWord = low % 0x1_0000_0000;
    const highWord = Math.floor(high16 / 0x10000) + Math.floor(low / 0x1_0000_0000);
    this.reserve(8);
    this.buffer.writeUInt32LE(lowWord, this.position);
    this.position = this.buffer.writeUInt32LE(highWord >>> 0, this.position + 4);
  }

  double(value: number): void {
    this.reserve(8);
    this.position = this.buffer.writeDoubleLE(value, this.position);
  }

  bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.reserve(value.length);
    this.buffer.set(value, this.position);
    this.position += value.length;
  }

  /** Starts a length-delimited field's content; `end` writes its length in front of it. */
  begin(): number {
    this.reserve(1);
    return this.position++;
  }

  end(start: number): void {
    const length = this.position - start - 1;
    if (length < 0x80) {
      this.buffer[start] = length;
      return;
    }
    // The length takes more than the one byte kept for it: move the content up. Every span and
    // log record is longer than 127 bytes, so this runs once per record at least: `copyWithin`
    // is V8's own memmove, where `Buffer#copy` crosses into Node's C++ (a profiled ~0.5 µs each).
    let extra = 0;
    for (let rest = length >>> 7; rest > 0; rest >>>= 7) extra++;
    this.reserve(extra);
    this.buffer.copyWithin(start + 1 + extra, start + 1, this.position);
    this.position += extra;
    let value = length;
    let at = start;
    while (value > 0x7f) {
      this.buffer[at++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    this.buffer[at] = value;
  }

  /** The bytes written so far, copied out; the writer starts again empty. */
  take(): Buffer {
    const taken = Buffer.from(this.written());
    this.position = 0;
    return taken;
  }

  /** The bytes written so far, not copied: valid until the next write. */
  written(): Buffer {
    return this.buffer.subarray(0, this.position);
  }

  /** Starts again empty, keeping the buffer. */
  reset(): void {
    this.position = 0;
  }
}

/** An AnyValue's content (common/v1): strings, booleans, numbers (int64 when whole), bytes, arrays. */
export function writeAnyValue(writer: ProtobufWriter, value: unknown): void {
  if (typeof value === 'string') {
    writer.tag(1, 2);
    writer.string(value);
  } else if (typeof value === 'boolean') {
    writer.tag(2, 0);
    writer.varint(value ? 1 : 0);
  } else if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63) {
      writer.tag(3, 0);
      if (value >= 0 && value <= Number.MAX_SAFE_INTEGER) writer.varint(value);
      else writer.negativeVarint(value);
    } else {
      writer.tag(4, 1);
      writer.double(value);
    }
  } else if (value instanceof Uint8Array) {
    writer.tag(7, 2);
    writer.bytes(value);
  } else if (Array.isArray(value)) {
    writer.tag(5, 2);
    const array = writer.begin();
    for (const item of value as unknown[]) {
      writer.tag(1, 2);
      const entry = writer.begin();
      writeAnyValue(writer, item);
      writer.end(entry);
    }
    writer.end(array);
  }
}

/** One KeyValue as field `field` of the message being written. */
export function writeKeyValue(writer: ProtobufWriter, field: number, key: string, value: unknown): void {
  writer.tag(field, 2);
  const keyValue = writer.begin();
  writer.tag(1, 2);
  writer.string(key);
  writer.tag(2, 2);
  const content = writer.begin();
  writeAnyValue(writer, value);
  writer.end(content);
  writer.end(keyValue);
}

/** Every own property of `values` as a repeated KeyValue field `field`. */
export function writeAttributes(writer: ProtobufWriter, values: Record<string, unknown>, field: number): void {
  for (const key in values) {
    if (!Object.prototype.hasOwnProperty.call(values, key)) continue;
    writeKeyValue(writer, field, key, values[key]);
  }
}

/** The Resource and InstrumentationScope every span and log record of this process shares. */
export interface OtlpOrigin {
  resourceAttributes: Record<string, unknown>;
  scope: { name: string; version?: string };
}

/** A varint's bytes, for the few lengths written in front of a finished body. */
function varintBytes(value: number): Buffer {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push((value & 0x7f) | 0x80);
    value >>>= 7;
  }
  bytes.push(value);
  return Buffer.from(bytes);
}

/**
 * The body of one OTLP export request, written a record at a time: records (spans or log
 * records) are encoded the moment they are added, so nothing of them is kept but their bytes;
 * `take` wraps those since the last call in the resource and scope, encoded once.
 */
export class OtlpBody {
  private readonly writer = new ProtobufWriter();
  private readonly resource: Buffer;
  private readonly scope: Buffer;
  /** Records added since the last `take`. */
  count = 0;

  constructor(origin: OtlpOrigin) {
    const header = new ProtobufWriter();
    header.tag(1, 2);
    const resource = header.begin();
    writeAttributes(header, origin.resourceAttributes, 1);
    // dropped_attributes_count, written as the OpenTelemetry exporter writes it.
    header.tag(2, 0);
    header.varint(0);
    header.end(resource);
    this.resource = header.take();
    header.tag(1, 2);
    const scope = header.begin();
    header.tag(1, 2);
    header.string(origin.scope.name);
    if (origin.scope.version) {
      header.tag(2, 2);
      header.string(origin.scope.version);
    }
    header.end(scope);
    this.scope = header.take();
  }

  /** Encodes one record (a Span or a LogRecord message) with `write`. */
  add<T>(write: (writer: ProtobufWriter, item: T) => void, item: T): void {
    this.writer.tag(2, 2);
    const start = this.writer.begin();
    write(this.writer, item);
    this.writer.end(start);
    this.count++;
  }

  /** The request body of every record added since the last call. */
  take(): Buffer {
    // Copied once, into the body, straight from the writer.
    const records = this.writer.written();
    this.count = 0;
    const scopedLength = this.scope.length + records.length;
    const scopedPrefix = varintBytes(scopedLength);
    const resourcedLength = this.resource.length + 1 + scopedPrefix.length + scopedLength;
    const body = Buffer.concat([Buffer.of(0x0a), varintBytes(resourcedLength), this.resource, Buffer.of(0x12), scopedPrefix, this.scope, records]);
    this.writer.reset();
    return body;
  }
}
