// The HTTP/1.1 client against hand-written answers on a raw socket: interim answers, bodies that
// disagree with their framing, when a connection is reused and when it is not, and CONNECT
// tunnels refused in every way a proxy can refuse one. Every server here is on 127.0.0.1.
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { isNetworkError } from '@x/errors';
import { readBody } from '@x/envelope';
import { afterEach, describe, expect, it } from 'vitest';
import { openTunnel } from '../src/http1/tunnel';
import { nodeSender } from '../src/index.node';
import { cleanups, json, runCleanups, setup, text } from './raw-server';

afterEach(runCleanups);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const never = () => new AbortController().signal;
/** The senders' type says GET or POST (API 3.0); the HTTP/1.1 client also frames HEAD answers, tested here. */
const HEAD = 'HEAD' as 'GET';
const caught = (promise: Promise<unknown>) =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => error,
  );

/** A TCP "proxy" that records what it receives and answers with `answer` once a CONNECT head is complete. */
async function rawProxy(answer: (socket: Socket, head: string) => void) {
  const heads: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    let received = '';
    let answered = false;
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      const end = received.indexOf('\r\n\r\n');
      if (answered || end < 0) return;
      answered = true;
      heads.push(received.slice(0, end));
      answer(socket, received.slice(0, end));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    server.close();
    for (const socket of sockets) socket.destroy();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, heads, sockets };
}

async function throughProxy(proxyUrl: string, target = 'https://api.example.test/', options = {}) {
  const sender = nodeSender({ env: { HTTPS_PROXY: proxyUrl }, ...options });
  cleanups.push(() => sender.close());
  return {
    sender,
    send: () => caught(sender({ method: 'POST', url: target, headers: {}, body: '{}', signal: never() })),
  };
}

describe('CONNECT tunnels refused', () => {
  it.each([
    ['a 1xx answer', 'HTTP/1.1 100 Continue\r\n\r\n', 'refused the tunnel: HTTP 100'],
    ['a 199 answer', 'HTTP/1.1 199 Odd\r\n\r\n', 'refused the tunnel: HTTP 199'],
    ['a redirect', 'HTTP/1.1 300 Multiple Choices\r\n\r\n', 'refused the tunnel: HTTP 300'],
    ['a 407', 'HTTP/1.1 407 Proxy Authentication Required\r\n\r\n', 'refused the tunnel: HTTP 407'],
    ['not HTTP', 'SSH-2.0-OpenSSH\r\n\r\n', 'answered CONNECT with bytes that are not HTTP/1.1'],
    [
      'a bare LF',
      'HTTP/1.1 200 OK\n\n',
      'answered CONNECT with bytes that are not HTTP/1.1: the response head has a line ending in a bare LF',
    ],
    [
      'bytes after the answer',
      'HTTP/1.1 200 Connection Established\r\n\r\n\x16\x03',
      'sent bytes after its answer to CONNECT',
    ],
  ])('%s is a NetworkError naming the proxy, and nothing more is sent', async (_name, answer, message) => {
    const proxy = await rawProxy((socket) => socket.write(answer));
    const host = new URL(proxy.url).host;
    const { send } = await throughProxy(proxy.url);
    const error = await send();
    expect(isNetworkError(error), String(error)).toBe(true);
    expect((error as Error).message).toContain(`the proxy ${host} ${message}`);
    expect(error).toMatchObject({ mayHaveReachedServer: false, endpoint: 'https://api.example.test' });
    expect(proxy.heads).toEqual(['CONNECT api.example.test:443 HTTP/1.1\r\nHost: api.example.test:443']);
    for (let i = 0; i < 100 && proxy.sockets.size > 0; i++) await sleep(5);
    expect(proxy.sockets.size).toBe(0); // the tunnel socket was destroyed
  });

  it('a 2xx other than 200 opens the tunnel (299): TLS starts inside it', async () => {
    let after = '';
    const proxy = await rawProxy((socket) => {
      socket.write('HTTP/1.1 299 Fine\r\n\r\n');
      socket.once('data', (chunk) => {
        after = chunk.subarray(0, 1).toString('hex');
        socket.destroy();
      });
    });
    const { send } = await throughProxy(proxy.url);
    const error = await send();
    expect(isNetworkError(error), String(error)).toBe(true);
    expect(after).toBe('16'); // a TLS handshake record: the client hello went into the tunnel
  });

  it('an answer split into reads is read whole (the head end straddles two reads)', async () => {
    let hello = '';
    const proxy = await rawProxy((socket) => {
      socket.write('HTTP/1.1 200 OK\r\n\r');
      setTimeout(() => socket.write('\n'), 20);
      socket.once('data', (chunk) => {
        hello = chunk.subarray(0, 1).toString('hex');
        socket.destroy();
      });
    });
    const { send } = await throughProxy(proxy.url);
    await send();
    expect(hello).toBe('16');
  });

  it('an endless answer to CONNECT is cut at 64 KiB', async () => {
    let written = 0;
    const proxy = await rawProxy((socket) => {
      socket.write('HTTP/1.1 200 OK\r\n');
      const line = `X-Pad: ${'p'.repeat(1000)}\r\n`;
      const feed = () => {
        // bounded: at most 200 KiB, far past the cap
        while (written < 200 * 1024 && !socket.destroyed) {
          written += line.length;
          if (!socket.write(line)) return void socket.once('drain', feed);
        }
      };
      feed();
    });
    const { send } = await throughProxy(proxy.url);
    const error = await send();
    expect(isNetworkError(error), String(error)).toBe(true);
    expect((error as Error).message).toContain('sent an oversized answer to CONNECT');
  });

  it('a proxy that closes before answering, and one that cannot be reached', async () => {
    const closing = await rawProxy((socket) => socket.end());
    const error = await (await throughProxy(closing.url)).send();
    expect((error as Error).message).toContain(
      `the proxy ${new URL(closing.url).host} closed the connection before the tunnel was open`,
    );
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port: free } = server.address() as AddressInfo;
        server.close(() => resolve(free));
      });
    });
    const unreachable = await (await throughProxy(`http://127.0.0.1:${port}`)).send();
    expect(isNetworkError(unreachable), String(unreachable)).toBe(true);
    expect((unreachable as Error).message).toContain(
      `the proxy 127.0.0.1:${port} could not be reached: connect ECONNREFUSED`,
    );
    expect(unreachable).toMatchObject({ systemCode: 'ECONNREFUSED', mayHaveReachedServer: false });
  });

  it('asks for the target in authority form: IPv6 in brackets, the port given, credentials on CONNECT', async () => {
    const proxy = await rawProxy((socket) => socket.end('HTTP/1.1 403 No\r\n\r\n'));
    const withCredentials = proxy.url.replace('http://', 'http://u%40x:p%3Aw@');
    await (await throughProxy(withCredentials, 'https://[::1]:8443/')).send();
    expect(proxy.heads[0]).toBe(
      `CONNECT [::1]:8443 HTTP/1.1\r\nHost: [::1]:8443\r\nProxy-Authorization: Basic ${Buffer.from('u@x:p:w').toString('base64')}`,
    );
  });

  it('a refused tunnel lets the next waiting request open its own (maxSockets: 1)', async () => {
    const proxy = await rawProxy((socket) => socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    const { send } = await throughProxy(proxy.url, 'https://api.example.test/', { maxSockets: 1 });
    const outcomes = await Promise.all([send(), send(), send()]);
    for (const outcome of outcomes) expect((outcome as Error).message).toContain('HTTP 502');
    expect(proxy.heads).toHaveLength(3);
  });
});

describe('openTunnel', () => {
  it('hands over the socket with none of its own listeners left on it', async () => {
    const proxy = await rawProxy((socket) => socket.write('HTTP/1.1 200 Connection Established\r\n\r\n'));
    const opened = await new Promise<Socket>((resolve, reject) => {
      openTunnel(new URL(proxy.url), 'api.example.test', 443, {
        open: resolve,
        fail: (detail) => reject(new Error(detail)),
      });
    });
    cleanups.push(() => opened.destroy());
    expect(['data', 'error', 'close'].map((event) => opened.listenerCount(event))).toEqual([0, 0, 0]);
    expect(proxy.heads).toEqual(['CONNECT api.example.test:443 HTTP/1.1\r\nHost: api.example.test:443']);
  });

  it('a proxy at an IPv6 address in brackets is dialled at that address', async () => {
    const heads: string[] = [];
    const server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', (chunk) => {
        heads.push(chunk.toString('latin1'));
        socket.end('HTTP/1.1 403 No\r\n\r\n');
      });
    });
    const listening = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(0, '::1', () => resolve(true));
    });
    if (!listening) return; // no IPv6 loopback here
    cleanups.push(() => server.close());
    const { port } = server.address() as AddressInfo;
    const error = await (await throughProxy(`http://[::1]:${port}`)).send();
    expect((error as Error).message).toContain(`the proxy [::1]:${port} refused the tunnel: HTTP 403`);
    expect(heads).toHaveLength(1);
  });

  it('a refused tunnel gives its socket slot back once (error and close do not count twice)', async () => {
    let connection = 0;
    const held: Socket[] = [];
    const proxy = await rawProxy((socket) => {
      if (++connection === 1) return void socket.end('HTTP/1.1 403 No\r\n\r\n');
      held.push(socket); // later tunnels: never answered
    });
    const { sender } = await throughProxy(proxy.url, 'https://api.example.test/', { maxSockets: 1 });
    const first = await caught(
      sender({ method: 'POST', url: 'https://api.example.test/', headers: {}, body: '{}', signal: never() }),
    );
    expect((first as Error).message).toContain('HTTP 403');
    await sleep(30);
    const controllers = [new AbortController(), new AbortController()];
    const pending = controllers.map((c) =>
      caught(sender({ method: 'POST', url: 'https://api.example.test/', headers: {}, body: '{}', signal: c.signal })),
    );
    for (let i = 0; i < 100 && held.length === 0; i++) await sleep(5);
    await sleep(100);
    expect(held).toHaveLength(1); // maxSockets: 1 still holds after the refused tunnel
    for (const c of controllers) c.abort(new Error('done'));
    await Promise.all(pending);
  });
});

describe('interim answers', () => {
  it('101 Switching Protocols nobody asked for fails the request', async () => {
    const { url, sender } = await setup((socket) =>
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n'),
    );
    const error = await caught(text(sender, url));
    expect(isNetworkError(error), String(error)).toBe(true);
    expect((error as Error).message).toContain('the server switched protocols');
  });

  it('100 Continue with the start of the real head in the same read, the rest later', async () => {
    const { url, sender, connections } = await setup((socket) => {
      socket.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Le');
      setTimeout(() => socket.write('ngth: 2\r\n\r\n{}'), 20);
    });
    expect(await text(sender, url)).toMatchObject({ status: 200, text: '{}' });
    expect(await text(sender, url)).toMatchObject({ status: 200, text: '{}' });
    expect(connections()).toBe(1);
  });

  it('two interim answers in one read, then the final one in the next', async () => {
    const { url, sender } = await setup((socket) => {
      socket.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n');
      setTimeout(() => socket.write(json('{"ok":1}')), 20);
    });
    const answer = await text(sender, url);
    expect(answer).toMatchObject({ status: 200, text: '{"ok":1}' });
    expect(answer.headers.get('link')).toBeNull();
  });

  it('a head trickled one byte per read, with its end split CR | LF CR | LF', async () => {
    const { url, sender } = await setup(async (socket) => {
      const head = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}';
      for (const byte of head) {
        socket.write(byte);
        await sleep(1);
      }
    });
    expect(await text(sender, url)).toMatchObject({ status: 200, text: '{}' });
  });
});

describe('answers that disagree with their framing', () => {
  it('a 204 with body bytes: the answer is handed out, its body read fails, the connection is dropped', async () => {
    const { url, sender, connections } = await setup((socket, request) =>
      socket.write(
        request.connection === 1 ? 'HTTP/1.1 204 No Content\r\n\r\nstray' : 'HTTP/1.1 204 No Content\r\n\r\n',
      ),
    );
    const response = await sender({ method: 'GET', url: `${url}/`, headers: {}, signal: never() });
    expect(response.status).toBe(204);
    const error = await caught(readBody(response));
    expect(isNetworkError(error), String(error)).toBe(true);
    expect((error as Error).message).toContain('the server sent a body with a 204 answer, which has none');
    const next = await sender({ method: 'GET', url: `${url}/`, headers: {}, signal: never() });
    expect(next.status).toBe(204);
    expect((await readBody(next)).byteLength).toBe(0);
    expect(connections()).toBe(2);
  });

  it('a HEAD answer announcing a length has no body, and the connection is reused', async () => {
    const { url, sender, connections } = await setup((socket) =>
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n'),
    );
    for (let i = 0; i < 2; i++) {
      const response = await sender({ method: HEAD, url: `${url}/`, headers: {}, signal: never() });
      expect(response.headers.get('content-length')).toBe('1234');
      expect((await readBody(response)).byteLength).toBe(0);
    }
    expect(connections()).toBe(1);
  });

  it('a body arriving after its head, with more bytes than announced: cut at the length, connection dropped', async () => {
    const { url, sender, connections } = await setup((socket, request) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n');
      setTimeout(() => socket.write(request.connection === 1 ? '{"a"}EXTRA' : '{"b"}'.slice(0, 4)), 20);
    });
    expect((await text(sender, url)).text).toBe('{"a"');
    expect((await text(sender, url)).text).toBe('{"b"');
    expect(connections()).toBe(2);
  });

  it('a body in several reads, then one stray byte once it was read whole: the connection is dropped', async () => {
    const { url, sender, connections } = await setup((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n{"');
      setTimeout(() => socket.write('a"'), 10);
      setTimeout(() => socket.write(':1'), 20);
      setTimeout(() => socket.write('}'), 30);
    });
    // 7 bytes sent: "}" is one too many once ':1' filled the 6
    expect((await text(sender, url)).text).toBe('{"a":1');
    await sleep(50);
    expect((await text(sender, url)).text).toBe('{"a":1');
    expect(connections()).toBe(2);
  });

  it('a chunked body followed by stray bytes in the same read: read whole, the connection dropped', async () => {
    const { url, sender, connections } = await setup((socket, request) => {
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
      setTimeout(() => socket.write(`2\r\n{}\r\n0\r\n\r\n${request.connection === 1 ? 'junk' : ''}`), 10);
    });
    expect((await text(sender, url)).text).toBe('{}');
    expect((await text(sender, url)).text).toBe('{}');
    expect((await text(sender, url)).text).toBe('{}');
    expect(connections()).toBe(2);
  });

  it('a chunked body that ends exactly with its read keeps the connection', async () => {
    const { url, sender, connections } = await setup((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}');
      setTimeout(() => socket.write('\r\n0\r\n\r\n'), 10);
    });
    for (let i = 0; i < 3; i++) expect((await text(sender, url)).text).toBe('{}');
    expect(connections()).toBe(1);
  });

  it("a chunked body broken mid-way: the read fails with the decoder's reason and the connection is dropped", async () => {
    const { url, sender, connections } = await setup((socket, request) => {
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n');
      setTimeout(() => socket.write(request.connection === 1 ? '2\r\n{}XX' : '2\r\n{}\r\n0\r\n\r\n'), 10);
    });
    const error = await caught(text(sender, url));
    expect(isNetworkError(error), String(error)).toBe(true);
    expect((error as Error).message).toContain('a chunk of the response is longer than its size');
    expect((await text(sender, url)).text).toBe('{}');
    expect(connections()).toBe(2);
  });

  it('a close-delimited body read to the close; a server error on it is a NetworkError', async () => {
    const { url, sender } = await setup((socket) => {
      socket.write('HTTP/1.1 200 OK\r\n\r\n{"part":');
      setTimeout(() => socket.end('1}'), 10);
    });
    expect((await text(sender, url)).text).toBe('{"part":1}');
  });
});

describe('when a connection is reused', () => {
  it('a connection idle past keepAliveMs is not used: the next request opens a new one', async () => {
    const { url, sender, connections } = await setup((socket) => socket.write(json('{}')), { keepAliveMs: 40 });
    await text(sender, url);
    await text(sender, url);
    expect(connections()).toBe(1);
    await sleep(120);
    await text(sender, url);
    expect(connections()).toBe(2);
  });

  it('Keep-Alive: timeout=2 keeps the connection for the second (2 s - 1 s margin)', async () => {
    const { url, sender, connections } = await setup((socket) => socket.write(json('{}', 'Keep-Alive: timeout=2\r\n')));
    await text(sender, url);
    await sleep(20);
    await text(sender, url);
    expect(connections()).toBe(1);
  });

  it('a connection idle a little (past the stale check) is checked and reused when still open', async () => {
    const { url, sender, connections } = await setup((socket) => socket.write(json('{}')));
    await text(sender, url);
    await sleep(30);
    await text(sender, url);
    await sleep(30);
    await text(sender, url);
    expect(connections()).toBe(1);
  });

  it('a request cancelled during the stale check goes nowhere, and the connection serves the next one', async () => {
    const { url, sender, connections, requests } = await setup((socket) => socket.write(json('{}')));
    await text(sender, url);
    await sleep(30);
    const reason = new Error('cancelled during the check');
    const cancelled = caught(
      sender({
        method: 'GET',
        url: `${url}/cancelled`,
        headers: {},
        signal: never(),
        onAbort: (cancel) => void queueMicrotask(() => cancel(reason)),
      }),
    );
    expect(await cancelled).toBe(reason);
    // The check takes two event-loop turns; then the connection is idle again (generous on a loaded machine).
    await sleep(200);
    await text(sender, url);
    expect(requests.map((r) => r.head.split(' ')[1])).toEqual(['/', '/']);
    expect(connections()).toBe(1);
  });

  it('an HTTP/1.0 answer without keep-alive, even with a length, is not reused', async () => {
    const { url, sender, connections } = await setup((socket) =>
      socket.write('HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}'),
    );
    await text(sender, url);
    await text(sender, url);
    expect(connections()).toBe(2);
  });

  it('a POST on a reused connection the server closed is not replayed; a HEAD is', async () => {
    const { url, sender, connections, requests } = await setup((socket, request) => {
      if (request.onConnection === 2) return socket.destroy();
      socket.write(request.head.startsWith('HEAD') ? 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n' : json('{}'));
    });
    await sender({ method: HEAD, url: `${url}/`, headers: {}, signal: never() });
    const head = await sender({ method: HEAD, url: `${url}/`, headers: {}, signal: never() });
    expect(head.status).toBe(200);
    expect(connections()).toBe(2);
    expect(requests.map((r) => r.head.split(' ')[0])).toEqual(['HEAD', 'HEAD', 'HEAD']);
  });

  it.each([
    {
      what: 'whose connection broke mid-answer is not replayed: the head came',
      answer: (socket: Socket) => socket.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}'),
      message: 'the connection closed before the response body ended',
    },
    {
      what: 'whose reused connection answered garbage is not replayed: a protocol error is final',
      answer: (socket: Socket) => void socket.write('NOT HTTP\r\n\r\n'),
      message: 'the server did not answer in HTTP/1.1',
    },
  ])('a GET $what', async ({ answer, message }) => {
    const { url, sender, connections } = await setup((socket, request) => {
      if (request.onConnection === 1) return void socket.write(json('{}'));
      answer(socket);
    });
    await text(sender, url, { method: 'GET' });
    const error = await caught(text(sender, url, { method: 'GET' }));
    expect(isNetworkError(error), String(error)).toBe(true);
    expect((error as Error).message).toContain(message);
    expect(connections()).toBe(1);
  });

  it('a GET on a first connection closed without an answer is not replayed (nothing proves it was stale)', async () => {
    const { url, sender, connections } = await setup((socket) => socket.destroy());
    const error = await caught(text(sender, url, { method: 'GET' }));
    expect(isNetworkError(error), String(error)).toBe(true);
    expect(error).toMatchObject({ mayHaveReachedServer: true });
    expect((error as Error).message).toContain('the server closed the connection without answering');
    expect(connections()).toBe(1);
  });

  it('a replay waits for a free socket at maxSockets: 1 and then goes out', async () => {
    const { url, sender, connections } = await setup(
      (socket, request) => {
        if (request.connection === 1 && request.onConnection === 2) return socket.destroy();
        socket.write(json(`{"c":${request.connection}}`));
      },
      { maxSockets: 1 },
    );
    await text(sender, url, { method: 'GET' });
    const [a, b] = await Promise.all([text(sender, url, { method: 'GET' }), text(sender, url, { method: 'GET' })]);
    expect([a.text, b.text].sort()).toEqual(['{"c":2}', '{"c":2}']);
    expect(connections()).toBe(2);
  });
});

describe('timers of a pool', () => {
  it("the body idle timer does not run before the head: a slow head is the attempt timeout's business", async () => {
    const { url, sender } = await setup((socket) => setTimeout(() => socket.write(json('{"late":1}')), 150), {
      idleTimeoutMs: 30,
    });
    expect((await text(sender, url)).text).toBe('{"late":1}');
  });

  it('an idle connection past keepAliveMs is closed by the sweeper, with no request needed', async () => {
    const { url, sender, sockets } = await setup((socket) => socket.write(json('{}')), { keepAliveMs: 50 });
    await text(sender, url);
    expect(sockets.size).toBe(1);
    // The sweeper runs every max(1 s, keepAliveMs / 2): bounded wait, 2.5 s at most.
    for (let i = 0; i < 50 && sockets.size > 0; i++) await sleep(50);
    expect(sockets.size).toBe(0);
  });
});
