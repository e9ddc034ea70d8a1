import { createSocket, type Socket } from 'node:dgram';

/** A DNS server for tests: answers A queries from a table the test changes while it runs. */
export interface StubDnsServer {
  /** `127.0.0.1:<port>`, as nginx's `resolver` takes it. */
  address: string;
  /** Sets (or, with undefined, removes: NXDOMAIN) the IPv4 address a name resolves to. */
  set(name: string, ipv4: string | undefined): void;
  close(): Promise<void>;
}

const TYPE_A = 1;
const CLASS_IN = 1;

/**
 * Starts a UDP DNS server on a free loopback port. It answers one-question A queries from its
 * table (TTL 0) and NXDOMAIN for anything else, which is all nginx's resolver asks with ipv6=off.
 */
export async function startStubDns(): Promise<StubDnsServer> {
  const records = new Map<string, string>();
  const socket: Socket = createSocket('udp4');
  socket.on('message', (query, peer) => {
    const answer = respond(query, records);
    if (answer) socket.send(answer, peer.port, peer.address);
  });
  await new Promise<void>((resolveBind) => socket.bind(0, '127.0.0.1', resolveBind));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    set: (name, ipv4) => (ipv4 === undefined ? records.delete(name.toLowerCase()) : records.set(name.toLowerCase(), ipv4)),
    close: () => new Promise((resolveClose) => socket.close(() => resolveClose())),
  };
}

function respond(query: Buffer, records: ReadonlyMap<string, string>): Buffer | undefined {
  if (query.length < 12 || query.readUInt16BE(4) !== 1) return undefined;
  const labels: string[] = [];
  let offset = 12;
  while (offset < query.length && query[offset] !== 0) {
    const length = query[offset] as number;
    labels.push(query.subarray(offset + 1, offset + 1 + length).toString('ascii'));
    offset += length + 1;
  }
  const questionEnd = offset + 5;
  if (questionEnd > query.length) return undefined;
  const type = query.readUInt16BE(offset + 1);
  const address = type === TYPE_A ? records.get(labels.join('.').toLowerCase()) : undefined;
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0);
  // QR, RD and RA set; RCODE 3 (NXDOMAIN) when the name is unknown.
  header.writeUInt16BE(address ? 0x8180 : 0x8183, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(address ? 1 : 0, 6);
  const question = query.subarray(12, questionEnd);
  if (!address) return Buffer.concat([header, question]);
  const record = Buffer.alloc(16);
  record.writeUInt16BE(0xc00c, 0);
  record.writeUInt16BE(TYPE_A, 2);
  record.writeUInt16BE(CLASS_IN, 4);
  record.writeUInt32BE(0, 6);
  record.writeUInt16BE(4, 10);
  address.split('.').forEach((part, index) => record.writeUInt8(Number(part), 12 + index));
  return Buffer.concat([header, question, record]);
}
