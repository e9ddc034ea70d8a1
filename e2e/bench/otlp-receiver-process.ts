// The tracing-overhead bench's OTLP receiver, in a process of its own so it does not share the
// load generator's event loop. It keeps what it gets undecoded while the services are measured;
// a line `count` on stdin decodes everything and answers `{"spans":N,"logs":M}` on stdout. The
// first stdout line is `{"endpoint":"http://127.0.0.1:PORT"}`.
import { createInterface } from 'node:readline';
import { startOtlpReceiver } from '@codiesvibe/shared/testing';

const receiver = await startOtlpReceiver({ decodeOnRead: true });
process.stdout.write(`${JSON.stringify({ endpoint: receiver.endpoint })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === 'count') process.stdout.write(`${JSON.stringify({ spans: receiver.spans.length, logs: receiver.logs.length })}\n`);
}
// stdin closed: the bench is done.
await receiver.close();
