// Hostile bodies (issue 16): what one long SSE line and a one-integer body cost. Figures, not
// assertions: run `npm run bench:hostile -w @x/bench` (after a build) and read the JSON lines.
//   node hostile.mjs [MiB for the SSE line, default 16] [MiB for the integer body, default 32]
import { fork } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseEventStream } from '@x/envelope';
import { createTransport } from '@x/transport';
import { runOnBenchNode } from './bench-node.mjs';

runOnBenchNode(import.meta.url); // BENCH_NODE=24 (or a path): on that Node

const MiB = 1024 * 1024;
const sseMiB = Number(process.argv[2] ?? 16);
const intMiB = Number(process.argv[3] ?? 32);

// The integer body is served from another process: a server in this one would share the event
// loop being measured.
if (process.argv[2] === 'serve') {
  const { createServer } = await import('node:http');
  const size = Number(process.argv[3]) * MiB;
  const body = Buffer.alloc(size, '9'.charCodeAt(0));
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
      res.end(body);
    });
  });
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
} else {
  await sseLongLine();
  await hugeInteger();
}

/** One `data:` line of `sseMiB` MiB in 64 KiB chunks, against the same bytes as 1 KiB events. */
async function sseLongLine() {
  const chunkSize = 64 * 1024;
  const encoder = new TextEncoder();
  const oneLine = encoder.encode(`data: ${'x'.repeat(sseMiB * MiB)}\n\n`);
  const shortEvent = `data: ${'x'.repeat(1024 - 8)}\n\n`;
  const manyEvents = encoder.encode(shortEvent.repeat(Math.ceil((sseMiB * MiB) / shortEvent.length)));
  const chunked = (bytes) => {
    const parts = [];
    for (let i = 0; i < bytes.length; i += chunkSize) parts.push(bytes.subarray(i, i + chunkSize));
    return parts;
  };
  for (const [name, bytes] of [
    [`one ${sseMiB} MiB line`, oneLine],
    [`${sseMiB} MiB as 1 KiB events`, manyEvents],
  ]) {
    const parts = chunked(bytes);
    const started = performance.now();
    let events = 0;
    let chars = 0;
    for await (const event of parseEventStream(parts)) {
      events++;
      chars += event.data.length;
    }
    const ms = performance.now() - started;
    console.log(
      JSON.stringify({
        bench: 'sse',
        name,
        bytes: bytes.length,
        chunks: parts.length,
        events,
        chars,
        ms: Math.round(ms),
      }),
    );
  }
}

/** A body that is one integer of `intMiB` MiB, read through the transport with a 1 s attempt timeout. */
async function hugeInteger() {
  const server = fork(fileURLToPath(import.meta.url), ['serve', String(intMiB)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise((resolve) => server.once('message', (m) => resolve(m.port)));
  const transport = createTransport({
    service: 'cvm',
    version: '2017-03-12',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { secretId: 'AKIDBENCH', secretKey: 'bench-secret-key' },
    timeoutMs: 1000,
    totalTimeoutMs: 5000,
    retry: false,
  });
  // The longest stall: the largest gap between ticks of a 10 ms interval, and the event-loop
  // delay histogram's maximum.
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  let last = performance.now();
  let maxGap = 0;
  let gapEndedAt = 0;
  const started = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    if (now - last > maxGap) {
      maxGap = now - last;
      gapEndedAt = now - started;
    }
    last = now;
  }, 10);
  let outcome;
  try {
    const result = await transport.call('DescribeInstances');
    outcome = { result: 'data', requestId: result.requestId };
  } catch (err) {
    outcome = { error: err?.name, reason: err?.reason, message: String(err?.message).slice(0, 160) };
  }
  const ms = performance.now() - started;
  // Let the ticker run once more: a stall right before the call settled shows only at its next tick.
  await new Promise((resolve) => setTimeout(resolve, 30));
  clearInterval(ticker);
  histogram.disable();
  console.log(
    JSON.stringify({
      bench: 'huge-integer',
      bodyBytes: intMiB * MiB,
      attemptTimeoutMs: 1000,
      ms: Math.round(ms),
      maxTimerGapMs: Math.round(maxGap),
      maxGapEndedAtMs: Math.round(gapEndedAt),
      maxEventLoopDelayMs: Math.round(histogram.max / 1e6),
      ...outcome,
    }),
  );
  transport.close();
  server.kill();
}
