import { certificate } from './certificate';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { isNetworkError } from '@x/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTransport, nodeSender, proxyFor } from '../src/index.node';
import { SECRET_ID, SECRET_KEY, startServer, type TestServer } from './server';

const credentials = { secretId: SECRET_ID, secretKey: SECRET_KEY };

/** A tiny forward proxy: absolute-form requests for http targets, CONNECT tunnels for https ones. */
function startProxy(): Promise<{ url: string; seen: string[]; server: Server }> {
  const seen: string[] = [];
  const server = createHttpServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: target.pathname + target.search,
        headers: req.headers,
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server }),
    ),
  );
}

describe('proxyFor', () => {
  const target = new URL('https://cvm.tencentcloudapi.com/');
  it('reads HTTPS_PROXY for https and HTTP_PROXY for http, either case', () => {
    expect(proxyFor(target, { HTTPS_PROXY: 'http://proxy:3128' })?.href).toBe('http://proxy:3128/');
    expect(proxyFor(target, { https_proxy: 'proxy:3128' })?.host).toBe('proxy:3128');
    expect(proxyFor(new URL('http://127.0.0.1:8080/'), { HTTP_PROXY: 'http://p:1' })?.host).toBe('p:1');
    expect(proxyFor(target, { HTTP_PROXY: 'http://p:1' })).toBeUndefined();
  });
  it('honours NO_PROXY: *, exact, suffix, leading dot, port', () => {
    const env = { HTTPS_PROXY: 'http://p:1' };
    expect(proxyFor(target, { ...env, NO_PROXY: '*' })).toBeUndefined();
    expect(proxyFor(target, { ...env, NO_PROXY: 'example.com, tencentcloudapi.com' })).toBeUndefined();
    expect(proxyFor(target, { ...env, no_proxy: '.tencentcloudapi.com' })).toBeUndefined();
    expect(proxyFor(target, { ...env, NO_PROXY: 'cvm.tencentcloudapi.com:443' })).toBeUndefined();
    expect(proxyFor(target, { ...env, NO_PROXY: 'cvm.tencentcloudapi.com:8443' })).toBeDefined();
    expect(proxyFor(target, { ...env, NO_PROXY: 'other.com' })).toBeDefined();
  });
});

describe('the Node sender through a proxy', () => {
  let api: TestServer;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  beforeAll(async () => {
    api = await startServer();
    proxy = await startProxy();
  });
  afterAll(async () => {
    await api.close();
    proxy.server.closeAllConnections();
    await new Promise((r) => proxy.server.close(r));
  });

  it('sends http targets through HTTP_PROXY in absolute form, signed for the real host', async () => {
    const sender = nodeSender({ env: { HTTP_PROXY: proxy.url } });
    const t = createTransport({ service: 'cvm', version: '2017-03-12', endpoint: api.url, credentials, sender });
    const result = await t.call('DescribeInstances');
    expect(result.requestId).toBe('req-1');
    expect(proxy.seen).toContain(`POST ${api.url}/`);
    expect(api.received[0]?.signatureValid).toBe(true);
    t.close();
  });

  it('skips the proxy for NO_PROXY hosts', async () => {
    proxy.seen.length = 0;
    const sender = nodeSender({ env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } });
    await createTransport({ service: 'cvm', version: '2017-03-12', endpoint: api.url, credentials, sender }).call(
      'DescribeInstances',
    );
    expect(proxy.seen).toEqual([]);
    sender.close();
  });

  it('tunnels https targets through HTTPS_PROXY with CONNECT, reusing one tunnel', async (ctx) => {
    const pair = certificate();
    if (pair === undefined) ctx.skip(); // no openssl on this machine: the CONNECT path cannot get a certificate
    const { cert } = pair!;
    const tls = createHttpsServer({ key: pair!.key, cert }, (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ Response: { Via: 'tunnel', RequestId: 'tls-1' } }));
      });
    });
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    const port = (tls.address() as AddressInfo).port;
    proxy.seen.length = 0;
    const sender = nodeSender({ env: { HTTPS_PROXY: proxy.url }, ca: cert });
    const t = createTransport({
      service: 'cvm',
      version: '2017-03-12',
      endpoint: `https://localhost:${port}`,
      credentials,
      sender,
    });
    expect((await t.call('DescribeInstances')).data).toMatchObject({ Via: 'tunnel' });
    await t.call('DescribeInstances');
    expect(proxy.seen).toEqual([`CONNECT localhost:${port}`]);
    t.close();

    // The same TLS server directly (no proxy): one keep-alive TLS connection for several calls.
    let tlsConnections = 0;
    tls.on('secureConnection', () => tlsConnections++);
    const direct = createTransport({
      service: 'cvm',
      version: '2017-03-12',
      endpoint: `https://localhost:${port}`,
      credentials,
      sender: nodeSender({ env: {}, ca: cert }),
    });
    for (let i = 0; i < 3; i++) expect((await direct.call('DescribeInstances')).requestId).toBe('tls-1');
    expect(tlsConnections).toBe(1);
    direct.close();

    // Without the CA the certificate is refused before any byte of the request is sent.
    const untrusting = createTransport({
      service: 'cvm',
      version: '2017-03-12',
      endpoint: `https://localhost:${port}`,
      credentials,
      sender: nodeSender({ env: {} }),
      retry: false,
    });
    const refused = await untrusting.call('DescribeInstances').catch((err: unknown) => err);
    expect(isNetworkError(refused)).toBe(true);
    expect(refused).toMatchObject({ mayHaveReachedServer: false, systemCode: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    untrusting.close();
    tls.closeAllConnections();
    await new Promise((r) => tls.close(r));
  });
});
