import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isApiError } from '@x/errors';
import { signTc3, signV1 } from '@x/transport/sign';
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, startEmulator, type Emulator } from '../src/index';
import { client, cvm, errorCode, raw, rejection } from './helpers';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({
    credentials: {
      [DEFAULT_SECRET_ID]: DEFAULT_SECRET_KEY,
      AKIDWITHTOKEN0000000000000000000: { secretKey: 'token-key', token: 'the-token' },
    },
  });
});
afterAll(() => emulator.close());

describe('signature verification (TC3-HMAC-SHA256)', () => {
  it('accepts a correctly signed request and answers the fixture', async () => {
    const { data, requestId } = await cvm(emulator).call('DescribeRegions');
    expect(data['TotalCount']).toBe(20);
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers SignatureFailure for a wrong key, as HTTP 200', async () => {
    const err = await rejection(
      cvm(emulator, { credentials: { secretId: DEFAULT_SECRET_ID, secretKey: 'wrong-key' } }).call('DescribeRegions'),
    );
    expect(isApiError(err, 'AuthFailure.SignatureFailure')).toBe(true);
    expect(err['httpStatus']).toBe(200);
  });

  it('answers SecretIdNotFound for an unknown SecretId', async () => {
    const err = await rejection(
      cvm(emulator, { credentials: { secretId: 'AKIDUNKNOWN', secretKey: 'k' } }).call('DescribeRegions'),
    );
    expect(err['code']).toBe('AuthFailure.SecretIdNotFound');
  });

  it('answers SignatureExpire more than 5 minutes off, with the server Date header', async () => {
    const skewed = cvm(emulator, { now: () => Date.now() - 301_000, retry: false });
    // With retries off the transport cannot correct its clock: the raw answer shows.
    const err = await rejection(skewed.call('DescribeRegions', {}, { retry: false }));
    expect(err['code']).toBe('AuthFailure.SignatureExpire');
    const ok = await cvm(emulator, { now: () => Date.now() - 290_000 }).call('DescribeRegions');
    expect(ok.httpStatus).toBe(200);
  });

  it('answers InvalidAuthorization for a malformed or missing header, or one that does not sign host and content-type', async () => {
    const base = {
      'Content-Type': 'application/json',
      'X-TC-Action': 'DescribeRegions',
      'X-TC-Version': '2017-03-12',
      'X-TC-Region': 'ap-guangzhou',
      'X-TC-Timestamp': String(Math.floor(Date.now() / 1000)),
    };
    expect(
      errorCode((await raw(emulator.url, { headers: { ...base, Authorization: 'Bearer x' }, body: '{}' })).body),
    ).toBe('AuthFailure.InvalidAuthorization');
    expect(errorCode((await raw(emulator.url, { headers: base, body: '{}' })).body)).toBe(
      'AuthFailure.InvalidAuthorization',
    );
    const signature = 'a'.repeat(64);
    const hostless = `TC3-HMAC-SHA256 Credential=${DEFAULT_SECRET_ID}/2020-01-01/cvm/tc3_request, SignedHeaders=content-type, Signature=${signature}`;
    expect(
      errorCode((await raw(emulator.url, { headers: { ...base, Authorization: hostless }, body: '{}' })).body),
    ).toBe('AuthFailure.InvalidAuthorization');
  });

  it('verifies any signed-header set containing content-type and host, and the host with or without port', async () => {
    const timestamp = Math.floor(Date.now() / 1000);
    const host = new URL(emulator.url).host;
    for (const signedHost of [host, host.split(':')[0]!]) {
      const payload = '{}';
      const { authorization } = await signTc3({
        method: 'POST',
        host: signedHost,
        contentType: 'application/json',
        payload,
        service: 'cvm',
        timestamp,
        headers: { 'X-TC-Version': '2017-03-12', 'X-TC-Region': 'ap-guangzhou' },
        secretId: DEFAULT_SECRET_ID,
        secretKey: DEFAULT_SECRET_KEY,
      });
      const res = await raw(emulator.url, {
        headers: {
          'Content-Type': 'application/json',
          'X-TC-Action': 'DescribeRegions',
          'X-TC-Version': '2017-03-12',
          'X-TC-Region': 'ap-guangzhou',
          'X-TC-Timestamp': String(timestamp),
          Authorization: authorization,
        },
        body: payload,
      });
      expect(res.status).toBe(200);
      expect(errorCode(res.body)).toBeUndefined();
    }
  });

  it('requires the session token of credentials that have one (TokenFailure)', async () => {
    const creds = { secretId: 'AKIDWITHTOKEN0000000000000000000', secretKey: 'token-key' };
    expect((await rejection(cvm(emulator, { credentials: creds }).call('DescribeRegions')))['code']).toBe(
      'AuthFailure.TokenFailure',
    );
    expect(
      (await rejection(cvm(emulator, { credentials: { ...creds, token: 'wrong' } }).call('DescribeRegions')))['code'],
    ).toBe('AuthFailure.TokenFailure');
    await cvm(emulator, { credentials: { ...creds, token: 'the-token' } }).call('DescribeRegions');
  });

  it('verifies v1 (HmacSHA1 and HmacSHA256) signatures of GET requests', async () => {
    for (const method of ['HmacSHA1', 'HmacSHA256'] as const) {
      const params: Record<string, string> = {
        Action: 'DescribeInstances',
        Version: '2017-03-12',
        Region: 'ap-guangzhou',
        Limit: '2',
        'Filters.0.Name': 'zone',
        'Filters.0.Values.0': 'ap-guangzhou-3',
        Nonce: '11886',
        Timestamp: String(Math.floor(Date.now() / 1000)),
        SecretId: DEFAULT_SECRET_ID,
        SignatureMethod: method,
      };
      const host = `cvm.${new URL(emulator.url).host}`;
      params['Signature'] = await signV1({ method: 'GET', host, params, secretKey: DEFAULT_SECRET_KEY });
      const query = new URLSearchParams(params).toString();
      const ok = await raw(emulator.url, { method: 'GET', path: `/?${query}`, headers: { Host: host } });
      const body = JSON.parse(ok.body) as { Response: { TotalCount: number; InstanceSet: unknown[] } };
      expect(body.Response.InstanceSet).toHaveLength(2);
      params['Signature'] = 'wrong';
      const bad = await raw(emulator.url, {
        method: 'GET',
        path: `/?${new URLSearchParams(params)}`,
        headers: { Host: host },
      });
      expect(errorCode(bad.body)).toBe('AuthFailure.SignatureFailure');
    }
  });
});

describe('gateway rules', () => {
  it('MissingParameter without X-TC-Action or X-TC-Version', async () => {
    const res = await raw(emulator.url, { headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(errorCode(res.body)).toBe('MissingParameter');
    expect(res.body).toContain('X-TC-Action');
  });

  it('InvalidAction, NoSuchVersion, NoSuchProduct', async () => {
    expect((await rejection(cvm(emulator).call('DescribeNothing')))['code']).toBe('InvalidAction');
    expect((await rejection(client(emulator, 'cvm', '2099-01-01').call('DescribeRegions')))['code']).toBe(
      'NoSuchVersion',
    );
    expect((await rejection(client(emulator, 'nosuch', '2020-01-01').call('Anything')))['code']).toBe('NoSuchProduct');
  });

  it('UnsupportedProtocol for methods other than GET and POST', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const res = await raw(emulator.url, { method, body: '{}' });
      expect([method, res.status, res.body]).toEqual([method, 200, expect.any(String)]);
      expect(errorCode(res.body)).toBe('UnsupportedProtocol');
    }
  });

  it('RequestSizeLimitExceeded above 32 KB for GET and 10 MB for POST', async () => {
    const get = await raw(emulator.url, { method: 'GET', path: `/?Data=${'x'.repeat(33 * 1024)}` });
    expect(errorCode(get.body)).toBe('RequestSizeLimitExceeded');
    const post = await raw(emulator.url, {
      headers: { 'Content-Type': 'application/json' },
      body: `{"Data":"${'x'.repeat(10 * 1024 * 1024)}"}`,
    });
    expect(errorCode(post.body)).toBe('RequestSizeLimitExceeded');
  });

  it('UnsupportedRegion where the fixture says so, MissingParameter without a required region', async () => {
    expect((await rejection(cvm(emulator, { region: 'mars-base-1' }).call('DescribeRegions')))['code']).toBe(
      'UnsupportedRegion',
    );
    const noRegion = createRegionless();
    expect((await rejection(noRegion.call('DescribeRegions')))['code']).toBe('MissingParameter');
  });

  it('answers in Chinese with X-TC-Language: zh-CN', async () => {
    const err = await rejection(
      cvm(emulator, { credentials: { secretId: 'AKIDUNKNOWN', secretKey: 'k' }, language: 'zh-CN' }).call(
        'DescribeRegions',
      ),
    );
    expect(err['serverMessage']).toMatch(/^密钥不存在/);
    const version = await rejection(
      client(emulator, 'cvm', '2099-01-01', { language: 'zh-CN' }).call('DescribeRegions'),
    );
    expect(version).toMatchObject({ code: 'NoSuchVersion', serverMessage: 'cvm 的 API 版本 2099-01-01 不存在。' });
    const english = await rejection(client(emulator, 'cvm', '2099-01-01').call('DescribeRegions'));
    expect(english['serverMessage']).toBe('The API version 2099-01-01 of cvm does not exist.');
    emulator.faults.add({ fault: { kind: 'throttle' }, times: 1 });
    expect(await rejection(cvm(emulator, { language: 'zh-CN' }).call('DescribeRegions'))).toMatchObject({
      code: 'RequestLimitExceeded',
      serverMessage: '请求的次数超过了频率限制。',
    });
  });

  it('records requests with Authorization and X-TC-Token redacted', async () => {
    const before = emulator.requests.length;
    await cvm(emulator, {
      credentials: { secretId: 'AKIDWITHTOKEN0000000000000000000', secretKey: 'token-key', token: 'the-token' },
    }).call('DescribeInstances', { Limit: 1 });
    const [rec] = emulator.requests.slice(before);
    expect(rec).toMatchObject({
      service: 'cvm',
      version: '2017-03-12',
      action: 'DescribeInstances',
      region: 'ap-guangzhou',
      params: { Limit: 1 },
      secretId: 'AKIDWITHTOKEN0000000000000000000',
      signatureMethod: 'TC3-HMAC-SHA256',
    });
    expect(rec?.headers['authorization']).toBe('[REDACTED]');
    expect(rec?.headers['x-tc-token']).toBe('[REDACTED]');
    expect(JSON.stringify(emulator.requests)).not.toContain('the-token');
  });
});

function createRegionless() {
  return client(emulator, 'cvm', '2017-03-12', { region: undefined });
}

describe('more of the signature rules', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const headersFor = (timestamp: number, authorization: string, extra: Record<string, string> = {}) => ({
    'Content-Type': 'application/json',
    'X-TC-Action': 'DescribeRegions',
    'X-TC-Version': '2017-03-12',
    'X-TC-Region': 'ap-guangzhou',
    'X-TC-Timestamp': String(timestamp),
    Authorization: authorization,
    ...extra,
  });
  const sign = (timestamp: number, extra: Partial<Parameters<typeof signTc3>[0]> = {}) =>
    signTc3({
      method: 'POST',
      host: new URL(emulator.url).host,
      contentType: 'application/json',
      payload: '{}',
      service: 'cvm',
      timestamp,
      secretId: DEFAULT_SECRET_ID,
      secretKey: DEFAULT_SECRET_KEY,
      ...extra,
    });

  it('SignatureFailure when the credential date is not the UTC date of X-TC-Timestamp', async () => {
    const timestamp = now();
    const { authorization } = await sign(timestamp);
    const otherDay = new Date((timestamp - 86_400) * 1000).toISOString().slice(0, 10);
    const forged = authorization.replace(/\/\d{4}-\d{2}-\d{2}\//, `/${otherDay}/`);
    expect(errorCode((await raw(emulator.url, { headers: headersFor(timestamp, forged), body: '{}' })).body)).toBe(
      'AuthFailure.SignatureFailure',
    );
  });

  it('SignatureFailure when the body differs from the signed one', async () => {
    const timestamp = now();
    const { authorization } = await sign(timestamp);
    expect(
      errorCode((await raw(emulator.url, { headers: headersFor(timestamp, authorization), body: '{"Limit":1}' })).body),
    ).toBe('AuthFailure.SignatureFailure');
  });

  it('accepts X-TC-Content-SHA256: UNSIGNED-PAYLOAD, and refuses it when the client did not sign that way', async () => {
    const timestamp = now();
    const unsigned = await sign(timestamp, { unsignedPayload: true });
    const ok = await raw(emulator.url, {
      headers: headersFor(timestamp, unsigned.authorization, { 'X-TC-Content-SHA256': 'UNSIGNED-PAYLOAD' }),
      body: '{}',
    });
    expect(errorCode(ok.body)).toBeUndefined();
    const bad = await raw(emulator.url, { headers: headersFor(timestamp, unsigned.authorization), body: '{}' });
    expect(errorCode(bad.body)).toBe('AuthFailure.SignatureFailure');
    expect(
      (await cvm(emulator, { unsignedPayload: true }).call('DescribeInstances', { Limit: 1 })).data['TotalCount'],
    ).toBe(50);
  });

  it('verifies x-tc-action among the signed headers, and fails when a signed header was changed', async () => {
    const timestamp = now();
    const { authorization } = await sign(timestamp, { headers: { 'X-TC-Action': 'DescribeRegions' } });
    expect(authorization).toContain('SignedHeaders=content-type;host;x-tc-action');
    expect(
      errorCode((await raw(emulator.url, { headers: headersFor(timestamp, authorization), body: '{}' })).body),
    ).toBeUndefined();
    const tampered = headersFor(timestamp, authorization, { 'X-TC-Action': 'DescribeInstances' });
    expect(errorCode((await raw(emulator.url, { headers: tampered, body: '{}' })).body)).toBe(
      'AuthFailure.SignatureFailure',
    );
  });

  it('verifies TC3-signed GET requests with flattened query parameters', async () => {
    const { data } = await cvm(emulator, { method: 'GET' }).call('DescribeInstances', {
      Limit: 3,
      Filters: [{ Name: 'zone', Values: ['ap-guangzhou-3'] }],
    });
    expect(data['TotalCount']).toBe(17);
    expect(data['InstanceSet']).toHaveLength(3);
    expect(emulator.requests.at(-1)).toMatchObject({
      method: 'GET',
      params: { Limit: 3, Filters: [{ Name: 'zone', Values: ['ap-guangzhou-3'] }] },
    });
  });

  it('verifies v1 signatures of form-encoded POST requests', async () => {
    const host = `cvm.${new URL(emulator.url).host}`;
    const params: Record<string, string> = {
      Action: 'DescribeInstances',
      Version: '2017-03-12',
      Region: 'ap-guangzhou',
      'InstanceIds.0': 'ins-bad',
      Nonce: '4242',
      Timestamp: String(now()),
      SecretId: DEFAULT_SECRET_ID,
      SignatureMethod: 'HmacSHA256',
    };
    params['Signature'] = await signV1({ method: 'POST', host, params, secretKey: DEFAULT_SECRET_KEY });
    const res = await raw(emulator.url, {
      headers: { Host: host, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
    // Signature accepted: the fixture itself judged the malformed id.
    expect(errorCode(res.body)).toBe('InvalidInstanceId.Malformed');
    expect(emulator.requests.at(-1)).toMatchObject({
      signatureMethod: 'HmacSHA256',
      service: 'cvm',
      params: { InstanceIds: ['ins-bad'] },
    });
    const stale: Record<string, string> = { ...params, Timestamp: String(now() - 600) };
    stale['Signature'] = await signV1({ method: 'POST', host, params: stale, secretKey: DEFAULT_SECRET_KEY });
    const expired = await raw(emulator.url, {
      headers: { Host: host, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(stale).toString(),
    });
    expect(errorCode(expired.body)).toBe('AuthFailure.SignatureExpire');
  });

  it('RequestSizeLimitExceeded above 1 MB for a form POST', async () => {
    const res = await raw(emulator.url, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `Data=${'x'.repeat(1024 * 1024)}`,
    });
    expect(errorCode(res.body)).toBe('RequestSizeLimitExceeded');
  });

  it('Authorization: SKIP is refused for actions that need a signature', async () => {
    const res = await raw(emulator.url, { headers: headersFor(now(), 'SKIP'), body: '{}' });
    expect(errorCode(res.body)).toBe('AuthFailure.InvalidAuthorization');
  });

  it('every failure carries a RequestId, which is also recorded; the client trace id comes back', async () => {
    const res = await raw(emulator.url, {
      headers: headersFor(now(), 'SKIP', { 'X-TC-TraceId': 'trace-123' }),
      body: '{}',
    });
    expect(res.headers['x-tc-traceid']).toBe('trace-123');
    const { Response } = JSON.parse(res.body) as { Response: { RequestId: string } };
    expect(Response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(emulator.requests.at(-1)).toMatchObject({
      requestId: Response.RequestId,
      errorCode: 'AuthFailure.InvalidAuthorization',
    });
  });
});
