// The Node sender's own surface, seen from a raw server: option checks and their messages, the
// bytes of the request it writes (target, Host, Content-Length), endpoints it refuses, proxies in
// absolute form, cancellation before and after sending, and close().
import { getEventListeners } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { readBody } from '@x/envelope';
import { isNetworkError, isUsageError } from '@x/errors';
import builtinTls, * as tls from 'node:tls';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nodeSender } from '../src/index.node';
import { DEFAULT_IDLE_TIMEOUT_MS, trustedCertificates } from '../src/node-sender';
import { caught, cleanups, json, never, runCleanups, setup, text } from './raw-server';

afterEach(runCleanups);

describe('nodeSender options', () => {
  it.each([
    [{ maxSockets: 0 }, 'maxSockets', 'must be a positive integer, got 0'],
    [{ maxSockets: 1.5 }, 'maxSockets', 'must be a positive integer, got 1.5'],
    [{ maxSockets: -3 }, 'maxSockets', 'must be a positive integer, got -3'],
    [{ keepAliveMs: -1 }, 'keepAliveMs', 'must be a number of milliseconds ≥ 0, got -1'],
    [{ keepAliveMs: Number.NaN }, 'keepAliveMs', 'must be a number of milliseconds ≥ 0, got NaN'],
    [{ idleTimeoutMs: 0 }, 'idleTimeoutMs', 'must be a number of milliseconds between 1 and 2147483647, got 0'],
    [{ idleTimeoutMs: 2 ** 31 }, 'idleTimeoutMs', 'got 2147483648'],
  ])('%o is refused with a UsageError naming %s', (options, argument, message) => {
    let error: unknown;
    try {
      nodeSender({ env: {}, ...options });
    } catch (err) {
      error = err;
    }
    expect(isUsageError(error), String(error)).toBe(true);
    expect(error).toMatchObject({ argument });
    expect((error as Error).message).toContain(message);
  });

  it('accepts the edges: maxSockets 1, keepAliveMs 0, idleTimeoutMs 1 and 2^31-1', () => {
    for (const options of [{ maxSockets: 1 }, { keepAliveMs: 0 }, { idleTimeoutMs: 1 }, { idleTimeoutMs: 2 ** 31 - 1 }])
      expect(() => nodeSender({ env: {}, ...options }).close()).not.toThrow();
    expect(DEFAULT_IDLE_TIMEOUT_MS).toBe(300_000);
  });

  it('keepAliveMs: 0 drops a connection once its answer is read: the next request opens a new one', async () => {
    const { url, sender, connections } = await setup((socket) => socket.write(json('{}')), { keepAliveMs: 0 });
    for (let i = 0; i < 2; i++) {
      const response = await sender({ method: 'GET', url: `${url}/`, headers: {}, signal: never() });
      expect(response.status).toBe(200);
    }
    expect(connections()).toBe(2);
  });

  it('by default keeps the connection: two requests in a row share one socket', async () => {
    const { url, sender, connections } = await setup((socket) => socket.write(json('{}')));
    for (let i = 0; i < 2; i++) await sender({ method: 'GET', url: `${url}/`, headers: {}, signal: never() });
    expect(connections()).toBe(2 - 1);
  });

  it('the default maxSockets lets 64 requests in flight at once, and queues the 65th', async () => {
    const held: Socket[] = [];
    const { url, sender, connections } = await setup((socket) => held.push(socket));
    const pending = Array.from({ length: 65 }, () =>
      sender({ method: 'GET', url: `${url}/`, headers: {}, signal: never() }),
    );
    for (let i = 0; i < 200 && held.length < 64; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(held).toHaveLength(64);
    expect(connections()).toBe(64);
    for (const socket of held.splice(0)) socket.write(json('{}'));
    for (let i = 0; i < 200 && held.length < 1; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(held).toHaveLength(1); // the 65th went out on a freed connection
    expect(connections()).toBe(64);
    held[0]!.write(json('{}'));
    expect((await Promise.all(pending)).map((r) => r.status)).toEqual(Array(65).fill(200));
  });
});

describe('nodeSender ca and environment', () => {
  const placeholderPem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

  it('ca: one PEM or a list of them is taken; anything else in the list is a UsageError naming ca', () => {
    expect(() => nodeSender({ env: {}, ca: placeholderPem }).close()).not.toThrow();
    expect(() => nodeSender({ env: {}, ca: [placeholderPem, placeholderPem] }).close()).not.toThrow();
    for (const ca of [[42], [placeholderPem, null], ['no marker']] as unknown as string[][]) {
      expect(() => nodeSender({ env: {}, ca })).toThrow(
        expect.objectContaining({ argument: 'ca', name: 'UsageError' }),
      );
    }
  });

  it('a ca OpenSSL refuses fails the first https request with a UsageError naming ca, before any socket', async () => {
    // Node's OpenSSL skips unreadable PEM blocks, but a stricter build (FIPS, a newer OpenSSL) throws.
    const refuse = vi.spyOn(builtinTls, 'createSecureContext').mockImplementation(() => {
      throw new Error('error:0480006C:PEM routines::no start line');
    });
    cleanups.push(() => refuse.mockRestore());
    const sender = nodeSender({ env: {}, ca: placeholderPem });
    cleanups.push(() => sender.close());
    const connect = vi.spyOn(builtinTls, 'connect');
    cleanups.push(() => connect.mockRestore());
    const error = await caught(sender({ method: 'GET', url: 'https://127.0.0.1:1/', headers: {}, signal: never() }));
    expect(isUsageError(error), String(error)).toBe(true);
    expect(error).toMatchObject({ argument: 'ca' });
    expect((error as Error).message).toContain('is not a valid PEM certificate (or list of them): error:0480006C');
    expect(connect).not.toHaveBeenCalled();
    expect(refuse.mock.calls[0]![0]).toEqual({ ca: trustedCertificates(placeholderPem) });
  });

  it("trusts Node's default roots (with NODE_EXTRA_CA_CERTS where Node lists them) plus the given ones", () => {
    const listed = (tls as { getCACertificates?: (type: 'default') => string[] }).getCACertificates;
    const defaults = typeof listed === 'function' ? listed('default') : tls.rootCertificates;
    expect(trustedCertificates(placeholderPem)).toEqual([...defaults, placeholderPem]);
    expect(trustedCertificates(['a', 'b']).slice(-2)).toEqual(['a', 'b']);
  });

  it('without an env option it reads HTTP_PROXY from process.env', async () => {
    const proxy = await setup((socket) => socket.write(json('{}')));
    vi.stubEnv('HTTP_PROXY', proxy.url);
    vi.stubEnv('NO_PROXY', '');
    cleanups.push(() => vi.unstubAllEnvs());
    const sender = nodeSender();
    cleanups.push(() => sender.close());
    await sender({ method: 'GET', url: 'http://origin.test/x', headers: {}, signal: never() });
    expect(proxy.requests[0]!.head.split('\r\n')[0]).toBe('GET http://origin.test/x HTTP/1.1');
  });
});

describe('the pool', () => {
  it('a busy connection that closes leaves the idle ones in the pool: they serve the next requests', async () => {
    // Three at once, so three connections; the third answer says Connection: close, after the
    // other two went idle. Closing it must not take an idle connection out of the pool.
    const { url, sender, connections, requests } = await setup((socket, request) => {
      if (request.connection === 3 && request.onConnection === 1)
        setTimeout(() => socket.end(json('{}', 'Connection: close\r\n')), 50);
      else socket.write(json('{}'));
    });
    const get = () => text(sender, url, { method: 'GET' });
    await Promise.all([get(), get(), get()]);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the third connection's close is seen
    expect(connections()).toBe(3);
    await Promise.all([get(), get()]);
    expect(connections()).toBe(3); // both went out on the two idle connections
    expect(
      requests
        .filter((r) => r.onConnection === 2)
        .map((r) => r.connection)
        .sort(),
    ).toEqual([1, 2]);
  });
});

describe('the request bytes', () => {
  it('POST: origin-form target, Host, caller headers in order, Content-Length in bytes, then the body', async () => {
    const { url, sender, requests } = await setup((socket) => socket.write(json('{}')));
    await sender({
      method: 'POST',
      url: `${url}/a/b?x=1#frag`,
      headers: { 'X-One': '1', 'Content-Type': 'application/json' },
      body: '{"k":"é"}',
      signal: never(),
    });
    const host = new URL(url).host;
    expect(requests[0]!.head).toBe(
      `POST /a/b?x=1 HTTP/1.1\r\nHost: ${host}\r\nX-One: 1\r\nContent-Type: application/json\r\nContent-Length: 10`,
    );
    expect(requests[0]!.body).toBe('{"k":"é"}');
  });

  it('a binary body goes out as its bytes, counted by byteLength', async () => {
    const { url, sender, requests } = await setup((socket) => socket.write(json('{}')));
    const body = new Uint8Array([0x7b, 0x7d, 0x0a]).subarray(0, 2);
    await sender({ method: 'POST', url: `${url}/`, headers: {}, body, signal: never() });
    expect(requests[0]!.head).toContain('\r\nContent-Length: 2');
    expect(requests[0]!.body).toBe('{}');
  });

  it('a POST without a body says Content-Length: 0; a GET has no Content-Length; a URL without a path gets "/"', async () => {
    const { url, sender, requests } = await setup((socket) => socket.write(json('{}')));
    await sender({ method: 'POST', url, headers: {}, signal: never() });
    await sender({ method: 'GET', url: `${url}?q=1`, headers: {}, body: 'ignored', signal: never() });
    await sender({ method: 'GET', url: `${url}#only-a-fragment`, headers: {}, signal: never() });
    expect(requests.map((r) => r.head.split('\r\n')[0])).toEqual([
      'POST / HTTP/1.1',
      'GET /?q=1 HTTP/1.1',
      'GET / HTTP/1.1',
    ]);
    expect(requests[0]!.head).toMatch(/\r\nContent-Length: 0$/);
    expect(requests[1]!.head).not.toMatch(/content-length/i);
    expect(requests[1]!.body).toBe('');
  });

  it('the origin ends at the first "/", "?" or "#": a slash inside a query or a fragment is not a path', async () => {
    const { url, sender, requests } = await setup((socket) => socket.write(json('{}')));
    await sender({ method: 'GET', url: `${url}?next=/x`, headers: {}, signal: never() });
    await sender({ method: 'GET', url: `${url}#part/x`, headers: {}, signal: never() });
    await sender({ method: 'GET', url: `${url}/a?b=/c#d/e`, headers: {}, signal: never() });
    expect(requests.map((r) => r.head.split('\r\n')[0])).toEqual([
      'GET /?next=/x HTTP/1.1',
      'GET / HTTP/1.1',
      'GET /a?b=/c HTTP/1.1',
    ]);
  });

  it('an IPv6 endpoint: Host keeps the brackets, the socket goes to the address without them', async () => {
    const received: string[] = [];
    const server = createServer((socket) => {
      socket.on('data', (chunk) => {
        received.push(chunk.toString('latin1'));
        socket.write(json('{}'));
      });
    });
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(0, '::1', () => resolve(true));
    });
    if (!listening) return; // no IPv6 loopback on this machine
    cleanups.push(() => server.close());
    const port = (server.address() as AddressInfo).port;
    const sender = nodeSender({ env: {} });
    cleanups.push(() => sender.close());
    const response = await sender({ method: 'GET', url: `http://[::1]:${port}/x`, headers: {}, signal: never() });
    expect(response.status).toBe(200);
    expect(received.join('')).toContain(`GET /x HTTP/1.1\r\nHost: [::1]:${port}\r\n`);
  });
});

describe('endpoints the sender refuses', () => {
  it('a URL that does not parse is a UsageError naming the endpoint', async () => {
    const sender = nodeSender({ env: {} });
    const error = await caught(sender({ method: 'GET', url: 'http://exa mple.com/', headers: {}, signal: never() }));
    expect(isUsageError(error), String(error)).toBe(true);
    expect(error).toMatchObject({ argument: 'endpoint' });
    expect((error as Error).message).toContain('is not a valid URL: "http://exa mple.com"');
  });

  it('a scheme other than http: or https: is a UsageError naming it', async () => {
    const sender = nodeSender({ env: {} });
    const error = await caught(sender({ method: 'GET', url: 'ftp://example.com/x', headers: {}, signal: never() }));
    expect(isUsageError(error), String(error)).toBe(true);
    expect(error).toMatchObject({ argument: 'endpoint' });
    expect((error as Error).message).toContain('must be an http: or https: URL, got "ftp:"');
  });
});

describe('an http target through HTTP_PROXY', () => {
  it('goes to the proxy in absolute form with its Proxy-Authorization; NO_PROXY hosts go direct', async () => {
    const proxy = await setup((socket) => socket.write(json('{"via":"proxy"}')));
    const origin = await setup((socket) => socket.write(json('{"via":"origin"}')));
    const proxyUrl = new URL(proxy.url);
    proxyUrl.username = 'user';
    proxyUrl.password = 'pa ss';
    const sender = nodeSender({ env: { HTTP_PROXY: proxyUrl.href, NO_PROXY: 'direct.test' } });
    cleanups.push(() => sender.close());
    const response = await sender({
      method: 'POST',
      url: 'http://api.example.test/path?q=1#f',
      headers: { 'X-A': 'b' },
      body: '{}',
      signal: never(),
    });
    expect(response.status).toBe(200);
    expect(proxy.requests[0]!.head).toBe(
      [
        'POST http://api.example.test/path?q=1 HTTP/1.1',
        'Host: api.example.test',
        'X-A: b',
        `Proxy-Authorization: Basic ${Buffer.from('user:pa ss').toString('base64')}`,
        'Content-Length: 2',
      ].join('\r\n'),
    );
    // NO_PROXY: the origin itself, with no Proxy-Authorization
    const direct = nodeSender({ env: { HTTP_PROXY: proxyUrl.href, NO_PROXY: '127.0.0.1' } });
    cleanups.push(() => direct.close());
    await direct({ method: 'GET', url: `${origin.url}/`, headers: {}, signal: never() });
    expect(origin.requests[0]!.head).toBe(`GET / HTTP/1.1\r\nHost: ${new URL(origin.url).host}`);
    expect(proxy.requests).toHaveLength(1);
  });

  it('a proxy without credentials gets no Proxy-Authorization, a GET no Content-Length', async () => {
    const proxy = await setup((socket) => socket.write(json('{}')));
    const sender = nodeSender({ env: { http_proxy: proxy.url } });
    cleanups.push(() => sender.close());
    await sender({ method: 'GET', url: 'http://api.example.test:8080', headers: {}, signal: never() });
    expect(proxy.requests[0]!.head).toBe('GET http://api.example.test:8080/ HTTP/1.1\r\nHost: api.example.test:8080');
  });

  it('an https target through HTTPS_PROXY asks for a tunnel to port 443 when the URL names none', async () => {
    const proxy = await setup((socket) => socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'));
    const sender = nodeSender({ env: { HTTPS_PROXY: proxy.url } });
    cleanups.push(() => sender.close());
    const error = await caught(
      sender({ method: 'GET', url: 'https://api.example.test/', headers: {}, signal: never() }),
    );
    expect(isNetworkError(error), String(error)).toBe(true);
    expect((error as Error).message).toContain('refused the tunnel: HTTP 403');
    expect(proxy.requests[0]!.head).toBe('CONNECT api.example.test:443 HTTP/1.1\r\nHost: api.example.test:443');
  });
});

describe('cancellation', () => {
  it('cancelling a request whose CONNECT tunnel is being built lets the queued request go', async () => {
    // The proxy never answers: the first request holds the only socket (maxSockets 1) while its
    // tunnel is built, the second waits. The first is neither queued nor on a connection then:
    // taking it out of the queue must not take the second out instead.
    const proxy = await setup(() => undefined);
    const sender = nodeSender({ env: { HTTPS_PROXY: proxy.url }, maxSockets: 1 });
    cleanups.push(() => sender.close());
    const first = new AbortController();
    const second = new AbortController();
    const url = 'https://api.example.test/';
    const a = caught(sender({ method: 'GET', url, headers: {}, signal: first.signal }));
    const b = caught(sender({ method: 'GET', url, headers: {}, signal: second.signal }));
    for (let i = 0; i < 100 && proxy.requests.length < 1; i++) await new Promise((r) => setTimeout(r, 10));
    expect(proxy.requests.map((r) => r.head.split('\r\n')[0])).toEqual(['CONNECT api.example.test:443 HTTP/1.1']);
    first.abort(new Error('first cancelled'));
    expect(await a).toMatchObject({ message: 'first cancelled' });
    for (let i = 0; i < 100 && proxy.requests.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(proxy.requests).toHaveLength(2); // the second asked for its own tunnel
    second.abort(new Error('second cancelled'));
    expect(await b).toMatchObject({ message: 'second cancelled' });
  });

  it('a signal already aborted rejects with its reason and sends nothing', async () => {
    const { url, sender, requests, connections } = await setup((socket) => socket.write(json('{}')));
    const controller = new AbortController();
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(sender({ method: 'GET', url, headers: {}, signal: controller.signal })).rejects.toBe(reason);
    expect(requests).toHaveLength(0);
    expect(connections()).toBe(0);
  });

  it('an onAbort hook is used instead of the signal (an aborted signal is not read)', async () => {
    const { url, sender } = await setup((socket) => socket.write(json('{}')));
    const controller = new AbortController();
    controller.abort(new Error('ignored'));
    let hooked = 0;
    const response = await sender({
      method: 'GET',
      url,
      headers: {},
      signal: controller.signal,
      onAbort: () => void hooked++,
    });
    expect(response.status).toBe(200);
    expect(hooked).toBe(1);
  });

  it('an onAbort hook that cancels at once fails the request without sending it', async () => {
    const { url, sender, connections } = await setup((socket) => socket.write(json('{}')));
    const reason = new Error('cancelled before sending');
    const outcome = sender({
      method: 'GET',
      url,
      headers: {},
      signal: never(),
      onAbort: (cancel) => cancel(reason),
    });
    await expect(outcome).rejects.toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(connections()).toBe(0);
  });

  it('aborting a request waiting for a socket takes it out of the queue: the next one goes out instead', async () => {
    const held: Socket[] = [];
    const { url, sender, requests } = await setup(
      (socket, request) => {
        if (request.head.startsWith('GET /first')) held.push(socket);
        else socket.write(json('{}'));
      },
      { maxSockets: 1 },
    );
    const first = sender({ method: 'GET', url: `${url}/first`, headers: {}, signal: never() });
    const controller = new AbortController();
    const queued = caught(sender({ method: 'GET', url: `${url}/queued`, headers: {}, signal: controller.signal }));
    const third = sender({ method: 'GET', url: `${url}/third`, headers: {}, signal: never() });
    for (let i = 0; i < 200 && held.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    const reason = new Error('no longer wanted');
    controller.abort(reason);
    expect(await queued).toBe(reason);
    held[0]!.write(json('{}'));
    expect((await first).status).toBe(200);
    expect((await third).status).toBe(200);
    expect(requests.map((r) => r.head.split(' ')[1])).toEqual(['/first', '/third']);
  });

  it('aborting after the head came fails the body read at once, even with bytes queued', async () => {
    const { url, sender } = await setup((socket) =>
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfirst bytes'),
    );
    const controller = new AbortController();
    const response = await sender({ method: 'GET', url, headers: {}, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 30));
    const reason = new Error('reader gave up');
    controller.abort(reason);
    const iterator = (response.body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    await expect(iterator.next()).rejects.toBe(reason);
  });

  it('the signal listener is removed once the exchange is over', async () => {
    const { url, sender } = await setup((socket) => socket.write(json('{}')));
    const controller = new AbortController();
    let added = 0;
    let removed = 0;
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => (added++, add(...args))) as typeof add;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => (
      removed++,
      remove(...args)
    )) as typeof remove;
    await sender({ method: 'GET', url, headers: {}, signal });
    expect([added, removed]).toEqual([1, 1]);
    // Removed for real, not only asked: a signal shared by many calls must not keep one per call.
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    for (let i = 0; i < 3; i++) await sender({ method: 'GET', url, headers: {}, signal });
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('a cancel that comes after the exchange is over changes nothing: the connection stays for the next request', async () => {
    const { url, sender, connections } = await setup((socket) => socket.write(json('{}')));
    let late: ((reason: unknown) => void) | undefined;
    const response = await sender({
      method: 'GET',
      url,
      headers: {},
      signal: never(),
      onAbort: (cancel) => void (late = cancel),
    });
    expect(new TextDecoder().decode(await readBody(response))).toBe('{}');
    late!(new Error('too late'));
    const next = await text(sender, url, { method: 'GET' });
    expect(next.text).toBe('{}');
    expect(connections()).toBe(1);
  });
});

describe('close()', () => {
  it('fails the requests waiting for a socket with a NetworkError; later requests open new sockets', async () => {
    const held: Socket[] = [];
    const { url, sender, connections } = await setup(
      (socket, request) => {
        if (request.head.startsWith('GET /hold')) held.push(socket);
        else socket.write(json('{}'));
      },
      { maxSockets: 1 },
    );
    const first = sender({ method: 'GET', url: `${url}/hold`, headers: {}, signal: never() });
    const waiting = caught(sender({ method: 'GET', url: `${url}/w`, headers: {}, signal: never() }));
    for (let i = 0; i < 200 && held.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
    sender.close();
    const error = await waiting;
    expect(isNetworkError(error), String(error)).toBe(true);
    expect(error).toMatchObject({ mayHaveReachedServer: false, endpoint: url });
    expect((error as Error).message).toContain('the sender was closed');
    held[0]!.write(json('{}'));
    expect((await first).status).toBe(200); // in flight: it finishes
    const again = await sender({ method: 'GET', url: `${url}/after`, headers: {}, signal: never() });
    expect(again.status).toBe(200);
    expect(connections()).toBe(2);
  });
});
