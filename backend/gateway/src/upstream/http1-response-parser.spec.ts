import { describe, expect, it } from 'vitest';
import { Http1ResponseParser, UpstreamProtocolError } from './http1-response-parser.js';

interface Parsed {
  statusCode: number | undefined;
  headers: string[];
  body: string;
  ended: boolean;
  leftover: number;
  keepAlive: boolean;
  keepAliveHintMs: number;
}

/** Feeds `wire` to a fresh parser in pieces of `pieceSize` bytes (every split point is tried elsewhere). */
function parse(wire: string, options: { head?: boolean; pieceSize?: number; endOfStream?: boolean } = {}): Parsed {
  const result: Parsed = { statusCode: undefined, headers: [], body: '', ended: false, leftover: 0, keepAlive: false, keepAliveHintMs: 0 };
  const parser = new Http1ResponseParser({
    onHead: (statusCode, headers) => {
      result.statusCode = statusCode;
      result.headers = headers;
    },
    onBody: (chunk) => {
      result.body += chunk.toString('latin1');
    },
    onEnd: () => {
      result.ended = true;
    },
  });
  parser.expect(options.head ?? false);
  const bytes = Buffer.from(wire, 'latin1');
  const size = options.pieceSize ?? bytes.length;
  for (let offset = 0; offset < bytes.length; offset += size) {
    result.leftover += parser.execute(bytes.subarray(offset, offset + size));
  }
  if (options.endOfStream) parser.endOfStream();
  result.keepAlive = parser.keepAlive;
  result.keepAliveHintMs = parser.keepAliveHintMs;
  return result;
}

/** The same wire cut at every byte boundary gives the same result. */
function parseEverySplit(wire: string, options: { head?: boolean; endOfStream?: boolean } = {}): Parsed {
  const whole = parse(wire, options);
  for (const pieceSize of [1, 2, 3, 7]) expect(parse(wire, { ...options, pieceSize })).toEqual(whole);
  return whole;
}

describe('Http1ResponseParser', () => {
  it('reads a Content-Length body and keeps the connection', () => {
    const parsed = parseEverySplit('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"ok":true}');
    expect(parsed).toMatchObject({ statusCode: 200, body: '{"ok":true}', ended: true, keepAlive: true, leftover: 0 });
    expect(parsed.headers).toEqual(['Content-Type', 'application/json', 'Content-Length', '11']);
  });

  it('decodes a chunked body with extensions and trailers', () => {
    const parsed = parseEverySplit('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n');
    expect(parsed).toMatchObject({ statusCode: 200, body: 'hello world', ended: true, keepAlive: true, leftover: 0 });
  });

  it('skips interim 1xx answers and reports the final one', () => {
    const parsed = parseEverySplit('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok');
    expect(parsed).toMatchObject({ statusCode: 201, body: 'ok', ended: true });
    expect(parsed.headers).toEqual(['Content-Length', '2']);
  });

  it('refuses 101 Switching Protocols', () => {
    expect(() => parse('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n')).toThrow(/switched protocols/);
  });

  it('reads no body after HEAD, 204 and 304, whatever Content-Length says', () => {
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n', { head: true })).toMatchObject({ statusCode: 200, body: '', ended: true, keepAlive: true, leftover: 0 });
    expect(parse('HTTP/1.1 204 No Content\r\n\r\n')).toMatchObject({ statusCode: 204, ended: true, keepAlive: true });
    expect(parse('HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n')).toMatchObject({ statusCode: 304, body: '', ended: true, keepAlive: true });
  });

  it('reads a body without length until the connection closes, and never reuses it', () => {
    const open = parse('HTTP/1.1 200 OK\r\n\r\npart one, part two');
    expect(open).toMatchObject({ body: 'part one, part two', ended: false, keepAlive: false });
    expect(parseEverySplit('HTTP/1.1 200 OK\r\n\r\npart one, part two', { endOfStream: true })).toMatchObject({ body: 'part one, part two', ended: true, keepAlive: false });
  });

  it('lets Transfer-Encoding win over Content-Length, and then drops the connection', () => {
    const parsed = parse('HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
    expect(parsed).toMatchObject({ body: 'hello', ended: true, keepAlive: false });
  });

  it('honours Connection: close, and HTTP/1.0 keep-alive only when asked', () => {
    expect(parse('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').keepAlive).toBe(false);
    expect(parse('HTTP/1.1 200 OK\r\nConnection: Keep-Alive, Close\r\nContent-Length: 0\r\n\r\n').keepAlive).toBe(false);
    expect(parse('HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n').keepAlive).toBe(false);
    expect(parse('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n').keepAlive).toBe(true);
  });

  it("reads the upstream's Keep-Alive timeout", () => {
    expect(parse('HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5\r\nContent-Length: 0\r\n\r\n').keepAliveHintMs).toBe(5_000);
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n').keepAliveHintMs).toBe(0);
  });

  it('accepts repeated Content-Length values that agree and refuses those that do not', () => {
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2, 2\r\n\r\nok')).toMatchObject({ body: 'ok', ended: true });
    expect(() => parse('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok')).toThrow(/conflicting Content-Length/);
    expect(() => parse('HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n')).toThrow(/invalid Content-Length/);
  });

  it('reports bytes after a complete response as left over (no pipelining: the connection is dropped)', () => {
    expect(parse('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n').leftover).toBe(17);
  });

  it('refuses broken framing: status line, header lines, chunk sizes, chunk ends, oversized heads', () => {
    const refused = (wire: string) => expect(() => parse(wire)).toThrow(UpstreamProtocolError);
    refused('HTTP/2 200 OK\r\n\r\n');
    refused('HTTP/1.1 2x0 OK\r\n\r\n');
    refused('HTTP/1.1 200 OK\r\nBad Header : x\r\n\r\n');
    refused('HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n');
    refused('HTTP/1.1 200 OK\r\nNoColon\r\n\r\n');
    refused('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n');
    refused('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhello\r\n');
    refused(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
  });

  it('is ready for the next response on the same connection after expect()', () => {
    const bodies: string[] = [];
    const parser = new Http1ResponseParser({ onHead: () => undefined, onBody: (chunk) => bodies.push(chunk.toString()), onEnd: () => bodies.push('|') });
    parser.expect(false);
    expect(parser.execute(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na'))).toBe(0);
    expect(parser.busy).toBe(false);
    parser.expect(false);
    expect(parser.execute(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nb\r\n0\r\n\r\n'))).toBe(0);
    expect(bodies.join('')).toBe('a|b|');
  });
});
