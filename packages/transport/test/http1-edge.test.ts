// Edge cases of the HTTP/1.1 client (src/http1/) and the Node sender (src/node-sender.ts) found
// in review: the first block pins fixed bugs (each failed before its fix), the second pins
// behaviour that was suspected and found right.
import { certificate } from './certificate';
import { spawn } from 'node:child_process';
import { createServer as createHttpsServer } from 'node:https';
import { connect as netConnect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { readBody } from '@x/envelope';
import { isNetworkError, isUsageError } from '@x/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeSender } from '../src/index.node';
import { inMutationRun } from '@x/test-support';
import { cleanups, json, runCleanups, setup, text } from './raw-server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Resolves with 'timeout' when `promise` has not settled within `ms`. */
const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise.then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    ),
    sleep(ms).then(() => 'timeout' as const),
  ]);

/**
 * Waits until `condition` holds, polling (at most `ms`): a loaded machine may take longer than any
 * fixed sleep to accept a connection or close one, and the assertion after it says what was awaited.
 */
async function until(condition: () => boolean, ms = 3000): Promise<void> {
  const ends = Date.now() + ms;
  while (!condition() && Date.now() < ends) await sleep(5);
}

afterEach(runCleanups);

/** A raw proxy: `onConnect(socket, firstLine, head)` decides what happens to each CONNECT. */
async function rawProxy(onConnect: (socket: Socket, line: string, head: string) => void) {
  const sockets = new Set<Socket>();
  let tunnels = 0;
  const server: Server = createServer((socket) => {
    tunnels++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      onConnect(socket, buffer.slice(0, buffer.indexOf('\r\n')), buffer.slice(0, end));
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    server.close();
    for (const socket of sockets) socket.destroy();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sockets, tunnels: () => tunnels };
}

describe('http1: fixed in review', () => {
  it('a connection released while its socket is paused (body over the high-water mark) serves the next request', async () => {
    // 1 MiB + 1 byte: the last read pushes the queue over HIGH_WATER_BYTES, pauses the socket,
    // and in the same call finish() hands the still-paused connection back to the pool.
    const big = 'x'.repeat(1024 * 1024 + 1);
    const { url, sender, connections } = await setup((socket, request) => {
      socket.write(request.onConnection === 1 ? json(big) : json('{"second":true}'));
    });
    const first = await sender({
      method: 'POST',
      url: `${url}/`,
      headers: {},
      body: '{}',
      signal: new AbortController().signal,
    });
    await sleep(100); // the whole first body arrives; nobody has read it yet
    const second = await within(text(sender, url), 1000);
    expect(connections()).toBe(1); // it was reused...
    expect(second).toMatchObject({ value: { status: 200, text: '{"second":true}' } }); // before the fix it never answered: 'timeout'
    await readBody(first);
  });

  it('close() while a request is in flight closes its socket once the answer is read', async () => {
    const { url, sender, sockets } = await setup((socket) => setTimeout(() => socket.write(json('{}')), 30));
    const answer = text(sender, url);
    await sleep(10);
    sender.close(); // "requests in flight finish", then nothing of the sender should stay open
    expect((await answer).status).toBe(200);
    await sleep(100);
    expect(sockets.size).toBe(0); // before the fix: 1, kept until keepAliveMs (30 s) expired
  });

  it('a URL whose path carries CR/LF or spaces is refused with a UsageError (no request splitting)', async () => {
    const { url, sender, requests } = await setup((socket) => socket.write(json('{}')));
    const err = await sender({
      method: 'GET',
      url: `${url}/?Action=X HTTP/1.1\r\nX-Injected: yes\r\nX-Pad: a`,
      headers: {},
      signal: new AbortController().signal,
    }).then(
      async (response) => void (await readBody(response)),
      (e: unknown) => e,
    );
    await sleep(20);
    expect(requests.some((r) => /\r\nX-Injected: yes/.test(r.head))).toBe(false);
    expect(isUsageError(err)).toBe(true);
  });

  it('a URL with a query but no path keeps its query and shares one pool', async () => {
    const { url, sender, requests, connections } = await setup((socket) => socket.write(json('{}')));
    for (const query of ['?Limit=1', '?Limit=2']) {
      await readBody(
        await sender({ method: 'GET', url: `${url}${query}`, headers: {}, signal: new AbortController().signal }),
      );
    }
    expect(requests.map((r) => r.head.split('\r\n')[0])).toEqual(['GET /?Limit=1 HTTP/1.1', 'GET /?Limit=2 HTTP/1.1']); // before the fix: both 'GET / HTTP/1.1'
    expect(connections()).toBe(1); // before the fix: 2, targetOf() keyed pools by 'http://host:port?Limit=1'
  });

  it('proxy credentials that are not Latin-1, or carry a stray %, are sent as UTF-8 Basic credentials', async () => {
    // new URL() percent-encodes the password; decoded it is "пароль", which btoa() refused.
    const heads: string[] = [];
    const proxy = await rawProxy((socket, _line, head) => {
      heads.push(head);
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n');
    });
    for (const password of ['пароль', 'p%zz']) {
      const withCreds = proxy.url.replace('http://', `http://user:${password}@`);
      const sender = nodeSender({ env: { HTTP_PROXY: withCreds, HTTPS_PROXY: withCreds } });
      cleanups.push(() => sender.close());
      const expected = `\r\nProxy-Authorization: Basic ${Buffer.from(`user:${password}`, 'utf8').toString('base64')}`;
      heads.length = 0;
      const plain = await sender({
        method: 'POST',
        url: 'http://api.invalid/',
        headers: {},
        body: '{}',
        signal: new AbortController().signal,
      });
      expect(plain.status).toBe(407); // absolute-form through the proxy: its answer is ours
      await readBody(plain);
      const tunnelled = await sender({
        method: 'POST',
        url: 'https://api.invalid/',
        headers: {},
        body: '{}',
        signal: new AbortController().signal,
      }).catch((e: unknown) => e);
      expect(isNetworkError(tunnelled), String(tunnelled)).toBe(true); // CONNECT refused
      expect(heads).toHaveLength(2);
      for (const head of heads) expect(head).toContain(expected);
    }
  });

  it('a refused tunnel frees its socket slot (no hang at maxSockets: 1)', async () => {
    const proxy = await rawProxy((socket) => socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n'));
    const sender = nodeSender({
      maxSockets: 1,
      env: { HTTPS_PROXY: proxy.url.replace('http://', 'http://user:p%zz@') },
    });
    cleanups.push(() => sender.close());
    const send = () =>
      sender({
        method: 'POST',
        url: 'https://api.invalid/',
        headers: {},
        body: '{}',
        signal: new AbortController().signal,
      });
    expect(isNetworkError(await send().catch((e: unknown) => e))).toBe(true);
    const second = await within(send(), 500);
    expect(second).not.toBe('timeout'); // before the fix: a URIError after open++ kept the slot taken forever
    expect(isNetworkError((second as { error?: unknown }).error)).toBe(true);
  });

  it('keepAliveMs: Infinity keeps idle sockets without a 1 ms sweeper (no TimeoutOverflowWarning)', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const { url, sender } = await setup((socket) => socket.write(json('{}')), { keepAliveMs: Infinity });
      await text(sender, url);
      await sleep(20);
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('TimeoutOverflowWarning');
  });

  it('bytes after a Content-Length: 0 (or 204) answer make the connection non-reusable', async () => {
    // The same extra bytes after a non-empty Content-Length body make onBody() refuse reuse;
    // finish() straight from onData() skips that check.
    const { url, sender, connections } = await setup((socket, request) => {
      socket.write(
        request.connection === 1
          ? 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}'
          : json('{}'),
      );
    });
    await text(sender, url);
    await text(sender, url);
    expect(connections()).toBe(2); // 1: the out-of-step connection was reused
  });
});

describe('http1: suspected in review, found right', () => {
  it('cancelling while waiting for the head (via onAbort, as the transport does) frees the socket slot', async () => {
    const { url, sender, connections } = await setup(
      (socket, request) => {
        if (request.connection > 1) socket.write(json('{}'));
      },
      { maxSockets: 1 },
    );
    let cancel: ((reason: unknown) => void) | undefined;
    const hanging = sender({
      method: 'POST',
      url: `${url}/`,
      headers: {},
      body: '{}',
      signal: new AbortController().signal,
      onAbort: (c) => (cancel = c),
    });
    await sleep(20);
    cancel!(new Error('attempt timed out'));
    await expect(hanging).rejects.toThrow('attempt timed out');
    expect((await text(sender, url)).status).toBe(200);
    expect(connections()).toBe(2);
  });

  it('cancelling a request while its CONNECT tunnel is being built closes the tunnel and frees the slot', async () => {
    let held: Socket | undefined;
    const proxy = await rawProxy((socket) => {
      if (held === undefined)
        held = socket; // never answers the first CONNECT
      else socket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
    });
    const sender = nodeSender({ maxSockets: 1, env: { HTTPS_PROXY: proxy.url } });
    cleanups.push(() => sender.close());
    const controller = new AbortController();
    const first = sender({
      method: 'POST',
      url: 'https://api.invalid/',
      headers: {},
      body: '{}',
      signal: controller.signal,
    });
    await until(() => held !== undefined);
    controller.abort(new Error('gave up'));
    await expect(first).rejects.toThrow('gave up');
    await until(() => held!.destroyed || held!.readableEnded);
    expect(held!.destroyed || held!.readableEnded).toBe(true);
    const second = await within(
      sender({
        method: 'POST',
        url: 'https://api.invalid/',
        headers: {},
        body: '{}',
        signal: new AbortController().signal,
      }),
      1000,
    );
    expect(second).not.toBe('timeout');
    expect(isNetworkError((second as { error: unknown }).error)).toBe(true);
  });

  it('cancelling during the TLS handshake inside an open tunnel closes the tunnel socket and frees the slot', async () => {
    const proxy = await rawProxy((socket) => socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')); // then swallows the ClientHello
    const sender = nodeSender({ maxSockets: 1, env: { HTTPS_PROXY: proxy.url } });
    cleanups.push(() => sender.close());
    const controller = new AbortController();
    const first = sender({
      method: 'POST',
      url: 'https://api.invalid/',
      headers: {},
      body: '{}',
      signal: controller.signal,
    });
    await until(() => proxy.sockets.size === 1);
    expect(proxy.sockets.size).toBe(1);
    controller.abort(new Error('gave up'));
    await expect(first).rejects.toThrow('gave up');
    await until(() => proxy.sockets.size === 0);
    expect(proxy.sockets.size).toBe(0);
    const controller2 = new AbortController();
    const second = sender({
      method: 'POST',
      url: 'https://api.invalid/',
      headers: {},
      body: '{}',
      signal: controller2.signal,
    });
    await until(() => proxy.tunnels() === 2);
    expect(proxy.tunnels()).toBe(2); // the slot was given back: a new tunnel was opened
    controller2.abort(new Error('done'));
    await expect(second).rejects.toThrow('done');
  });

  it('a proxy that resets the tunnel during the TLS handshake gives a NetworkError (no unhandled error on the tunnel socket)', async () => {
    const proxy = await rawProxy((socket) => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      setTimeout(() => socket.resetAndDestroy(), 20);
    });
    const sender = nodeSender({ env: { HTTPS_PROXY: proxy.url } });
    cleanups.push(() => sender.close());
    const err = await sender({
      method: 'POST',
      url: 'https://api.invalid/',
      headers: {},
      body: '{}',
      signal: new AbortController().signal,
    }).catch((e: unknown) => e);
    expect(isNetworkError(err)).toBe(true);
    expect(err).toMatchObject({ mayHaveReachedServer: false });
  });

  it('stray bytes on an idle connection close it; the next request opens a new one', async () => {
    const { url, sender, connections } = await setup((socket, request) => {
      socket.write(json('{}'));
      if (request.connection === 1) setTimeout(() => socket.write('junk'), 10);
    });
    await text(sender, url);
    await sleep(50);
    expect((await text(sender, url)).status).toBe(200);
    expect(connections()).toBe(2);
  });

  it('100 Continue in its own read, then a chunked body whose CRLF is split between CR and LF, then keep-alive reuse', async () => {
    const { url, sender, connections } = await setup((socket) => {
      void (async () => {
        for (const piece of [
          'HTTP/1.1 100 Continue\r\n\r\n',
          'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r',
          '\n{}\r',
          '\n0\r',
          '\n\r',
          '\n',
        ]) {
          socket.write(piece);
          await sleep(3);
        }
      })();
    });
    expect((await text(sender, url)).text).toBe('{}');
    expect((await text(sender, url)).text).toBe('{}');
    expect(connections()).toBe(1);
  });

  it('an HTTP/1.0 answer with Connection: keep-alive and Content-Length is reused; a close-delimited one is not', async () => {
    const { url, sender, connections } = await setup((socket, request) => {
      if (request.connection === 1 && request.onConnection === 1)
        socket.write('HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}');
      else socket.end('HTTP/1.0 200 OK\r\n\r\n{"c":1}');
    });
    expect((await text(sender, url)).text).toBe('{}');
    expect((await text(sender, url)).text).toBe('{"c":1}');
    expect((await text(sender, url)).text).toBe('{"c":1}');
    expect(connections()).toBe(2);
  });

  it('leaving a body early (readBody cap) destroys the connection and the next request gets a fresh one', async () => {
    const { url, sender, connections } = await setup((socket, request) => {
      socket.write(
        request.connection === 1
          ? 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n'
          : json('{}'),
      );
    });
    const response = await sender({
      method: 'POST',
      url: `${url}/`,
      headers: {},
      body: '{}',
      signal: new AbortController().signal,
    });
    await expect(readBody(response, { maxBytes: 4 })).rejects.toThrow(/larger than/);
    expect((await text(sender, url)).status).toBe(200);
    expect(connections()).toBe(2);
  });

  it('the process exits with an idle keep-alive TLS connection, direct and through a CONNECT tunnel', async (ctx) => {
    const pair = certificate();
    if (pair === undefined || inMutationRun) ctx.skip(); // inMutationRun: a child process on dist/
    const { cert } = pair!;
    const tls = createHttpsServer({ key: pair!.key, cert, keepAliveTimeout: 60_000 }, (req, res) => {
      req.resume();
      req.on('end', () => res.end('{}'));
    });
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    cleanups.push(() => {
      tls.closeAllConnections();
      tls.close();
    });
    const port = (tls.address() as AddressInfo).port;
    const proxy = await rawProxy((socket, line) => {
      const [host, p] = line.split(' ')[1]!.split(':');
      const upstream = netConnect(Number(p), host === 'localhost' ? '127.0.0.1' : host!, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
    });
    const entry = fileURLToPath(new URL('../dist/index.node.js', import.meta.url));
    for (const env of [{}, { HTTPS_PROXY: proxy.url }]) {
      const script = `
        import(${JSON.stringify(entry)}).then(async ({ nodeSender }) => {
          const send = nodeSender({ env: ${JSON.stringify(env)}, ca: ${JSON.stringify(cert)} });
          const res = await send({ method: 'POST', url: 'https://localhost:${port}/', headers: {}, body: '{}', signal: new AbortController().signal });
          for await (const _ of res.body) {}
          console.log('answered ' + res.status);
        });`;
      const run = await new Promise<{ stdout: string; status: number | null }>((resolve) => {
        const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
        let stdout = '';
        child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        const timer = setTimeout(() => child.kill(), 8_000);
        child.on('close', (status) => {
          clearTimeout(timer);
          resolve({ stdout, status });
        });
      });
      expect(run, JSON.stringify(env)).toEqual({ stdout: 'answered 200\n', status: 0 });
    }
  }, 30_000);
});
