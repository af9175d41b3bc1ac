// What the pool asks of TLS, seen from a real TLS server on 127.0.0.1: the server name it sends
// (SNI for a host name, none for an IP address, as RFC 6066 says), the session it resumes on the
// next connection (a full handshake per connection costs a round trip and the server's CPU), and
// the user's `ca` as the only trust needed for a private certificate.
import { connect, createServer, type AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isNetworkError } from '@x/errors';
import { nodeSender } from '../src/index.node';
import { certificate } from './certificate';
import { cleanups, json, runCleanups, text } from './raw-server';

interface Seen {
  readonly servername: string | false | null;
  readonly reused: boolean;
}

let pair: { key: string; cert: string } | undefined;
let server: tls.Server;
let port = 0;
const seen: Seen[] = [];

beforeAll(async () => {
  pair = certificate();
  if (pair === undefined) return;
  server = tls.createServer({ ...pair }, (socket) => {
    seen.push({ servername: socket.servername, reused: socket.isSessionReused() });
    socket.on('error', () => undefined);
    socket.on('data', () => socket.write(json('{}')));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  runCleanups();
  if (pair !== undefined) await new Promise((resolve) => server.close(resolve));
});

/** `count` requests to `host`, each on a new connection (keepAliveMs 0); what the server saw of each. */
async function connections(host: string, count: number): Promise<Seen[]> {
  seen.length = 0;
  const sender = nodeSender({ env: {}, ca: pair!.cert, keepAliveMs: 0 });
  cleanups.push(() => sender.close());
  for (let i = 0; i < count; i++) {
    const answer = await text(sender, `https://${host}:${port}`);
    expect(answer).toMatchObject({ status: 200, text: '{}' });
  }
  return [...seen];
}

describe('TLS as the pool opens it', () => {
  it('sends the host name as SNI', async (ctx) => {
    if (pair === undefined) return ctx.skip(); // no openssl to make a certificate
    const [first] = await connections('localhost', 1);
    expect(first!.servername).toBe('localhost');
  });

  it('sends no SNI for an IP address (a server name must be a host name)', async (ctx) => {
    if (pair === undefined) return ctx.skip();
    const [first] = await connections('127.0.0.1', 1);
    expect(first!.servername).toBe(false);
  });

  it('resumes the TLS session on the next connection to the same endpoint', async (ctx) => {
    if (pair === undefined) return ctx.skip();
    const all = await connections('localhost', 3);
    expect(all.map((s) => s.reused)).toEqual([false, true, true]);
  });
});

describe('https through a CONNECT tunnel', () => {
  it('keeps the tunnel with its connection: the next request goes over it, no second CONNECT', async (ctx) => {
    if (pair === undefined) return ctx.skip();
    const connects: string[] = [];
    // A proxy that opens the tunnel to the TLS server above and pipes both ways.
    const proxy = createServer((client) => {
      client.on('error', () => undefined);
      client.once('data', (head) => {
        connects.push(head.toString('latin1').split('\r\n')[0]!);
        const upstream = connect(port, '127.0.0.1', () => {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          client.pipe(upstream).pipe(client);
        });
        upstream.on('error', () => client.destroy());
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => proxy.close());
    seen.length = 0;
    const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const sender = nodeSender({ env: { HTTPS_PROXY: proxyUrl }, ca: pair.cert });
    cleanups.push(() => sender.close());
    for (let i = 0; i < 3; i++) expect(await text(sender, `https://localhost:${port}`)).toMatchObject({ text: '{}' });
    expect(connects).toEqual([`CONNECT localhost:${port} HTTP/1.1`]);
    expect(seen).toHaveLength(1); // one TLS connection inside the one tunnel
    expect(seen[0]!.servername).toBe('localhost');
  });
});

describe('a TLS connection that fails', () => {
  it('closed by the server after the request: the request may have reached it (a POST is not safe to send again)', async (ctx) => {
    if (pair === undefined) return ctx.skip();
    // The handshake is done, so the bytes went out: mayHaveReachedServer must say so, or a retry
    // policy would repeat a write the server may have done.
    const dropping = tls.createServer({ ...pair }, (socket) => {
      socket.on('error', () => undefined);
      socket.on('data', () => socket.destroy());
    });
    await new Promise<void>((resolve) => dropping.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => dropping.close());
    const sender = nodeSender({ env: {}, ca: pair.cert });
    cleanups.push(() => sender.close());
    const error = await text(sender, `https://localhost:${(dropping.address() as AddressInfo).port}`).catch(
      (e: unknown) => e,
    );
    expect(isNetworkError(error), String(error)).toBe(true);
    expect(error).toMatchObject({ mayHaveReachedServer: true });
  });
});
