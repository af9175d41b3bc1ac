// Issue 17 beyond the response bytes: connection headers refused for every sender, proxy URLs
// that are not http:// refused, `ca` added to Node's roots, ALPN, the body idle timeout, stale
// keep-alive sockets (FIN, Keep-Alive: timeout, replay once). Several tests come from the second
// review of the client (they failed on the code it reviewed; each says why).
import { certificate } from './certificate';
import { createServer, Socket, type AddressInfo, type Server } from 'node:net';
import { createRequire } from 'node:module';
import * as tls from 'node:tls';
import { isNetworkError, isTimeoutError, isUsageError } from '@x/errors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTransport, fetchSender, nodeSender, proxyFor } from '../src/index.node';
import { DEFAULT_IDLE_TIMEOUT_MS, trustedCertificates } from '../src/node-sender';
import { cleanups, json, runCleanups, setup, text } from './raw-server';

// The sender loads node:tls at its first connection (process.getBuiltinModule): the module object
// it gets is the one `require` returns, so one test spies on its connect to see the options.
const builtinTls = createRequire(import.meta.url)('node:tls') as typeof tls;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
afterEach(runCleanups);

/** A TCP listener that records every byte it receives and never answers. */
async function sink() {
  const received: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    server.close();
    for (const socket of sockets) socket.destroy();
  });
  return { port: (server.address() as AddressInfo).port, bytes: () => Buffer.concat(received) };
}

const post = (sender: ReturnType<typeof nodeSender>, url: string, signal: AbortSignal) =>
  sender({ method: 'POST', url, headers: {}, body: '{}', signal }).catch((e: unknown) => e);

describe('framing and connection headers from callers', () => {
  const refused = [
    'Transfer-Encoding',
    'content-length',
    'Host',
    'Connection',
    'Keep-Alive',
    'TE',
    'Trailer',
    'Upgrade',
    'Expect',
    'Proxy-Authorization',
    'Proxy-Connection',
  ];

  it.each(refused)('the Node sender refuses %s with a UsageError and sends nothing', async (name) => {
    const { url, sender, requests } = await setup((socket) => socket.write(json('{}')));
    const err = await text(sender, url, { headers: { [name]: 'chunked' } }).catch((e: unknown) => e);
    expect(isUsageError(err), String(err)).toBe(true);
    expect((err as Error).message).toContain(name);
    expect(requests).toHaveLength(0); // before the fix: Transfer-Encoding went out beside Content-Length
  });

  it.each(refused)('the fetch sender refuses %s with a UsageError before fetch is called', async (name) => {
    const fetchImpl = vi.fn(async () => new Response('{}'));
    const err = await fetchSender(fetchImpl as unknown as typeof fetch)({
      method: 'POST',
      url: 'http://127.0.0.1:9/',
      headers: { [name]: '1' },
      body: '{}',
      signal: new AbortController().signal,
    }).catch((e: unknown) => e);
    expect(isUsageError(err), String(err)).toBe(true);
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('transport.call(..., { headers: { "Transfer-Encoding": "chunked" } }) fails with a UsageError on both senders', async () => {
    const { url, requests } = await setup((socket) => socket.write(json('{"Response":{"RequestId":"r"}}')));
    for (const sender of [nodeSender({ env: {} }), fetchSender()]) {
      const transport = createTransport({
        service: 'cvm',
        version: '2017-03-12',
        endpoint: url,
        credentials: { secretId: 'id', secretKey: 'key' },
        sender,
      });
      const err = await transport
        .call('DescribeRegions', {}, { headers: { 'Transfer-Encoding': 'chunked' } })
        .catch((e: unknown) => e);
      expect(isUsageError(err), String(err)).toBe(true);
      expect((err as { attempts?: number }).attempts ?? 1).toBe(1); // a usage error is not retried
      transport.close();
    }
    expect(requests).toHaveLength(0);
  });

  it('other caller headers still go out as written', async () => {
    const { url, sender, requests } = await setup((socket) => socket.write(json('{}')));
    await text(sender, url, { headers: { 'X-Custom': 'v', 'Content-Type': 'application/json' } });
    expect(requests[0]!.head).toContain('\r\nX-Custom: v\r\n');
  });
});

describe('proxy configuration', () => {
  it('an https:// proxy URL is refused with a UsageError naming HTTPS_PROXY: its credentials never go out in cleartext (review 2)', async () => {
    // Before: the proxy was dialled with plain TCP (port 80 by default) and got
    // "CONNECT ... Proxy-Authorization: Basic <creds>" in clear.
    const proxy = await sink();
    const sender = nodeSender({ env: { HTTPS_PROXY: `https://user:s3cret@127.0.0.1:${proxy.port}` } });
    cleanups.push(() => sender.close());
    const controller = new AbortController();
    const pending = post(sender, 'https://api.invalid/', controller.signal);
    await sleep(100);
    controller.abort(new Error('done'));
    const outcome = await pending;
    expect(proxy.bytes()).toHaveLength(0);
    expect(isUsageError(outcome), String(outcome)).toBe(true);
    expect(outcome).toMatchObject({ argument: 'HTTPS_PROXY' });
    expect(String(outcome)).not.toContain('s3cret');
  });

  it.each([
    ['HTTPS_PROXY', 'socks5://127.0.0.1:1080', 'https://api.invalid/'],
    ['https_proxy', 'socks://127.0.0.1:1080', 'https://api.invalid/'],
    ['HTTP_PROXY', 'ftp://127.0.0.1:21', 'http://api.invalid/'],
    ['HTTP_PROXY', 'http://[::1', 'http://api.invalid/'],
  ])(
    '%s=%s is refused with a UsageError naming the variable (review 2: socks5 became http://socks5://...)',
    async (variable, value, url) => {
      const sender = nodeSender({ env: { [variable]: value } });
      cleanups.push(() => sender.close());
      const outcome = await post(sender, url, new AbortController().signal);
      expect(isUsageError(outcome), String(outcome)).toBe(true);
      expect(outcome).toMatchObject({ argument: variable });
      expect(() => proxyFor(new URL(url), { [variable]: value })).toThrow(variable);
    },
  );

  it('a proxy without a scheme is an http:// proxy; NO_PROXY still wins over an unsupported one', () => {
    expect(proxyFor(new URL('https://api.example/'), { HTTPS_PROXY: 'proxy.local:3128' })?.href).toBe(
      'http://proxy.local:3128/',
    );
    expect(
      proxyFor(new URL('https://api.example/'), { HTTPS_PROXY: 'socks5://p:1', NO_PROXY: 'api.example' }),
    ).toBeUndefined();
  });

  it('NO_PROXY entries for IPv6 hosts (::1, [::1], [::1]:port) are honoured (review 2)', () => {
    // proxy.ts split every entry on ':' (breaking IPv6 literals) and compared with URL.hostname,
    // which keeps the brackets ("[::1]").
    const env = { HTTP_PROXY: 'http://proxy:3128' };
    const target = new URL('http://[::1]:8080/');
    expect(proxyFor(target, { ...env, NO_PROXY: 'localhost,127.0.0.1,::1' })).toBeUndefined();
    expect(proxyFor(target, { ...env, NO_PROXY: '[::1]' })).toBeUndefined();
    expect(proxyFor(target, { ...env, NO_PROXY: '[::1]:8080' })).toBeUndefined();
    expect(proxyFor(target, { ...env, NO_PROXY: '[::1]:9090' })).toBeDefined();
  });
});

describe('TLS: ca and ALPN', () => {
  it('ca adds to the default trusted roots instead of replacing them (review 2)', async () => {
    // NodeSenderOptions.ca is documented as extra trust; it was passed as tls.connect's `ca`,
    // which REPLACES Node's bundled roots: every publicly-certified endpoint then failed.
    const privateCa = certificate()?.cert ?? '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const trusted = trustedCertificates(privateCa);
    expect(tls.rootCertificates.every((root) => trusted.includes(root))).toBe(true);
    expect(trusted).toContain(privateCa);
    const connect = vi.spyOn(builtinTls, 'connect');
    cleanups.push(() => connect.mockRestore());
    const server = await sink();
    const sender = nodeSender({ env: {}, ca: privateCa });
    cleanups.push(() => sender.close());
    const controller = new AbortController();
    const pending = post(sender, `https://127.0.0.1:${server.port}/`, controller.signal);
    await sleep(50);
    controller.abort(new Error('done'));
    const outcome = await pending;
    if (isUsageError(outcome)) return; // no openssl: the placeholder PEM is refused up front, as it should be
    expect(connect).toHaveBeenCalled();
    const options = connect.mock.calls[0]![0] as tls.ConnectionOptions;
    expect(options.ca).toBeUndefined();
    expect(options.secureContext).toBeDefined();
  });

  it('a ca that is not PEM is a UsageError naming ca, up front', () => {
    expect(() => nodeSender({ env: {}, ca: 'not a certificate' })).toThrow(expect.objectContaining({ argument: 'ca' }));
    expect(() =>
      nodeSender({ env: {}, ca: ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', 'x'] }),
    ).toThrow(/PEM/);
  });

  it('offers ALPN http/1.1: a server preferring h2 picks http/1.1', async (ctx) => {
    const pair = certificate();
    if (pair === undefined) return ctx.skip();
    const protocols: (string | false | null)[] = [];
    const server = tls.createServer({ ...pair, ALPNProtocols: ['h2', 'http/1.1'] }, (socket) => {
      protocols.push(socket.alpnProtocol ?? null);
      socket.on('error', () => undefined);
      socket.on('data', () => socket.write(json('{}')));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const sender = nodeSender({ env: {}, ca: pair.cert });
    cleanups.push(() => {
      sender.close();
      server.close();
    });
    const answer = await text(sender, `https://localhost:${(server.address() as AddressInfo).port}`);
    expect(answer.status).toBe(200);
    expect(protocols).toEqual(['http/1.1']); // before: no ALPN offered (false)
  });
});

describe('the body idle timeout', () => {
  it('defaults to 300 s (undici bodyTimeout) and refuses nonsense', () => {
    expect(DEFAULT_IDLE_TIMEOUT_MS).toBe(300_000);
    for (const idleTimeoutMs of [0, -1, Number.NaN, 2 ** 31])
      expect(() => nodeSender({ idleTimeoutMs })).toThrow(/idleTimeoutMs/);
  });

  it('an event stream that sends nothing for idleTimeoutMs fails with a TimeoutError; the next call gets a fresh connection', async () => {
    const { url, connections } = await setup((socket, request) => {
      if (request.connection === 1) {
        socket.write(
          'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nX-TC-RequestId: r-1\r\nTransfer-Encoding: chunked\r\n\r\n',
        );
        socket.write('1a\r\ndata: {"Choices":[1]}\n\n\r\n'.replace('1a', (23).toString(16)));
      } else {
        socket.write(json('{"Response":{"RequestId":"r-2"}}'));
      }
    });
    const transport = createTransport({
      service: 'hunyuan',
      version: '2023-09-01',
      endpoint: url,
      credentials: { secretId: 'id', secretKey: 'key' },
      sender: nodeSender({ env: {}, idleTimeoutMs: 150 }),
    });
    cleanups.push(() => transport.close());
    const stream = await transport.stream('ChatCompletions', {});
    const seen: unknown[] = [];
    const err = await (async () => {
      for await (const event of stream.events) seen.push(event.data);
    })().catch((e: unknown) => e);
    expect(seen).toHaveLength(1);
    expect(isTimeoutError(err), String(err)).toBe(true); // before: waited for the caller's signal, forever
    expect(err).toMatchObject({ scope: 'attempt', timeoutMs: 150, mayHaveReachedServer: true });
    expect((await transport.call('DescribeRegions')).requestId).toBe('r-2');
    expect(connections()).toBe(2);
  });

  it('a reader that is slow (socket paused by backpressure) is not timed out', async () => {
    const big = 'x'.repeat(3 * 1024 * 1024);
    const { url, sender } = await setup((socket) => socket.write(json(big)), { idleTimeoutMs: 100 });
    const response = await sender({
      method: 'POST',
      url: `${url}/`,
      headers: {},
      body: '{}',
      signal: new AbortController().signal,
    });
    // 3x the idle timeout without reading: the queue passes the high-water mark, the socket waits for us.
    await sleep(300);
    let read = 0;
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) read += chunk.byteLength;
    expect(read).toBe(big.length);
  }, 15_000);
});

describe('stale keep-alive sockets', () => {
  it('an idle connection whose server already sent FIN is not reused (review 2: the request was lost)', async () => {
    // The pool learnt of a dead idle socket only on 'close'. Between the peer's FIN ('end') and
    // 'close' the connection stayed idle and dispatch() handed it the next request, which then
    // failed as a NetworkError with mayHaveReachedServer: true. (The 'end' is caught with a hook
    // so the window is hit deterministically.)
    let first: Socket | undefined;
    const { url, sender, connections } = await setup((socket, request) => {
      socket.write(json('{}'));
      if (request.connection === 1) first = socket;
    });
    const port = Number(new URL(url).port);
    await text(sender, url);
    const originalEmit = Socket.prototype.emit;
    let second: Promise<unknown> | undefined;
    const fired = new Promise<void>((resolve) => {
      Socket.prototype.emit = function (this: Socket, event: string | symbol, ...args: unknown[]) {
        // Read before the listeners run: ours destroys the socket on 'end', which forgets the peer.
        const ours = event === 'end' && this.remotePort === port;
        const result = originalEmit.apply(this, [event, ...args] as Parameters<typeof originalEmit>);
        if (ours && second === undefined) {
          second = text(sender, url).catch((e: unknown) => e);
          resolve();
        }
        return result;
      } as typeof Socket.prototype.emit;
    });
    first!.end(); // the server closes its idle side, now that the hook is in place
    try {
      await fired;
    } finally {
      Socket.prototype.emit = originalEmit;
    }
    const outcome = await second;
    expect(isNetworkError(outcome) ? String(outcome) : outcome).toMatchObject({ status: 200, text: '{}' });
    expect(connections()).toBe(2);
  });

  it('honours Keep-Alive: timeout with a margin: timeout=1 is never reused', async () => {
    const { url, sender, connections } = await setup((socket) => socket.write(json('{}', 'Keep-Alive: timeout=1\r\n')));
    await text(sender, url);
    await text(sender, url);
    expect(connections()).toBe(2);
  });

  it('a GET on a reused connection closed before any answer byte is replayed once on a fresh connection', async () => {
    const { url, sender, connections } = await setup((socket, request) => {
      if (request.connection === 1 && request.onConnection === 2) return socket.destroy(); // the server gave up on it
      socket.write(json(`{"n":${request.connection}}`));
    });
    await text(sender, url, { method: 'GET' });
    const answer = await text(sender, url, { method: 'GET' });
    expect(answer.text).toBe('{"n":2}');
    expect(connections()).toBe(2);
  });

  it('a POST there is not replayed (it may have been acted on): NetworkError, mayHaveReachedServer', async () => {
    const { url, sender, requests } = await setup((socket, request) => {
      if (request.connection === 1 && request.onConnection === 2) return socket.destroy();
      socket.write(json('{}'));
    });
    await text(sender, url);
    const err = await text(sender, url).catch((e: unknown) => e);
    expect(isNetworkError(err), String(err)).toBe(true);
    expect(err).toMatchObject({ mayHaveReachedServer: true });
    expect(requests).toHaveLength(2);
  });

  it('a GET is replayed only once: a fresh connection failing too is the caller’s error', async () => {
    const { url, sender, connections } = await setup((socket, request) => {
      if (request.connection === 1 && request.onConnection === 1) return void socket.write(json('{}'));
      socket.destroy();
    });
    await text(sender, url, { method: 'GET' });
    const err = await text(sender, url, { method: 'GET' }).catch((e: unknown) => e);
    expect(isNetworkError(err), String(err)).toBe(true);
    expect(connections()).toBe(2);
  });
});
