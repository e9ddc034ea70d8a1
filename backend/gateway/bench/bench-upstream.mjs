// The upstream of the benchmark: the cheapest useful answer (a small JSON document, as the tools
// API gives), so the numbers measure the proxies, not this server.
import { createServer } from 'node:http';

const body = Buffer.from(JSON.stringify({ items: [{ slug: 'cursor', name: 'Cursor', category: 'ide' }], total: 1, nextCursor: null }));
const server = createServer((req, res) => {
  if (req.url === '/health/ready') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 15 });
    res.end('{"status":"ok"}');
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
