/**
 * Incremental parser of the HTTP/1.1 responses on one upstream connection (RFC 9112), for the
 * gateway's own keep-alive client. It frames the body the way RFC 9112 §6.3 says: no body after
 * HEAD, 1xx, 204 and 304; chunked when it is the last transfer coding; Content-Length (repeated
 * values must agree); else everything until the connection closes. Interim 1xx answers are
 * skipped; 101 is an error, since the gateway never asks to switch protocols. A response that
 * breaks the framing throws an `UpstreamProtocolError`, and the connection must not be reused.
 */

/** What the parser reports for one response. */
export interface ResponseEvents {
  /** The final (non-1xx) status line and headers as [name, value, ...], names as sent. */
  onHead(statusCode: number, headers: string[]): void;
  /** A piece of the decoded body (chunk framing removed); a view of the socket's buffer. */
  onBody(chunk: Buffer): void;
  /** The response is complete. */
  onEnd(): void;
}

/** The upstream broke HTTP/1.1 framing; the exchange fails and the connection is dropped. */
export class UpstreamProtocolError extends Error {
  readonly code = 'UPSTREAM_ERR_PROTOCOL';
}

/** Longest response head accepted, as Node's own parser (`--max-http-header-size`). */
const MAX_HEAD_BYTES = 16_384;
/** Longest chunk-size or trailer line accepted. */
const MAX_LINE_BYTES = 4_096;

const enum State {
  Head,
  BodyLength,
  BodyChunkSize,
  BodyChunkData,
  BodyChunkEnd,
  Trailers,
  BodyUntilClose,
  Done,
}

export class Http1ResponseParser {
  private state = State.Done;
  private expectBody = true;
  /** Bytes of a head or line that arrived split over reads. */
  private pending: Buffer | undefined;
  private remaining = 0;
  /** After the head: whether the connection may carry another request. */
  keepAlive = false;
  /** The `Keep-Alive: timeout=N` the upstream announced, in ms; 0 when it said none. */
  keepAliveHintMs = 0;
  /** True once any byte of the current response arrived. */
  started = false;

  constructor(private readonly events: ResponseEvents) {}

  /** Gets ready for the response to a request; `head` when that request was a HEAD. */
  expect(head: boolean): void {
    this.state = State.Head;
    this.expectBody = !head;
    this.pending = undefined;
    this.remaining = 0;
    this.keepAlive = false;
    this.keepAliveHintMs = 0;
    this.started = false;
  }

  /** True while a response is expected or being read. */
  get busy(): boolean {
    return this.state !== State.Done;
  }

  /**
   * Feeds bytes read from the connection. Returns how many bytes were left over after the
   * response ended (more than 0 means the upstream sent something unasked: drop the connection).
   */
  execute(data: Buffer): number {
    if (this.state === State.Done) return data.length;
    this.started = true;
    let offset = 0;
    while (offset < data.length) {
      switch (this.state) {
        case State.Head:
          offset = this.readHead(data, offset);
          break;
        case State.BodyLength: {
          const take = Math.min(this.remaining, data.length - offset);
          this.remaining -= take;
          const piece = data.subarray(offset, offset + take);
          offset += take;
          if (this.remaining === 0) this.state = State.Done;
          this.events.onBody(piece);
          if (this.state === State.Done) this.events.onEnd();
          break;
        }
        case State.BodyChunkSize: {
          const line = this.readLine(data, offset);
          if (line === undefined) return 0;
          offset = line.next;
          const size = parseChunkSize(line.text);
          if (size === 0) this.state = State.Trailers;
          else {
            this.remaining = size;
            this.state = State.BodyChunkData;
          }
          break;
        }
        case State.BodyChunkData: {
          const take = Math.min(this.remaining, data.length - offset);
          this.remaining -= take;
          const piece = data.subarray(offset, offset + take);
          offset += take;
          if (this.remaining === 0) this.state = State.BodyChunkEnd;
          this.events.onBody(piece);
          break;
        }
        case State.BodyChunkEnd: {
          const line = this.readLine(data, offset);
          if (line === undefined) return 0;
          if (line.text.length !== 0) throw new UpstreamProtocolError('a chunk of the upstream response did not end where its size said');
          offset = line.next;
          this.state = State.BodyChunkSize;
          break;
        }
        case State.Trailers: {
          // Trailer fields are not relayed (the client's response is framed anew by Node).
          const line = this.readLine(data, offset);
          if (line === undefined) return 0;
          offset = line.next;
          if (line.text.length === 0) {
            this.state = State.Done;
            this.events.onEnd();
          }
          break;
        }
        case State.BodyUntilClose: {
          const piece = offset === 0 ? data : data.subarray(offset);
          offset = data.length;
          this.events.onBody(piece);
          break;
        }
        case State.Done:
          return data.length - offset;
      }
    }
    return 0;
  }

  /**
   * The connection ended. Returns true when that completed the response (a body delimited by
   * the close), false when a response was cut short; idle connections return true.
   */
  endOfStream(): boolean {
    if (this.state === State.BodyUntilClose) {
      this.state = State.Done;
      this.events.onEnd();
      return true;
    }
    return this.state === State.Done;
  }

  private readHead(data: Buffer, offset: number): number {
    let buffer = data;
    let start = offset;
    if (this.pending !== undefined) {
      buffer = Buffer.concat([this.pending, data.subarray(offset)]);
      start = 0;
    }
    const end = buffer.indexOf('\r\n\r\n', start, 'latin1');
    if (end === -1) {
      if (buffer.length - start > MAX_HEAD_BYTES) throw new UpstreamProtocolError('the upstream response head is larger than 16 KiB');
      this.pending = start === 0 ? buffer : buffer.subarray(start);
      return data.length;
    }
    if (end - start > MAX_HEAD_BYTES) throw new UpstreamProtocolError('the upstream response head is larger than 16 KiB');
    const consumedOfData = this.pending === undefined ? end + 4 : data.length - (buffer.length - (end + 4));
    this.pending = undefined;
    this.parseHead(buffer.toString('latin1', start, end));
    return consumedOfData;
  }

  private parseHead(text: string): void {
    const lines = text.split('\r\n');
    const statusLine = lines[0]!;
    // "HTTP/1.1 200 OK": the version, a space, three digits, then a space and a reason (optional).
    if (statusLine.length < 12 || !statusLine.startsWith('HTTP/1.') || statusLine.charCodeAt(8) !== 32 || (statusLine.length > 12 && statusLine.charCodeAt(12) !== 32)) {
      throw new UpstreamProtocolError('the upstream answered something that is not an HTTP/1.x status line');
    }
    const minor = statusLine.charCodeAt(7) - 48;
    const statusCode = Number(statusLine.slice(9, 12));
    if ((minor !== 0 && minor !== 1) || !Number.isInteger(statusCode) || statusCode < 100) {
      throw new UpstreamProtocolError('the upstream answered something that is not an HTTP/1.x status line');
    }
    if (statusCode === 101) throw new UpstreamProtocolError('the upstream switched protocols, which the gateway never asks for');

    const headers: string[] = [];
    let contentLength = -1;
    let chunked = false;
    let otherCoding = false;
    let connectionClose = minor === 0;
    let hintMs = 0;
    for (let index = 1; index < lines.length; index++) {
      const line = lines[index]!;
      const colon = line.indexOf(':');
      const first = line.charCodeAt(0);
      // No name, whitespace before the colon, or an obsolete line folding (RFC 9112 §5).
      if (colon <= 0 || first === 32 || first === 9 || line.charCodeAt(colon - 1) === 32 || line.charCodeAt(colon - 1) === 9) {
        throw new UpstreamProtocolError('the upstream sent a malformed header line');
      }
      const name = line.slice(0, colon);
      const value = trimWhitespace(line, colon + 1);
      headers.push(name, value);
      // Only the framing headers matter here; their names are checked by length first.
      switch (name.length) {
        case 14:
          if (name.toLowerCase() === 'content-length') contentLength = mergeContentLength(contentLength, value);
          break;
        case 17:
          if (name.toLowerCase() === 'transfer-encoding') {
            const codings = value.toLowerCase().split(',');
            const last = codings[codings.length - 1]!.trim();
            chunked = last === 'chunked';
            otherCoding = !chunked;
          }
          break;
        case 10:
          if (name.toLowerCase() === 'connection') {
            const tokens = value.toLowerCase();
            if (minor === 0) connectionClose = !hasToken(tokens, 'keep-alive');
            if (hasToken(tokens, 'close')) connectionClose = true;
          } else if (name.toLowerCase() === 'keep-alive') hintMs = keepAliveTimeoutOf(value);
          break;
        default:
      }
    }
    if (statusCode < 200) {
      // An interim answer (100, 102, 103): the real one follows on the same connection.
      this.state = State.Head;
      return;
    }
    this.keepAlive = !connectionClose;
    this.keepAliveHintMs = hintMs;
    if (!this.expectBody || statusCode === 204 || statusCode === 304) {
      this.state = State.Done;
    } else if (chunked || otherCoding) {
      // Transfer-Encoding wins over Content-Length, and a message that had both is not trusted
      // to leave the connection in a known state (request smuggling).
      if (contentLength !== -1) this.keepAlive = false;
      if (chunked) this.state = State.BodyChunkSize;
      else {
        this.keepAlive = false;
        this.state = State.BodyUntilClose;
      }
    } else if (contentLength !== -1) {
      this.remaining = contentLength;
      this.state = contentLength === 0 ? State.Done : State.BodyLength;
    } else {
      this.keepAlive = false;
      this.state = State.BodyUntilClose;
    }
    this.events.onHead(statusCode, headers);
    if (this.state === State.Done) this.events.onEnd();
  }

  /** A CRLF-terminated line (without the CRLF), joined over reads; undefined until it is whole. */
  private readLine(data: Buffer, offset: number): { text: string; next: number } | undefined {
    const end = data.indexOf('\r\n', offset, 'latin1');
    if (this.pending !== undefined) {
      // The line started in an earlier read; the CR may be the last byte of that read.
      const joined = Buffer.concat([this.pending, data.subarray(offset)]);
      const at = joined.indexOf('\r\n', 0, 'latin1');
      if (at === -1) {
        if (joined.length > MAX_LINE_BYTES) throw new UpstreamProtocolError('a chunk-size or trailer line of the upstream response is too long');
        this.pending = joined;
        return undefined;
      }
      const next = offset + (at + 2 - this.pending.length);
      this.pending = undefined;
      return { text: joined.toString('latin1', 0, at), next };
    }
    if (end === -1) {
      if (data.length - offset > MAX_LINE_BYTES) throw new UpstreamProtocolError('a chunk-size or trailer line of the upstream response is too long');
      this.pending = Buffer.from(data.subarray(offset));
      return undefined;
    }
    return { text: data.toString('latin1', offset, end), next: end + 2 };
  }
}

function trimWhitespace(line: string, from: number): string {
  let start = from;
  let end = line.length;
  while (start < end && (line.charCodeAt(start) === 32 || line.charCodeAt(start) === 9)) start++;
  while (end > start && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  return start === 0 && end === line.length ? line : line.slice(start, end);
}

function isDigits(text: string): boolean {
  if (text.length === 0 || text.length > 15) return false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** Content-Length may repeat (as fields or a list) only with one value (RFC 9110 §8.6). */
function mergeContentLength(previous: number, value: string): number {
  let merged = previous;
  for (const part of value.split(',')) {
    const text = part.trim();
    if (!isDigits(text)) throw new UpstreamProtocolError('the upstream sent an invalid Content-Length');
    const length = Number(text);
    if (merged !== -1 && merged !== length) throw new UpstreamProtocolError('the upstream sent conflicting Content-Length values');
    merged = length;
  }
  return merged;
}

function hasToken(list: string, token: string): boolean {
  if (list === token) return true;
  return list.split(',').some((part) => part.trim() === token);
}

/** `timeout=5, max=100` -> 5000. */
function keepAliveTimeoutOf(value: string): number {
  const match = /(?:^|[\s,])timeout\s*=\s*(\d{1,9})/i.exec(value);
  return match ? Number(match[1]) * 1000 : 0;
}

function parseChunkSize(line: string): number {
  // Chunk extensions (";name=value") are allowed and ignored.
  const semicolon = line.indexOf(';');
  const text = (semicolon === -1 ? line : line.slice(0, semicolon)).trim();
  if (text.length === 0 || text.length > 12 || !/^[0-9a-fA-F]+$/.test(text)) throw new UpstreamProtocolError('the upstream sent an invalid chunk size');
  return Number.parseInt(text, 16);
}
