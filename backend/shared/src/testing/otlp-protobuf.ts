/*
 * A decoder of the OTLP protobuf messages a receiver gets (ExportTraceServiceRequest,
 * ExportLogsServiceRequest), written from opentelemetry-proto's field numbers and independent of
 * the exporter's own encoder, so a test that decodes with it checks the real wire format.
 */

export type OtlpAttributes = Record<string, string | number | boolean>;

export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  /** Empty for a trace's root. */
  parentSpanId: string;
  name: string;
  /** 1 internal, 2 server, 3 client (OTLP SpanKind). */
  kind: number;
  attributes: OtlpAttributes;
  /** 2 = error (OTLP StatusCode). */
  statusCode: number;
  /**
   * OTLP SpanFlags: the W3C trace flags in the low byte, 0x100 when whether the parent is remote
   * is known, 0x200 when it is (0 when the exporter did not write the field).
   */
  flags: number;
}

export interface ReceivedLog {
  service: string;
  body: string;
  severityText: string;
  traceId: string;
  spanId: string;
  attributes: OtlpAttributes;
}

type Field = { number: number; wire: number; value: bigint | Uint8Array };

function* fields(buffer: Uint8Array): Generator<Field> {
  let offset = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buffer[offset++];
      if (byte === undefined) throw new Error('truncated protobuf varint');
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (offset < buffer.length) {
    const key = Number(varint());
    const wire = key & 7;
    const number = key >>> 3;
    if (wire === 0) yield { number, wire, value: varint() };
    else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      yield { number, wire, value: buffer.subarray(offset, offset + size) };
      offset += size;
    } else if (wire === 2) {
      const length = Number(varint());
      yield { number, wire, value: buffer.subarray(offset, offset + length) };
      offset += length;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
}

const text = (value: bigint | Uint8Array): string => new TextDecoder().decode(value as Uint8Array);
const hex = (value: bigint | Uint8Array): string => Buffer.from(value as Uint8Array).toString('hex');

function anyValue(buffer: Uint8Array): string | number | boolean {
  for (const field of fields(buffer)) {
    if (field.number === 1) return text(field.value);
    if (field.number === 2) return field.value === 1n;
    if (field.number === 3) return Number(BigInt.asIntN(64, field.value as bigint));
    if (field.number === 4) return Buffer.from(field.value as Uint8Array).readDoubleLE(0);
  }
  return '';
}

function keyValues(into: OtlpAttributes, buffer: Uint8Array): void {
  let key = '';
  let value: string | number | boolean = '';
  for (const field of fields(buffer)) {
    if (field.number === 1) key = text(field.value);
    if (field.number === 2) value = anyValue(field.value as Uint8Array);
  }
  into[key] = value;
}

function serviceOf(resource: Uint8Array): string {
  const attributes: OtlpAttributes = {};
  for (const field of fields(resource)) if (field.number === 1) keyValues(attributes, field.value as Uint8Array);
  return String(attributes['service.name'] ?? '');
}

/** Walks resource → scope → item of an export request (the same shape for spans and logs). */
function eachItem(request: Uint8Array, visit: (service: string, item: Uint8Array) => void): void {
  for (const resourceField of fields(request)) {
    if (resourceField.number !== 1) continue;
    let service = '';
    const scopes: Uint8Array[] = [];
    for (const field of fields(resourceField.value as Uint8Array)) {
      if (field.number === 1) service = serviceOf(field.value as Uint8Array);
      if (field.number === 2) scopes.push(field.value as Uint8Array);
    }
    for (const scope of scopes) for (const field of fields(scope)) if (field.number === 2) visit(service, field.value as Uint8Array);
  }
}

/** The spans of a protobuf ExportTraceServiceRequest. */
export function decodeTraceRequest(request: Uint8Array): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  eachItem(request, (service, item) => {
    const span: ReceivedSpan = { service, traceId: '', spanId: '', parentSpanId: '', name: '', kind: 0, attributes: {}, statusCode: 0, flags: 0 };
    for (const field of fields(item)) {
      if (field.number === 1) span.traceId = hex(field.value);
      else if (field.number === 2) span.spanId = hex(field.value);
      else if (field.number === 4) span.parentSpanId = hex(field.value);
      else if (field.number === 5) span.name = text(field.value);
      else if (field.number === 6) span.kind = Number(field.value);
      else if (field.number === 9) keyValues(span.attributes, field.value as Uint8Array);
      else if (field.number === 15) {
        for (const status of fields(field.value as Uint8Array)) if (status.number === 3) span.statusCode = Number(status.value);
      } else if (field.number === 16) span.flags = Buffer.from(field.value as Uint8Array).readUInt32LE(0);
    }
    spans.push(span);
  });
  return spans;
}

/** The records of a protobuf ExportLogsServiceRequest. */
export function decodeLogsRequest(request: Uint8Array): ReceivedLog[] {
  const logs: ReceivedLog[] = [];
  eachItem(request, (service, item) => {
    const log: ReceivedLog = { service, body: '', severityText: '', traceId: '', spanId: '', attributes: {} };
    for (const field of fields(item)) {
      if (field.number === 3) log.severityText = text(field.value);
      else if (field.number === 5) log.body = String(anyValue(field.value as Uint8Array));
      else if (field.number === 6) keyValues(log.attributes, field.value as Uint8Array);
      else if (field.number === 9) log.traceId = hex(field.value);
      else if (field.number === 10) log.spanId = hex(field.value);
    }
    logs.push(log);
  });
  return logs;
}

interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
}
interface JsonKeyValue {
  key: string;
  value?: JsonAnyValue;
}

function jsonValue(value: JsonAnyValue | undefined): string | number | boolean {
  if (!value) return '';
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.doubleValue ?? '';
}

function jsonAttributes(list: JsonKeyValue[] | undefined): OtlpAttributes {
  const attributes: OtlpAttributes = {};
  for (const entry of list ?? []) attributes[entry.key] = jsonValue(entry.value);
  return attributes;
}

/** OTLP/JSON ids are hex strings; some encoders send base64: both are read. */
function jsonId(id: string | undefined, bytes: number): string {
  if (!id) return '';
  return id.length === bytes * 2 ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');
}

type JsonRequest = Record<string, { resource?: { attributes?: JsonKeyValue[] } } & Record<string, unknown>[]>;

function eachJsonItem(request: unknown, resourceKey: string, scopeKey: string, itemKey: string, visit: (service: string, item: Record<string, unknown>) => void): void {
  for (const resource of ((request as JsonRequest)[resourceKey] ?? []) as Record<string, unknown>[]) {
    const service = String(jsonAttributes((resource.resource as { attributes?: JsonKeyValue[] } | undefined)?.attributes)['service.name'] ?? '');
    for (const scope of (resource[scopeKey] ?? []) as Record<string, unknown>[]) {
      for (const item of (scope[itemKey] ?? []) as Record<string, unknown>[]) visit(service, item);
    }
  }
}

/** The spans of an OTLP/JSON ExportTraceServiceRequest. */
export function decodeJsonTraceRequest(request: unknown): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  eachJsonItem(request, 'resourceSpans', 'scopeSpans', 'spans', (service, item) => {
    spans.push({
      service,
      traceId: jsonId(item.traceId as string, 16),
      spanId: jsonId(item.spanId as string, 8),
      parentSpanId: jsonId(item.parentSpanId as string | undefined, 8),
      name: typeof item.name === 'string' ? item.name : '',
      kind: Number(item.kind ?? 0),
      attributes: jsonAttributes(item.attributes as JsonKeyValue[]),
      statusCode: Number((item.status as { code?: number } | undefined)?.code ?? 0),
      flags: Number(item.flags ?? 0),
    });
  });
  return spans;
}

/** The records of an OTLP/JSON ExportLogsServiceRequest. */
export function decodeJsonLogsRequest(request: unknown): ReceivedLog[] {
  const logs: ReceivedLog[] = [];
  eachJsonItem(request, 'resourceLogs', 'scopeLogs', 'logRecords', (service, item) => {
    logs.push({
      service,
      body: String(jsonValue(item.body as JsonAnyValue)),
      severityText: typeof item.severityText === 'string' ? item.severityText : '',
      traceId: jsonId(item.traceId as string | undefined, 16),
      spanId: jsonId(item.spanId as string | undefined, 8),
      attributes: jsonAttributes(item.attributes as JsonKeyValue[]),
    });
  });
  return logs;
}
