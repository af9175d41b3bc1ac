// The fetch sender: what it hands fetch (checked on a real loopback server with the global fetch),
// and how a failed fetch becomes a NetworkError (whether the request may have reached the server
// decides retries of non-idempotent calls).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NetworkError, UsageError } from '@x/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchSender, systemCodeOf } from '../src/fetch-sender';
import type { SendRequest } from '../src/sender';

interface Seen {
  method: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}
const seen: Seen[] = [];
let server: Server;
let origin = '';

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    seen.push({ method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks) });
    if (req.url === '/redirect') {
      res.writeHead(302, { location: '/elsewhere' });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'x-tc-requestid': 'f-1' });
    res.end('{"Response":{"RequestId":"f-1"}}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const request = (over: Partial<SendRequest> = {}): SendRequest => ({
  method: 'POST',
  url: `${origin}/`,
  headers: { 'Content-Type': 'application/json', 'X-TC-Action': 'DescribeZones' },
  body: '{"A":1}',
  signal: new AbortController().signal,
  ...over,
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

describe('fetchSender on a real server', () => {
  it('posts the body and headers as given, and resolves with the response', async () => {
    seen.length = 0;
    const response = await fetchSender()(request());
    expect(response.status).toBe(200);
    expect(response.headers.get('x-tc-requestid')).toBe('f-1');
    expect(seen[0]).toMatchObject({ method: 'POST', body: Buffer.from('{"A":1}') });
    expect(seen[0]!.headers['x-tc-action']).toBe('DescribeZones');
  });

  it('posts bytes as they are', async () => {
    seen.length = 0;
    const bytes = new Uint8Array([0, 255, 10, 13, 1]);
    await fetchSender()(request({ body: bytes, headers: { 'Content-Type': 'application/octet-stream' } }));
    expect([...seen[0]!.body]).toEqual([0, 255, 10, 13, 1]);
  });

  it('a GET goes without its empty body', async () => {
    seen.length = 0;
    const response = await fetchSender()(request({ method: 'GET', url: `${origin}/?Limit=1`, body: '' }));
    expect(response.status).toBe(200);
    expect(seen[0]).toMatchObject({ method: 'GET', body: Buffer.alloc(0) });
  });

  it('does not follow redirects (the answer is the redirect)', async () => {
    seen.length = 0;
    const response = await fetchSender()(request({ url: `${origin}/redirect` }));
    expect(response.status).toBe(302);
    expect(seen).toHaveLength(1);
  });

  it('refuses a framing header as the caller’s mistake, before sending', async () => {
    seen.length = 0;
    const err = await failure(fetchSender()(request({ headers: { Connection: 'close' } })));
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).argument).toBe('headers.Connection');
    expect(seen).toHaveLength(0);
  });

  it('a refused connection never reached the server', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err = await failure(fetchSender()(request({ url: `http://127.0.0.1:${port}/` })));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({
      systemCode: 'ECONNREFUSED',
      mayHaveReachedServer: false,
      endpoint: `http://127.0.0.1:${port}`,
    });
  });
});

describe('fetchSender with a scripted fetch', () => {
  function failing(err: unknown) {
    const inits: RequestInit[] = [];
    const fetch = (async (_url: string, init: RequestInit) => {
      inits.push(init);
      throw err;
    }) as unknown as typeof globalThis.fetch;
    return { fetch, inits };
  }

  it('hands fetch the method, headers, signal and manual redirects', async () => {
    const { fetch, inits } = failing(new Error('x'));
    const signal = new AbortController().signal;
    await failure(fetchSender(fetch)(request({ signal })));
    expect(inits[0]).toEqual({
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-TC-Action': 'DescribeZones' },
      signal,
      redirect: 'manual',
      body: '{"A":1}',
    });
    await failure(fetchSender(fetch)(request({ body: undefined })));
    expect('body' in inits[1]!).toBe(false);
  });

  it('an aborted request rejects with the abort reason', async () => {
    const controller = new AbortController();
    const reason = new Error('caller');
    controller.abort(reason);
    const { fetch } = failing(new DOMException('aborted', 'AbortError'));
    expect(await failure(fetchSender(fetch)(request({ signal: controller.signal })))).toBe(reason);
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])(
    '%s proves nothing was sent',
    async (code) => {
      const cause = Object.assign(new Error(`connect ${code}`), { code });
      const err = await failure(fetchSender(failing(new TypeError('fetch failed', { cause })).fetch)(request()));
      expect(err).toBeInstanceOf(NetworkError);
      expect(err).toMatchObject({ systemCode: code, mayHaveReachedServer: false, detail: `connect ${code}` });
      expect((err as NetworkError).cause).toBeInstanceOf(TypeError);
    },
  );

  it('a reset, or no code at all, may have reached the server', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const e1 = await failure(fetchSender(failing(new TypeError('fetch failed', { cause: reset })).fetch)(request()));
    expect(e1).toMatchObject({ systemCode: 'ECONNRESET', mayHaveReachedServer: true, detail: 'socket hang up' });
    const e2 = await failure(fetchSender(failing(new TypeError('network down')).fetch)(request()));
    expect(e2).toMatchObject({ systemCode: undefined, mayHaveReachedServer: true, detail: 'network down' });
    expect((e2 as NetworkError).endpoint).toBe(origin);
  });

  it('fetch’s own "bad port" refusal sent nothing', async () => {
    const err = await failure(
      fetchSender(failing(new TypeError('fetch failed', { cause: new Error('bad port') })).fetch)(request()),
    );
    expect(err).toMatchObject({ detail: 'bad port', mayHaveReachedServer: false });
  });

  it('a thrown non-Error is described by its text, an empty one generically', async () => {
    const e1 = await failure(fetchSender(failing('plain text failure').fetch)(request()));
    expect(e1).toMatchObject({ detail: 'plain text failure', mayHaveReachedServer: true });
    const e2 = await failure(fetchSender(failing(new Error('')).fetch)(request()));
    expect((e2 as NetworkError).detail).toBe('the request failed');
  });

  it('a runtime without fetch is told to pass one', () => {
    let err: unknown;
    try {
      fetchSender('not a function' as unknown as typeof fetch);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({
      mayHaveReachedServer: false,
      detail: 'this runtime has no fetch; pass one in the fetch option',
    });
  });
});

describe('systemCodeOf', () => {
  it('finds a string code up to three causes deep', () => {
    expect(systemCodeOf({ code: 'A' })).toBe('A');
    expect(systemCodeOf({ code: 1, cause: { cause: { cause: { code: 'D' } } } })).toBe('D');
    expect(systemCodeOf({ cause: { cause: { cause: { cause: { code: 'E' } } } } })).toBeUndefined();
    expect(systemCodeOf(undefined)).toBeUndefined();
    expect(systemCodeOf(new Error('no code'))).toBeUndefined();
  });
});
