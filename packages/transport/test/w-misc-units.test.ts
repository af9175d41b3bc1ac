// The transport's small modules alone, with the exact errors a caller sees: endpoint resolution,
// proxy variables and NO_PROXY, v1 signing, abortable waits, clock-skew correction, the refused
// connection headers, signRequest's print guard, and log lines.
import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';
import { ApiError, UsageError } from '@x/errors';
import { describe, expect, it } from 'vitest';
import type { AttemptDeps } from '../src/attempt';
import { nodeCrypto } from '../src/crypto-node';
import { resolveEndpoint } from '../src/endpoint';
import { serializeParams } from '../src/serialize';
import { logLine } from '../src/log-line';
import { proxyAuthorization, proxyFor } from '../src/proxy';
import { refuseConnectionHeader } from '../src/request-headers';
import { makeSignRequest, makeSigner, plainHeaders } from '../src/sign-request';
import { makeSigning } from '../src/signing';
import { sleep, untilAborted } from '../src/signals';
import { correctClockSkew } from '../src/skew';
import { makeSignTc3, UNSIGNED_PAYLOAD, type Tc3SignInput } from '../src/tc3';
import { v1StringToSign } from '../src/v1';

/** The UsageError `fn` throws (fails the test when it throws something else or nothing). */
function usage(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error('expected a UsageError');
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
}

describe('resolveEndpoint', () => {
  it('names what is wrong with service, region and site', () => {
    const service = usage(() => resolveEndpoint({ service: 'CVM!' }));
    expect(service).toMatchObject({ argument: 'service' });
    expect(service.message).toContain('must be a service name such as "cvm", got "CVM!"');
    expect(usage(() => resolveEndpoint({ service: 7 as unknown as string })).message).toContain('got 7');
    expect(usage(() => resolveEndpoint({ service: '' })).argument).toBe('service');
    expect(usage(() => resolveEndpoint({ service: '-cvm' })).argument).toBe('service');
    expect(resolveEndpoint({ service: 'c-v2' }).host).toBe('c-v2.tencentcloudapi.com');

    const region = usage(() => resolveEndpoint({ service: 'cvm', region: 'Guangzhou' }));
    expect(region).toMatchObject({ argument: 'region' });
    expect(region.message).toContain('must be a region such as "ap-guangzhou", got "Guangzhou"');
    expect(usage(() => resolveEndpoint({ service: 'cvm', region: 5 as unknown as string })).message).toContain('got 5');
    expect(usage(() => resolveEndpoint({ service: 'cvm', region: 'ap' })).argument).toBe('region');
    expect(usage(() => resolveEndpoint({ service: 'cvm', region: 'ap-guangzhou-' })).argument).toBe('region');
    expect(usage(() => resolveEndpoint({ service: 'cvm', region: 'x ap-guangzhou' })).argument).toBe('region');

    const site = usage(() => resolveEndpoint({ service: 'cvm', site: 'mars' as 'intl' }));
    expect(site).toMatchObject({ argument: 'site' });
    expect(site.message).toContain('must be "china" or "intl", got "mars"');
    expect(resolveEndpoint({ service: 'cvm', site: 'china' }).origin).toBe('https://cvm.tencentcloudapi.com');
  });

  it('pins a region only when there is one; intl wins over pinning; -fsi regions are always pinned', () => {
    expect(resolveEndpoint({ service: 'cvm', regionPinned: true }).host).toBe('cvm.tencentcloudapi.com');
    expect(resolveEndpoint({ service: 'cvm', region: 'ap-guangzhou', regionPinned: false }).host).toBe(
      'cvm.tencentcloudapi.com',
    );
    expect(resolveEndpoint({ service: 'cvm', region: 'ap-guangzhou', regionPinned: true, site: 'intl' }).host).toBe(
      'cvm.intl.tencentcloudapi.com',
    );
    expect(resolveEndpoint({ service: 'cvm', region: 'ap-shenzhen-fsi', regionPinned: false })).toEqual({
      origin: 'https://cvm.ap-shenzhen-fsi.tencentcloudapi.com',
      host: 'cvm.ap-shenzhen-fsi.tencentcloudapi.com',
      service: 'cvm',
    });
    expect(resolveEndpoint({ service: 'cvm', region: 'ap-fsi-x' }).host).toBe('cvm.tencentcloudapi.com');
  });

  it('an explicit endpoint: any scheme case, a bare host:port, the default port left out of Host', () => {
    expect(resolveEndpoint({ service: 'cvm', endpoint: 'HTTP://127.0.0.1:8080' }).origin).toBe('http://127.0.0.1:8080');
    expect(resolveEndpoint({ service: 'cvm', endpoint: 'localhost:8443' })).toEqual({
      origin: 'https://localhost:8443',
      host: 'localhost:8443',
      service: 'cvm',
    });
    expect(resolveEndpoint({ service: 'cvm', endpoint: 'http://x.test:80/' }).host).toBe('x.test');
    expect(resolveEndpoint({ service: 'cvm', endpoint: 'http://x.test:443' }).host).toBe('x.test:443');
  });

  it('an explicit endpoint that is empty, not a URL, not http(s), or more than an origin is refused, saying why', () => {
    for (const endpoint of ['', '   ']) {
      const error = usage(() => resolveEndpoint({ service: 'cvm', endpoint }));
      expect(error).toMatchObject({ argument: 'endpoint' });
      expect(error.message).toContain('must be a URL or host name');
    }
    const invalid = usage(() => resolveEndpoint({ service: 'cvm', endpoint: 'http://' }));
    expect(invalid.message).toContain('is not a valid URL: "http://"');
    expect(invalid.cause).toBeInstanceOf(Error);
    const scheme = usage(() => resolveEndpoint({ service: 'cvm', endpoint: 'ws://x.test' }));
    expect(scheme.message).toContain('must use http or https, got ws:');
    for (const endpoint of [
      'https://x.test/v3',
      'https://x.test/?a=1',
      'https://x.test/#f',
      'https://u@x.test',
      'https://u:p@x.test',
      'https://:p@x.test',
    ]) {
      const error = usage(() => resolveEndpoint({ service: 'cvm', endpoint }));
      expect(error.message, endpoint).toContain(
        'must be an origin only (scheme, host, port): API 3.0 always posts to "/"',
      );
    }
  });
});

describe('proxyFor and NO_PROXY', () => {
  const https = new URL('https://cvm.tencentcloudapi.com/');
  const http = new URL('http://api.example.test:8080/');

  it('upper case wins over lower case; an empty upper-case value falls back to the lower-case one', () => {
    expect(proxyFor(https, { HTTPS_PROXY: 'http://upper:1', https_proxy: 'http://lower:1' })?.host).toBe('upper:1');
    expect(proxyFor(https, { HTTPS_PROXY: '', https_proxy: 'http://lower:1' })?.host).toBe('lower:1');
    expect(proxyFor(http, { HTTP_PROXY: '', http_proxy: 'lower:2' })?.href).toBe('http://lower:2/');
    expect(proxyFor(http, { HTTPS_PROXY: 'http://p:1' })).toBeUndefined();
    expect(proxyFor(https, {})).toBeUndefined();
  });

  it('a value that is not a URL, or not http://, is a UsageError naming the variable that holds it', () => {
    const invalid = usage(() => proxyFor(https, { https_proxy: 'http://[bad' }));
    expect(invalid).toMatchObject({ argument: 'https_proxy' });
    expect(invalid.message).toContain('is not a valid proxy URL (expected http://[user:password@]host:port)');
    const socks = usage(() => proxyFor(http, { HTTP_PROXY: 'socks5://p:1080' }));
    expect(socks).toMatchObject({ argument: 'HTTP_PROXY' });
    expect(socks.message).toContain('names a socks5:// proxy: only http:// proxies are supported');
    expect(usage(() => proxyFor(https, { HTTPS_PROXY: 'HTTPS://p:1' })).message).toContain('names a https:// proxy');
  });

  it.each([
    ['*', https, true],
    ['cvm.tencentcloudapi.com', https, true],
    ['CVM.TencentCloudAPI.com', https, true],
    ['tencentcloudapi.com', https, true],
    ['.tencentcloudapi.com', https, true],
    ['*.tencentcloudapi.com', https, true],
    ['cloudapi.com', https, false],
    ['other.test , tencentcloudapi.com', https, true],
    ['other.test\ttencentcloudapi.com', https, true],
    ['other.test', https, false],
    ['cvm.tencentcloudapi.com:443', https, true],
    ['cvm.tencentcloudapi.com:80', https, false],
    ['api.example.test:8080', http, true],
    ['api.example.test:80', http, false],
    ['example.test', http, true],
    ['xexample.test', http, false],
  ])('NO_PROXY=%j for %s excludes it: %s', (noProxy, target, expected) => {
    expect(
      proxyFor(target, { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', NO_PROXY: noProxy }) === undefined,
    ).toBe(expected);
    expect(
      proxyFor(target, { HTTPS_PROXY: 'http://p:1', HTTP_PROXY: 'http://p:1', no_proxy: noProxy }) === undefined,
    ).toBe(expected);
  });

  it('the default ports count for NO_PROXY entries with a port', () => {
    const plain = new URL('http://api.example.test/');
    expect(proxyFor(plain, { HTTP_PROXY: 'http://p:1', NO_PROXY: 'api.example.test:80' })).toBeUndefined();
    expect(proxyFor(plain, { HTTP_PROXY: 'http://p:1', NO_PROXY: 'api.example.test:443' })?.host).toBe('p:1');
  });

  it('NO_PROXY wins over no_proxy', () => {
    expect(proxyFor(https, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'other.test', no_proxy: '*' })?.host).toBe('p:1');
  });

  it('IPv6: bracketed with a port that differs is not excluded; a bare address is', () => {
    const v6 = new URL('http://[::1]:8080/');
    expect(proxyFor(v6, { HTTP_PROXY: 'http://p:1', NO_PROXY: '[::1]:9090' })?.host).toBe('p:1');
    expect(proxyFor(v6, { HTTP_PROXY: 'http://p:1', NO_PROXY: '[::1]:8080' })).toBeUndefined();
    expect(proxyFor(v6, { HTTP_PROXY: 'http://p:1', NO_PROXY: '::1' })).toBeUndefined();
    expect(proxyFor(v6, { HTTP_PROXY: 'http://p:1', NO_PROXY: '::2' })?.host).toBe('p:1');
  });

  it('proxyAuthorization: Basic of user:password, decoded; none without a user name', () => {
    expect(proxyAuthorization(new URL('http://p:1'))).toBeUndefined();
    expect(proxyAuthorization(new URL('http://:secret@p:1'))).toBeUndefined();
    expect(proxyAuthorization(new URL('http://user@p:1'))).toBe(`Basic ${Buffer.from('user:').toString('base64')}`);
    expect(proxyAuthorization(new URL('http://us%20er:p%40ss@p:1'))).toBe(
      `Basic ${Buffer.from('us er:p@ss').toString('base64')}`,
    );
    expect(proxyAuthorization(new URL('http://user:100%25%zz@p:1'))).toBe(
      `Basic ${Buffer.from('user:100%25%zz').toString('base64')}`,
    );
    expect(proxyAuthorization(new URL('http://%C3%A9:%E2%82%AC@p:1'))).toBe(
      `Basic ${Buffer.from('é:€', 'utf8').toString('base64')}`,
    );
  });
});

describe('v1 signing', () => {
  const signing = makeSigning(nodeCrypto);
  const params = { Action: 'DescribeInstances', Nonce: '1', SecretId: 'id', Timestamp: '2', Signature: 'old' };
  const hmac = (algorithm: string, data: string) => createHmac(algorithm, 'key').update(data).digest('base64');

  it('the string to sign: method, host, path (default /), names sorted, Signature left out', () => {
    expect(v1StringToSign({ method: 'GET', host: 'cvm.api.test', params })).toBe(
      'GETcvm.api.test/?Action=DescribeInstances&Nonce=1&SecretId=id&Timestamp=2',
    );
    expect(v1StringToSign({ method: 'POST', host: 'h', path: '/v2/', params: { b: '2', a: '1' } })).toBe(
      'POSTh/v2/?a=1&b=2',
    );
  });

  it('HmacSHA1 by default, HmacSHA256 when asked or when SignatureMethod says so', async () => {
    const text = v1StringToSign({ method: 'GET', host: 'h', params });
    expect(await signing.signV1({ method: 'GET', host: 'h', params, secretKey: 'key' })).toBe(hmac('sha1', text));
    expect(await signing.signV1({ method: 'GET', host: 'h', params, secretKey: 'key', algorithm: 'HmacSHA256' })).toBe(
      hmac('sha256', text),
    );
    const with256 = { ...params, SignatureMethod: 'HmacSHA256' };
    const text256 = v1StringToSign({ method: 'GET', host: 'h', params: with256 });
    expect(await signing.signV1({ method: 'GET', host: 'h', params: with256, secretKey: 'key' })).toBe(
      hmac('sha256', text256),
    );
    expect(
      await signing.signV1({ method: 'GET', host: 'h', params: with256, secretKey: 'key', algorithm: 'HmacSHA1' }),
    ).toBe(hmac('sha1', text256));
  });

  it('refuses an unknown algorithm and an empty key, naming them', async () => {
    const algorithm = await rejection(
      signing.signV1({ method: 'GET', host: 'h', params: { SignatureMethod: 'MD5' }, secretKey: 'key' }),
    );
    expect(algorithm).toBeInstanceOf(UsageError);
    expect(algorithm).toMatchObject({ argument: 'algorithm' });
    expect((algorithm as Error).message).toContain('must be HmacSHA1 or HmacSHA256, got "MD5"');
    for (const secretKey of ['', undefined as unknown as string]) {
      const key = await rejection(signing.signV1({ method: 'GET', host: 'h', params, secretKey }));
      expect(key).toMatchObject({ argument: 'secretKey' });
      expect((key as Error).message).toContain('must be a non-empty string');
    }
  });

  it('makeSigning: sha256Hex and hmacSha256 are the primitives', async () => {
    expect(await signing.sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(Buffer.from(await signing.hmacSha256('key', 'data')).toString('hex')).toBe(
      createHmac('sha256', 'key').update('data').digest('hex'),
    );
    expect(signing.primitives).toBe(nodeCrypto);
  });
});

describe('sleep and untilAborted', () => {
  /** A signal that counts its abort listeners. */
  function counted() {
    const controller = new AbortController();
    const { signal } = controller;
    let listeners = 0;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<typeof add>) => (
      args[0] === 'abort' && listeners++,
      add(...args)
    )) as typeof add;
    signal.removeEventListener = ((...args: Parameters<typeof remove>) => (
      args[0] === 'abort' && listeners--,
      remove(...args)
    )) as typeof remove;
    return { controller, signal, listeners: () => listeners };
  }

  it('sleep resolves after the time and leaves no listener behind', async () => {
    const { signal, listeners } = counted();
    const started = Date.now();
    await sleep(20, signal);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    expect(listeners()).toBe(0);
    await sleep(1);
  });

  it('sleep rejects with the reason: at once when already aborted, or when aborted meanwhile', async () => {
    const early = new AbortController();
    const reason = new Error('early');
    early.abort(reason);
    expect(await rejection(sleep(10_000, early.signal))).toBe(reason);
    const { controller, signal } = counted();
    const pending = sleep(10_000, signal);
    const late = new Error('late');
    controller.abort(late);
    expect(await rejection(pending)).toBe(late);
  });

  it('untilAborted passes a value or an error through and removes its listener', async () => {
    const first = counted();
    expect(await untilAborted(Promise.resolve(42), first.signal)).toBe(42);
    expect(first.listeners()).toBe(0);
    const second = counted();
    const failure = new Error('provider failed');
    expect(await rejection(untilAborted(Promise.reject(failure), second.signal))).toBe(failure);
    expect(second.listeners()).toBe(0);
  });

  it('untilAborted stops waiting when the signal aborts, before or during', async () => {
    const early = new AbortController();
    early.abort(new Error('before'));
    expect(await rejection(untilAborted(new Promise(() => undefined), early.signal))).toBe(early.signal.reason);
    const during = new AbortController();
    const pending = untilAborted(new Promise(() => undefined), during.signal);
    const reason = new Error('during');
    during.abort(reason);
    expect(await rejection(pending)).toBe(reason);
  });
});

describe('correctClockSkew', () => {
  const deps = (warnings: string[]) =>
    ({
      service: 'cvm',
      now: () => Date.parse('2026-11-30T10:00:00Z'),
      clockOffsetMs: 0,
      logger: { warn: (line: string) => warnings.push(line) },
    }) as unknown as AttemptDeps;
  const apiError = (code: string) => new ApiError({ code, serverMessage: 'm', requestId: 'r' });
  const response = (date: string | undefined) => ({
    status: 200,
    headers: { get: (name: string) => (name === 'date' ? (date ?? null) : null) },
    body: [],
  });

  it('on SignatureExpire with a Date, keeps the server clock offset and says so', () => {
    const warnings: string[] = [];
    const d = deps(warnings);
    expect(
      correctClockSkew(
        d,
        'DescribeZones',
        apiError('AuthFailure.SignatureExpire'),
        response('Thu, 30 Nov 2026 10:05:00 GMT'),
      ),
    ).toBe(true);
    expect(d.clockOffsetMs).toBe(300_000);
    expect(warnings).toEqual(['cvm:DescribeZones: signature expired; clock corrected by 300000 ms']);
  });

  it('does nothing for another error, or without a usable Date', () => {
    const warnings: string[] = [];
    const d = deps(warnings);
    expect(
      correctClockSkew(d, 'A', apiError('AuthFailure.SignatureFailure'), response('Thu, 30 Nov 2026 10:05:00 GMT')),
    ).toBe(false);
    expect(correctClockSkew(d, 'A', apiError('AuthFailure.SignatureExpire'), response(undefined))).toBe(false);
    expect(correctClockSkew(d, 'A', apiError('AuthFailure.SignatureExpire'), response('not a date'))).toBe(false);
    expect(d.clockOffsetMs).toBe(0);
    expect(warnings).toEqual([]);
  });

  it('works without a logger', () => {
    const d = { ...deps([]), logger: undefined } as unknown as AttemptDeps;
    expect(
      correctClockSkew(d, 'A', apiError('AuthFailure.SignatureExpire'), response('Thu, 30 Nov 2026 09:59:00 GMT')),
    ).toBe(true);
    expect(d.clockOffsetMs).toBe(-60_000);
  });
});

describe('refuseConnectionHeader', () => {
  it.each([
    'Host',
    'content-length',
    'Transfer-Encoding',
    'CONNECTION',
    'keep-alive',
    'Proxy-Connection',
    'proxy-authorization',
    'TE',
    'trailer',
    'upgrade',
    'Expect',
    'HTTP2-Settings',
  ])('refuses %s, naming it', (name) => {
    const error = usage(() => refuseConnectionHeader(name));
    expect(error).toMatchObject({ argument: `headers.${name}` });
    expect(error.message).toContain(
      `${name} is a framing or connection header that the sender manages; it cannot be set by a caller`,
    );
  });

  it('lets other headers through', () => {
    for (const name of ['Content-Type', 'X-TC-Action', 'Authorization', 'Accept', 'hosts', 'TEs'])
      expect(() => refuseConnectionHeader(name)).not.toThrow();
  });
});

describe('signRequest (makeSignRequest)', () => {
  const calls: Tc3SignInput[] = [];
  const realTc3 = makeSignTc3(nodeCrypto);
  const spyTc3 = async (input: Tc3SignInput) => (calls.push(input), realTc3(input));
  const request = (headers: Record<string, string>) => ({
    method: 'POST' as const,
    url: 'https://cvm.tencentcloudapi.com/',
    host: 'cvm.tencentcloudapi.com',
    service: 'cvm',
    query: '',
    contentType: 'application/json; charset=utf-8',
    body: '{}',
    headers,
  });
  const base = { 'X-TC-Action': 'DescribeZones', 'X-TC-Timestamp': '1700000000', 'Content-Type': 'application/json' };

  it('refuses credentials that are not an object, and a request without X-TC-Action', async () => {
    const sign = makeSignRequest(spyTc3);
    for (const credentials of [null, 'id:key', undefined]) {
      const error = await rejection(sign(request(base) as never, credentials as never));
      expect(error).toBeInstanceOf(UsageError);
      expect(error).toMatchObject({ argument: 'credentials' });
      expect((error as Error).message).toContain('must be { secretId, secretKey, token? }');
    }
    const error = await rejection(sign(request({}) as never, { secretId: 'id', secretKey: 'key' }));
    expect(error).toMatchObject({ argument: 'request' });
    expect((error as Error).message).toContain('must be a request made by buildRequest (it has no X-TC-Action header)');
  });

  it('signs what the request says: its timestamp, action, service, and UNSIGNED-PAYLOAD only when marked', async () => {
    calls.length = 0;
    const sign = makeSignRequest(spyTc3);
    await sign(request(base) as never, { secretId: 'id', secretKey: 'key' });
    await sign(request({ ...base, 'X-TC-Content-SHA256': UNSIGNED_PAYLOAD }) as never, {
      secretId: 'id',
      secretKey: 'key',
    });
    expect(calls[0]).toMatchObject({
      method: 'POST',
      host: 'cvm.tencentcloudapi.com',
      service: 'cvm',
      timestamp: 1_700_000_000,
      headers: { 'X-TC-Action': 'DescribeZones' },
      secretId: 'id',
      secretKey: 'key',
      payload: '{}',
      unsignedPayload: false,
    });
    expect(calls[1]!.unsignedPayload).toBe(true);
  });

  it('sets X-TC-Token only for a non-empty token; prints redacted, plainly from the transport’s own signer', async () => {
    const signed = await makeSignRequest(realTc3)(request(base) as never, {
      secretId: 'id',
      secretKey: 'key',
      token: 'tok-secret',
    });
    expect(signed.headers['X-TC-Token']).toBe('tok-secret');
    expect(signed.headers['Authorization']).toMatch(/^TC3-HMAC-SHA256 Credential=id\//);
    expect(JSON.stringify(signed)).not.toContain('tok-secret');
    expect(JSON.stringify(signed)).not.toContain('Signature=');
    expect(inspect(signed, { depth: 5 })).not.toContain('tok-secret');
    expect(Object.keys(signed.headers)).toEqual([...Object.keys(base), 'Authorization', 'X-TC-Token']);
    const empty = await makeSignRequest(realTc3)(request(base) as never, {
      secretId: 'id',
      secretKey: 'key',
      token: '',
    });
    expect('X-TC-Token' in empty.headers).toBe(false);
    const none = await makeSignRequest(realTc3)(request(base) as never, { secretId: 'id', secretKey: 'key' });
    expect('X-TC-Token' in none.headers).toBe(false);
    // The transport's own signer: plain headers.
    const plain = await makeSigner(realTc3, plainHeaders)(request(base) as never, {
      secretId: 'id',
      secretKey: 'key',
      token: 'tok',
    });
    expect(Object.getPrototypeOf(plain.headers)).toBe(Object.prototype);
    expect(JSON.stringify(plain.headers)).toContain('"X-TC-Token":"tok"');
    expect(base).not.toHaveProperty('Authorization'); // the request's own headers are not changed
  });
});

describe('logLine', () => {
  it('adds the headers as JSON with secrets redacted, and blanks known secrets anywhere', () => {
    expect(logLine('cvm:DescribeZones sent', undefined, [])).toBe('cvm:DescribeZones sent');
    expect(logLine('key SECRETKEY123 leaked', undefined, ['SECRETKEY123', undefined])).toBe('key [REDACTED] leaked');
    expect(logLine('sent', { Authorization: 'TC3 abc', 'X-TC-Action': 'A' }, [])).toBe(
      'sent {"Authorization":"[REDACTED]","X-TC-Action":"A"}',
    );
    expect(logLine('sent', { 'X-Note': 'has tok-12345' }, ['tok-12345'])).toBe('sent {"X-Note":"has [REDACTED]"}');
  });
});

describe('serializeParams: objects that are not plain data', () => {
  it('a class instance without toJSON is refused, at the top or nested, naming its class and path', () => {
    const top = usage(() => serializeParams(new Map([['a', 1]])));
    expect(top).toMatchObject({ argument: 'params' });
    expect(top.message).toContain('is a Map, not plain data');
    const nested = usage(() => serializeParams({ Filters: [{ Values: new Set(['x']) }] }));
    expect(nested).toMatchObject({ argument: 'params.Filters[0].Values' });
    expect(nested.message).toContain('is a Set, not plain data');
    class Point {
      x = 1;
    }
    expect(usage(() => serializeParams({ P: new Point() })).message).toContain('is a Point, not plain data');
  });

  it('an object without a prototype is plain data, at the top or nested', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { A: 1 });
    expect(serializeParams({ Bare: bare })).toBe('{"Bare":{"A":1}}');
    expect(serializeParams(bare)).toBe('{"A":1}');
  });
});
