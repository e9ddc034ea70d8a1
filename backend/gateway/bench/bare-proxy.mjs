// The floor of the benchmark: the leanest proxy on the stack the gateway is built on, Node's
// http server relaying to one upstream through an undici Pool (keep-alive), with none of the
// gateway's features: no request id, limiter, headers, balancing, retries, metrics or log. What
// the gateway costs beyond this is its features; what this costs beyond nginx is Node's.
import { createServer } from 'node:http';
import { Pool } from 'undici';

const upstream = new Pool(process.env.UPSTREAM, { connections: 256, pipelining: 1 });
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding']);

const server = createServer((req, res) => {
  const chunks = [];
  upstream.dispatch(
    { path: req.url, method: req.method, headers: req.headers },
    {
      onConnect() {},
      onHeaders(statusCode, rawHeaders) {
        const headers = [];
        for (let index = 0; index < rawHeaders.length; index += 2) {
          const name = rawHeaders[index].toString('latin1');
          if (!HOP_BY_HOP.has(name.toLowerCase())) headers.push(name, rawHeaders[index + 1].toString('latin1'));
        }
        res.writeHead(statusCode, headers);
        return true;
      },
      onData(chunk) {
        chunks.push(chunk);
        return true;
      },
      onComplete() {
        res.end(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
      },
      onError() {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      },
    },
  );
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
