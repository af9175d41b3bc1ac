// The Node sender's HTTP/1.1 client against a raw TCP server on 127.0.0.1 that writes exactly the
// bytes each test wants: framing (Content-Length, chunked split anywhere, close-delimited),
// interim answers, keep-alive rules, broken answers, queueing and cancellation.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readBody } from '@x/envelope';
import { isNetworkError, isUsageError, NetworkError } from '@x/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { inMutationRun } from '@x/test-support';
import { json, runCleanups, setup, text, trickle } from './raw-server';

afterEach(runCleanups);

describe('the Node sender on the wire', () => {
  it('sends one request head with Host, the headers and Content-Length (UTF-8 bytes), and reuses the connection', async () => {
    const { url, sender, requests, connections } = await setup((socket) =>
      socket.write(json('{"Response":{"RequestId":"r"}}')),
    );
    for (let i = 0; i < 5; i++)
      expect((await text(sender, url, { body: '{"Name":"云服务器"}' })).text).toBe('{"Response":{"RequestId":"r"}}');
    expect(connections()).toBe(1);
    const head = `${requests[0]!.head}\r\n`;
    expect(head.split('\r\n')[0]).toBe('POST / HTTP/1.1');
    expect(head).toContain(`\r\nHost: ${new URL(url).host}\r\n`);
    expect(head).toContain('\r\nContent-Type: application/json\r\n');
    expect(head).toContain(`\r\nContent-Length: ${Buffer.byteLength('{"Name":"云服务器"}')}\r\n`);
    expect(requests[0]!.body).toBe('{"Name":"云服务器"}');
    expect(requests.map((r) => r.onConnection)).toEqual([1, 2, 3, 4, 5]);
  });

  it('sends GET without a body or Content-Length, the query in the request target', async () => {
    const { url, sender, requests } = await setup((socket) => socket.write(json('{}')));
    const response = await sender({
      method: 'GET',
      url: `${url}/?Limit=1&Name=a%20b`,
      headers: {},
      signal: new AbortController().signal,
    });
    await readBody(response);
    expect(requests[0]!.head.split('\r\n')[0]).toBe('GET /?Limit=1&Name=a%20b HTTP/1.1');
    expect(requests[0]!.head).not.toMatch(/content-length/i);
  });

  it('reads a chunked body split at every possible byte, trailers included', async () => {
    const wire = '4\r\n{"Re\r\n1a;ext=1\r\nsponse":{"RequestId":"c"}}\r\n0\r\nX-Trailer: t\r\n\r\n';
    const expected = '{"Response":{"RequestId":"c"}}';
    for (const split of [1, 2, 3, 5, 7, 11, 16, 17, 18, 19, 44, wire.length - 2, wire.length - 1]) {
      const { url, sender } = await setup((socket) => {
        const head = 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
        void trickle(socket, [head + wire.slice(0, split), wire.slice(split)]);
      });
      expect((await text(sender, url)).text, `split at ${split}`).toBe(expected);
      // The connection is still in step: a second answer on it reads the same.
      expect((await text(sender, url)).text, `second answer, split at ${split}`).toBe(expected);
    }
  });

  it('reads a head split across reads, and skips 100 Continue / 103 Early Hints', async () => {
    const { url, sender } = await setup((socket) => {
      const whole = `HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n${json('{"a":1}', 'X-TC-RequestId: r-1\r\n')}`;
      void trickle(socket, [whole.slice(0, 10), whole.slice(10, 27), whole.slice(27, 80), whole.slice(80)]);
    });
    const answer = await text(sender, url);
    expect(answer).toMatchObject({ status: 200, text: '{"a":1}' });
    expect(answer.headers.get('X-TC-RequestId')).toBe('r-1');
    expect(answer.headers.get('missing')).toBeNull();
  });

  it('joins repeated response headers with ", "', async () => {
    const { url, sender } = await setup((socket) => socket.write(json('{}', 'Vary: a\r\nVary: b\r\n')));
    expect((await text(sender, url)).headers.get('vary')).toBe('a, b');
  });

  it('reads a body delimited by the connection closing, and opens a new connection after it', async () => {
    const { url, sender, connections } = await setup((socket) => {
      socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\n\r\n<html>bad gateway</html>');
    });
    expect(await text(sender, url)).toMatchObject({ status: 502, text: '<html>bad gateway</html>' });
    expect(await text(sender, url)).toMatchObject({ status: 502 });
    expect(connections()).toBe(2);
  });

  it('closes the connection after "Connection: close" and after an HTTP/1.0 answer without keep-alive', async () => {
    const { url, sender, connections } = await setup((socket, request) => {
      if (request.connection === 1) socket.write(json('{}', 'Connection: close\r\n'));
      else socket.write('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}');
    });
    await text(sender, url);
    await text(sender, url);
    await text(sender, url);
    expect(connections()).toBe(3);
  });

  it('does not reuse a connection past the server\'s "Keep-Alive: timeout"', async () => {
    const { url, sender, connections } = await setup((socket) => socket.write(json('{}', 'Keep-Alive: timeout=1\r\n')));
    await text(sender, url);
    await text(sender, url);
    // timeout=1 leaves no safe idle time (a second of margin): every request opens a connection.
    expect(connections()).toBe(2);
  });

  it('opens a new connection when the server closed an idle one', async () => {
    const { url, sender, connections } = await setup((socket) => {
      socket.write(json('{}'));
      setTimeout(() => socket.end(), 5);
    });
    await text(sender, url);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await text(sender, url)).status).toBe(200);
    expect(connections()).toBe(2);
  });

  it('keeps at most maxSockets connections and queues the other requests', async () => {
    const { url, sender, connections } = await setup((socket) => setTimeout(() => socket.write(json('{}')), 5), {
      maxSockets: 2,
    });
    const answers = await Promise.all(Array.from({ length: 10 }, () => text(sender, url)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(connections()).toBe(2);
  });

  it('cancels a queued request without sending it', async () => {
    const { url, sender, requests } = await setup((socket) => setTimeout(() => socket.write(json('{}')), 30), {
      maxSockets: 1,
    });
    const first = text(sender, url);
    const controller = new AbortController();
    const second = text(sender, url, { signal: controller.signal });
    controller.abort(new Error('caller gave up'));
    await expect(second).rejects.toThrow('caller gave up');
    await first;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requests).toHaveLength(1);
  });

  it('rethrows the abort reason mid-body and closes that connection', async () => {
    const { url, sender, connections } = await setup((socket, request) => {
      if (request.connection === 1) socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"partial":');
      else socket.write(json('{}'));
    });
    const controller = new AbortController();
    const response = await sender({
      method: 'POST',
      url: `${url}/`,
      headers: {},
      body: '{}',
      signal: controller.signal,
    });
    const reading = readBody(response);
    controller.abort(new Error('stop'));
    await expect(reading).rejects.toThrow();
    expect((await text(sender, url)).status).toBe(200);
    expect(connections()).toBe(2);
  });

  it('gives a NetworkError (reached the server) when the connection breaks mid-body or before the answer', async () => {
    const { url, sender } = await setup((socket, request) => {
      if (request.connection === 1) socket.end('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"partial":');
      else socket.destroy();
    });
    const broken = await sender({
      method: 'POST',
      url: `${url}/`,
      headers: {},
      body: '{}',
      signal: new AbortController().signal,
    });
    const midBody = await readBody(broken).catch((err: unknown) => err);
    expect(isNetworkError(midBody)).toBe(true);
    const silent = await text(sender, url).catch((err: unknown) => err);
    expect(isNetworkError(silent)).toBe(true);
    expect((silent as NetworkError).mayHaveReachedServer).toBe(true);
    expect((silent as NetworkError).endpoint).toBe(url);
  });

  it('says a refused connection never reached the server', async () => {
    const { url, sender, server } = await setup(() => undefined);
    await new Promise((resolve) => server.close(resolve));
    const err = await text(sender, url).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ systemCode: 'ECONNREFUSED', mayHaveReachedServer: false });
  });

  it.each([
    ['not HTTP', 'SSH-2.0-OpenSSH\r\n\r\n', /did not answer in HTTP\/1\.1/],
    ['a bad Content-Length', 'HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\n', /invalid Content-Length "12abc"/],
    [
      'a bad chunk size',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      /chunk size that is not hexadecimal/,
    ],
    ['a header line without a colon', 'HTTP/1.1 200 OK\r\nbroken\r\n\r\n', /a line that is not a header field/],
    ['a switch of protocols', 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n', /switched protocols/],
  ])('refuses an answer with %s as a NetworkError', async (_name, bytes, message) => {
    const { url, sender } = await setup((socket) => socket.write(bytes));
    const err = await text(sender, url).catch((e: unknown) => e);
    expect(isNetworkError(err)).toBe(true);
    expect((err as Error).message).toMatch(message);
  });

  it('refuses a response head over 64 KiB', async () => {
    const { url, sender } = await setup((socket) =>
      socket.write(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n`),
    );
    await expect(text(sender, url)).rejects.toThrow(/response head is larger than 65536 bytes/);
  });

  it('refuses header names and values that would break the request head, before sending anything', async () => {
    const { url, sender, requests } = await setup((socket) => socket.write(json('{}')));
    for (const headers of [
      { 'X-TC-Region': 'ap-guangzhou\r\nX-Injected: 1' },
      { 'Bad Name': 'x' },
      { 'X-Name': 'naïve' },
    ]) {
      const err = await text(sender, url, { headers }).catch((e: unknown) => e);
      expect(isUsageError(err)).toBe(true);
      expect((err as Error).message).toMatch(/header/);
    }
    expect(requests).toHaveLength(0);
  });

  it('reads a large chunked body with back-pressure (a slow reader pauses the socket)', async () => {
    const piece = 'x'.repeat(64 * 1024);
    const { url, sender } = await setup((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
      for (let i = 0; i < 80; i++) socket.write(`${piece.length.toString(16)}\r\n${piece}\r\n`);
      socket.write('0\r\n\r\n');
    });
    const response = await sender({
      method: 'POST',
      url: `${url}/`,
      headers: {},
      body: '{}',
      signal: new AbortController().signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the server run ahead of the reader
    let total = 0;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) total += chunk.byteLength;
    expect(total).toBe(80 * piece.length);
  });

  it('lets the process exit while idle keep-alive connections remain', async (ctx) => {
    if (inMutationRun) ctx.skip(); // a child process on dist/: it cannot kill a mutant
    const { url, connections } = await setup((socket) => socket.write(json('{}')));
    const entry = fileURLToPath(new URL('../dist/index.node.js', import.meta.url));
    const script = `
      import(${JSON.stringify(entry)}).then(async ({ nodeSender }) => {
        const send = nodeSender({ env: {} });
        const res = await send({ method: 'POST', url: ${JSON.stringify(`${url}/`)}, headers: {}, body: '{}', signal: new AbortController().signal });
        for await (const _ of res.body) {}
        console.log('answered');
      });`;
    const run = await new Promise<{ stdout: string; status: number | null }>((resolve) => {
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      const timer = setTimeout(() => child.kill(), 10_000);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ stdout, status });
      });
    });
    expect(run.stdout.trim()).toBe('answered');
    expect(run.status).toBe(0);
    expect(connections()).toBe(1);
  }, 15_000);
});
