import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signTc3, signV1 } from '@x/transport/sign';
import { defaultMessage } from '../src/api-failure';
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, startEmulator, type Emulator } from '../src/index';
import { raw } from './helpers';

// The request path step by step (read-request, authenticate, route-call), over real HTTP with the
// exact words a caller reads: a fixed emulator clock, raw requests signed here, and a `demo`
// service of handlers that echo what they were given.
const START = Date.UTC(2026, 5, 15, 12, 0, 0);
let clock = START;
const TOKEN_ID = 'AKIDTOKEN000000000000000000000000';
let emulator: Emulator;
let host: string;

beforeAll(async () => {
  emulator = await startEmulator({
    now: () => clock,
    credentials: {
      [DEFAULT_SECRET_ID]: DEFAULT_SECRET_KEY,
      [TOKEN_ID]: { secretKey: 'token-key', token: 'the-token' },
    },
    services: { demo: { unsignedActions: ['Hello'] }, strict: { regions: ['r1'], regionRequired: true } },
    handlers: {
      demo: {
        '2020-01-01': {
          Echo: (params, ctx) => ({ Params: params, Service: ctx.service, SecretId: ctx.secretId ?? null }),
          Hello: (params, ctx) => ({ Params: params, SecretId: ctx.secretId ?? null, Region: ctx.region ?? null }),
          Mint: (params, ctx) => ({ ...ctx.issueCredentials({ expiresAt: Number(params['ExpiresAt']) }) }),
        },
      },
      strict: { '2020-01-01': { Echo: () => ({ Ok: true }) } },
      cvm: {
        '2017-03-12': {
          ResetInstance: (params, ctx) => ({
            Params: params,
            Body: ctx.body ? Buffer.from(ctx.body).toString() : null,
          }),
        },
      },
    },
  });
  host = new URL(emulator.url).host;
});
afterAll(() => emulator.close());
beforeEach(() => {
  clock = START;
});

interface Sent {
  readonly service?: string;
  readonly action?: string;
  readonly version?: string;
  readonly region?: string;
  readonly body?: string;
  readonly contentType?: string;
  readonly language?: string;
  readonly timestamp?: number;
  /** X-TC-Timestamp as sent, when it should differ from the signed one. */
  readonly timestampHeader?: string;
  readonly secretId?: string;
  readonly secretKey?: string;
  readonly token?: string;
  readonly authorization?: string;
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly code: string | undefined;
  readonly message: string | undefined;
  readonly response: Record<string, unknown>;
}

function answer(res: { status: number; headers: Answer['headers']; body: string }): Answer {
  const response = (JSON.parse(res.body) as { Response: Record<string, unknown> }).Response;
  const error = response['Error'] as { Code: string; Message: string } | undefined;
  return { status: res.status, headers: res.headers, code: error?.Code, message: error?.Message, response };
}

/** A TC3-signed POST (JSON unless told), as a careful client would send it. */
async function send(sent: Sent = {}): Promise<Answer> {
  const timestamp = sent.timestamp ?? Math.floor(clock / 1000);
  const body = sent.body ?? '{}';
  const contentType = sent.contentType ?? 'application/json';
  const authorization =
    sent.authorization ??
    (
      await signTc3({
        method: 'POST',
        host,
        contentType,
        payload: body,
        service: sent.service ?? 'demo',
        timestamp,
        secretId: sent.secretId ?? DEFAULT_SECRET_ID,
        secretKey: sent.secretKey ?? DEFAULT_SECRET_KEY,
      })
    ).authorization;
  const headers: Record<string, string> = {
    'Content-Type': contentType,
    'X-TC-Action': sent.action ?? 'Echo',
    'X-TC-Version': sent.version ?? '2020-01-01',
    'X-TC-Timestamp': sent.timestampHeader ?? String(timestamp),
    Authorization: authorization,
  };
  if (sent.region !== undefined) headers['X-TC-Region'] = sent.region;
  if (sent.token !== undefined) headers['X-TC-Token'] = sent.token;
  if (sent.language !== undefined) headers['X-TC-Language'] = sent.language;
  return answer(await raw(emulator.url, { headers, body }));
}

/** A v1-signed form POST to `service`'s host name. */
async function sendV1(params: Record<string, string>, options: { secretKey?: string; sign?: boolean } = {}) {
  const v1Host = `demo.${host}`;
  const all: Record<string, string> = {
    Action: 'Echo',
    Version: '2020-01-01',
    Timestamp: String(Math.floor(clock / 1000)),
    Nonce: '77',
    SecretId: DEFAULT_SECRET_ID,
    ...params,
  };
  if (options.sign !== false) {
    all['Signature'] = await signV1({
      method: 'POST',
      host: v1Host,
      params: all,
      secretKey: options.secretKey ?? DEFAULT_SECRET_KEY,
      algorithm: all['SignatureMethod'] === 'HmacSHA256' ? 'HmacSHA256' : 'HmacSHA1',
    });
  }
  const res = await raw(emulator.url, {
    headers: { Host: v1Host, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(all).toString(),
  });
  return answer(res);
}

/** A POST whose body goes out chunked (no Content-Length): the emulator counts what it reads. */
function chunked(headers: Record<string, string>, chunks: readonly Buffer[]): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/', emulator.url), { method: 'POST', headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () =>
        resolve(
          answer({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8') }),
        ),
      );
      res.on('error', reject);
    });
    // The server may answer and close before the whole body is out.
    req.on('error', () => {});
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

const last = () => emulator.requests.at(-1)!;

describe('reading a request', () => {
  it('refuses methods other than GET and POST by name, in English and Chinese', async () => {
    expect(answer(await raw(emulator.url, { method: 'PUT', body: '{}' }))).toMatchObject({
      status: 200,
      code: 'UnsupportedProtocol',
      message: 'The HTTP method PUT is not supported; only GET and POST are.',
    });
    const zh = answer(await raw(emulator.url, { method: 'DELETE', headers: { 'X-TC-Language': 'zh-CN' } }));
    expect(zh.message).toBe('不支持 HTTP 方法 DELETE，仅支持 GET 和 POST。');
    expect(last()).toMatchObject({ method: 'DELETE', errorCode: 'UnsupportedProtocol' });
  });

  it('holds a GET to 32 KB of URL: 32768 bytes pass, one more is refused with the limit named', async () => {
    const path = (length: number) => `/?Pad=${'x'.repeat(length - '/?Pad='.length)}`;
    const at = answer(await raw(emulator.url, { method: 'GET', path: path(32 * 1024) }));
    expect(at.code).toBe('MissingParameter');
    const over = answer(await raw(emulator.url, { method: 'GET', path: path(32 * 1024 + 1) }));
    expect(over).toMatchObject({ code: 'RequestSizeLimitExceeded', message: 'The GET request exceeds 32768 bytes.' });
    const zh = answer(
      await raw(emulator.url, { method: 'GET', path: path(40_000), headers: { 'X-TC-Language': 'zh-CN' } }),
    );
    expect(zh.message).toBe('GET 请求超过 32768 字节。');
  });

  it('holds a form body to 1 MB, declared or counted, and closes the connection past it', async () => {
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const limit = 1024 * 1024;
    const exact = `Pad=${'x'.repeat(limit - 4)}`;
    expect(answer(await raw(emulator.url, { headers: form, body: exact })).code).toBe('MissingParameter');
    const over = answer(await raw(emulator.url, { headers: form, body: `${exact}x` }));
    expect(over).toMatchObject({
      code: 'RequestSizeLimitExceeded',
      message: 'The request body exceeds 1048576 bytes.',
    });
    expect(over.headers['connection']).toBe('close');
    const half = Buffer.from(exact.slice(0, limit / 2));
    const rest = Buffer.from(exact.slice(limit / 2));
    expect((await chunked(form, [half, rest])).code).toBe('MissingParameter');
    const counted = await chunked({ ...form, 'X-TC-Language': 'zh-CN' }, [half, rest, Buffer.from('x')]);
    expect(counted).toMatchObject({ code: 'RequestSizeLimitExceeded', message: '请求包体超过 1048576 字节。' });
    // A JSON body of the same size is well within its own 10 MB limit.
    const json = { 'Content-Type': 'application/json' };
    expect((await chunked(json, [Buffer.from(`{"Pad":"${'x'.repeat(limit)}"}`)])).code).toBe('MissingParameter');
  });

  it('names an unsupported content type (lowercased), or says there was none', async () => {
    expect(answer(await raw(emulator.url, { headers: { 'Content-Type': 'Text/Plain' }, body: 'hi' }))).toMatchObject({
      code: 'InvalidParameter',
      message:
        'The content type text/plain is not supported; use application/json, multipart/form-data or application/octet-stream.',
    });
    expect(answer(await raw(emulator.url, { body: 'hi' })).message).toBe(
      'The content type (none) is not supported; use application/json, multipart/form-data or application/octet-stream.',
    );
    const zh = { 'X-TC-Language': 'zh-CN' };
    expect(answer(await raw(emulator.url, { headers: zh, body: 'hi' })).message).toBe(
      '不支持 Content-Type (空)，请使用 application/json、multipart/form-data 或 application/octet-stream。',
    );
    expect(answer(await raw(emulator.url, { headers: { ...zh, 'Content-Type': 'text/xml' }, body: 'x' })).message).toBe(
      '不支持 Content-Type text/xml，请使用 application/json、multipart/form-data 或 application/octet-stream。',
    );
  });

  it('takes a JSON object (or nothing) as the params, and refuses any other JSON', async () => {
    for (const body of ['[]', 'null', '"text"', '42', '{', 'true']) {
      const res = answer(await raw(emulator.url, { headers: { 'Content-Type': 'application/json' }, body }));
      expect([body, res.code, res.message]).toEqual([
        body,
        'InvalidParameter',
        'The request body is not a JSON object.',
      ]);
    }
    const zh = answer(
      await raw(emulator.url, {
        headers: { 'Content-Type': 'application/json', 'X-TC-Language': 'zh-CN' },
        body: '[]',
      }),
    );
    expect(zh.message).toBe('请求包体不是 JSON 对象。');
    for (const body of ['', '  \n']) {
      const res = answer(
        await raw(emulator.url, { headers: { 'Content-Type': 'Application/JSON; charset=utf-8' }, body }),
      );
      expect(res.code).toBe('MissingParameter');
      expect(last().params).toEqual({});
    }
    const { response } = await send({ body: '{"A":{"B":[1,"2"]}}' });
    expect(response['Params']).toEqual({ A: { B: [1, '2'] } });
  });

  it('names the missing X-TC-Action or X-TC-Version, and records the names it read', async () => {
    const json = { 'Content-Type': 'application/json' };
    expect(answer(await raw(emulator.url, { headers: json, body: '{}' })).message).toBe(
      'The request is missing a required parameter `X-TC-Action`.',
    );
    const noVersion = answer(await raw(emulator.url, { headers: { ...json, 'X-TC-Action': 'Echo' }, body: '{}' }));
    expect(noVersion).toMatchObject({
      code: 'MissingParameter',
      message: 'The request is missing a required parameter `X-TC-Version`.',
    });
    expect(last()).toMatchObject({ action: 'Echo', version: undefined, region: undefined });
    const zh = { ...json, 'X-TC-Language': 'zh-CN', 'X-TC-Version': '2020-01-01', 'X-TC-Region': '' };
    expect(answer(await raw(emulator.url, { headers: zh, body: '{}' })).message).toBe('缺少必填参数 `X-TC-Action`。');
    expect(last()).toMatchObject({ action: undefined, version: '2020-01-01', region: undefined });
    await send({ region: 'ap-nowhere' });
    expect(last()).toMatchObject({ action: 'Echo', version: '2020-01-01', region: 'ap-nowhere', service: 'demo' });
  });

  it('reads v1 names from the params: Action, then Version, named when missing', async () => {
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    const noAction = answer(await raw(emulator.url, { headers: form, body: 'Signature=x&Version=2020-01-01' }));
    expect(noAction).toMatchObject({
      code: 'MissingParameter',
      message: 'The request is missing a required parameter `Action`.',
    });
    const noVersion = answer(await raw(emulator.url, { headers: form, body: 'Signature=x&Action=Echo&Region=r9' }));
    expect(noVersion.message).toBe('The request is missing a required parameter `Version`.');
    expect(last()).toMatchObject({ action: 'Echo', region: 'r9', params: {} });
  });

  it('is not v1 when an Authorization header comes with a Signature param: the params stay params', async () => {
    const res = answer(
      await raw(emulator.url, {
        method: 'GET',
        path: '/?Signature=abc&Action=Other&Limit=5',
        headers: {
          Authorization: 'SKIP',
          'X-TC-Action': 'Hello',
          'X-TC-Version': '2020-01-01',
          'X-TC-Region': 'r2',
          'X-TC-Timestamp': String(Math.floor(clock / 1000)),
        },
      }),
    );
    expect(res.response['Params']).toEqual({ Signature: 'abc', Action: 'Other', Limit: 5 });
    expect(res.response).toMatchObject({ SecretId: null, Region: 'r2' });
    expect(last()).toMatchObject({ signatureMethod: 'SKIP', service: 'demo', secretId: undefined, action: 'Hello' });
  });

  it('says what is wrong with a malformed multipart body', async () => {
    const headers = { 'Content-Type': 'multipart/form-data' };
    expect(answer(await raw(emulator.url, { headers, body: 'x' }))).toMatchObject({
      code: 'InvalidParameter',
      message: 'The multipart/form-data body is malformed: the Content-Type header has no boundary parameter.',
    });
    const zh = answer(await raw(emulator.url, { headers: { ...headers, 'X-TC-Language': 'zh-CN' }, body: 'x' }));
    expect(zh.message).toBe(
      'multipart/form-data 请求包体格式错误：the Content-Type header has no boundary parameter。',
    );
  });
});

describe('authenticating a request', () => {
  it('names a missing Authorization header; a malformed one gets the catalog text', async () => {
    const headers = {
      'Content-Type': 'application/json',
      'X-TC-Action': 'Echo',
      'X-TC-Version': '2020-01-01',
      'X-TC-Timestamp': String(Math.floor(clock / 1000)),
    };
    expect(answer(await raw(emulator.url, { headers, body: '{}' }))).toMatchObject({
      code: 'AuthFailure.InvalidAuthorization',
      message: 'The Authorization header is missing.',
    });
    const zh = answer(await raw(emulator.url, { headers: { ...headers, 'X-TC-Language': 'zh-CN' }, body: '{}' }));
    expect(zh.message).toBe('缺少 Authorization 请求头。');
    const bad = await send({ authorization: 'TC3-HMAC-SHA256 nonsense' });
    expect(bad).toMatchObject({
      code: 'AuthFailure.InvalidAuthorization',
      message: defaultMessage('AuthFailure.InvalidAuthorization', 'en-US'),
    });
    expect(last().signatureMethod).toBeUndefined();
  });

  it('accepts a header with spaces around it, and no space after its commas', async () => {
    const timestamp = Math.floor(clock / 1000);
    const { authorization } = await signTc3({
      method: 'POST',
      host,
      contentType: 'application/json',
      payload: '{}',
      service: 'demo',
      timestamp,
      secretId: DEFAULT_SECRET_ID,
      secretKey: DEFAULT_SECRET_KEY,
    });
    expect((await send({ authorization: `  ${authorization}  ` })).code).toBeUndefined();
    expect((await send({ authorization: authorization.replace(/, /g, ',') })).code).toBeUndefined();
    expect((await send({ authorization: authorization.replace(/Signature=[0-9a-f]{3}/, 'Signature=ABC') })).code).toBe(
      'AuthFailure.InvalidAuthorization',
    );
  });

  it('names a missing or non-integer X-TC-Timestamp', async () => {
    for (const timestampHeader of ['soon', '1.5', '1e3x']) {
      const res = await send({ timestampHeader });
      expect(res).toMatchObject({
        code: 'MissingParameter',
        message: 'The request is missing a required parameter `X-TC-Timestamp`.',
      });
    }
    expect((await send({ timestampHeader: '1.5', language: 'zh-CN' })).message).toBe('缺少必填参数 `X-TC-Timestamp`。');
  });

  it('accepts a timestamp up to 300 s either side of its clock, and answers its clock in Date past that', async () => {
    const now = Math.floor(clock / 1000);
    expect((await send({ timestamp: now - 300 })).code).toBeUndefined();
    expect((await send({ timestamp: now + 300 })).code).toBeUndefined();
    for (const timestamp of [now - 301, now + 301]) {
      const res = await send({ timestamp });
      expect(res.code).toBe('AuthFailure.SignatureExpire');
      expect(res.message).toBe(defaultMessage('AuthFailure.SignatureExpire', 'en-US'));
      expect(res.headers['date']).toBe(new Date(START).toUTCString());
    }
    // Offset for demo's calls only: the Date of the refusal is the clock that judged the call.
    const remove = emulator.faults.add({ fault: { kind: 'clock-offset', ms: 3_600_000 }, service: 'demo' });
    const shifted = await send({ timestamp: now });
    remove();
    expect(shifted.code).toBe('AuthFailure.SignatureExpire');
    expect(shifted.headers['date']).toBe(new Date(START + 3_600_000).toUTCString());
  });

  it('SecretIdNotFound for a SecretId it does not know, with the catalog text', async () => {
    const res = await send({ secretId: 'AKIDNOBODY', secretKey: 'k' });
    expect(res).toMatchObject({
      code: 'AuthFailure.SecretIdNotFound',
      message: defaultMessage('AuthFailure.SecretIdNotFound', 'en-US'),
    });
    expect(last()).toMatchObject({ signatureMethod: 'TC3-HMAC-SHA256', service: undefined, secretId: undefined });
  });

  it('checks the token of temporary credentials after their signature, each failure named', async () => {
    const signed = { secretId: TOKEN_ID, secretKey: 'token-key' };
    expect(await send(signed)).toMatchObject({
      code: 'AuthFailure.TokenFailure',
      message: 'The request is missing the token of its temporary credentials.',
    });
    expect((await send({ ...signed, token: 'other' })).message).toBe('The token does not match the credentials.');
    expect((await send({ ...signed, token: 'other', language: 'zh-CN' })).message).toBe('token 与密钥不匹配。');
    expect((await send({ ...signed, language: 'zh-CN' })).message).toBe('缺少临时密钥的 token。');
    expect((await send({ token: 'stray' })).message).toBe('A token was sent with permanent credentials.');
    expect((await send({ token: 'stray', language: 'zh-CN' })).message).toBe('永久密钥不需要 token。');
    expect((await send({ ...signed, secretKey: 'wrong', token: 'other' })).code).toBe('AuthFailure.SignatureFailure');
    const ok = await send({ ...signed, token: 'the-token' });
    expect(ok.response).toMatchObject({ SecretId: TOKEN_ID, Service: 'demo' });
    expect(last()).toMatchObject({ secretId: TOKEN_ID, service: 'demo', signatureMethod: 'TC3-HMAC-SHA256' });
  });

  it('refuses issued credentials from the millisecond they expire (emulator clock)', async () => {
    const expiresAt = START + 60_000;
    const minted = (await send({ action: 'Mint', body: JSON.stringify({ ExpiresAt: expiresAt }) })).response as {
      TmpSecretId: string;
      TmpSecretKey: string;
      Token: string;
    };
    expect(minted.TmpSecretId).toMatch(/^AKIDTMP[0-9a-f]{25}$/);
    const temporary = { secretId: minted.TmpSecretId, secretKey: minted.TmpSecretKey, token: minted.Token };
    clock = expiresAt - 1;
    expect((await send(temporary)).response['SecretId']).toBe(minted.TmpSecretId);
    clock = expiresAt;
    expect(await send(temporary)).toMatchObject({
      code: 'AuthFailure.TokenFailure',
      message: 'The temporary credentials have expired.',
    });
    expect((await send({ ...temporary, language: 'zh-CN' })).message).toBe('临时密钥已过期。');
  });

  it('SKIP: an unsigned action answers without a SecretId; a signed-only one names itself', async () => {
    const skip = await send({ action: 'Hello', authorization: 'SKIP' });
    expect(skip.response).toMatchObject({ SecretId: null });
    expect(last()).toMatchObject({ signatureMethod: 'SKIP', service: 'demo', secretId: undefined });
    expect(await send({ authorization: 'SKIP' })).toMatchObject({
      code: 'AuthFailure.InvalidAuthorization',
      message: 'The action Echo requires a signature.',
    });
    expect((await send({ authorization: 'SKIP', language: 'zh-CN' })).message).toBe('接口 Echo 需要签名。');
  });

  it('v1: the service from the host name, HmacSHA1 unless told, token checked before the signature', async () => {
    const sha1 = await sendV1({ Data: 'x' });
    expect(sha1.response).toMatchObject({ Params: { Data: 'x' }, Service: 'demo', SecretId: DEFAULT_SECRET_ID });
    expect(last()).toMatchObject({ signatureMethod: 'HmacSHA1', service: 'demo', secretId: DEFAULT_SECRET_ID });
    expect((await sendV1({ SignatureMethod: 'HmacSHA256' })).code).toBeUndefined();
    expect(last().signatureMethod).toBe('HmacSHA256');
    expect((await sendV1({ SignatureMethod: 'HmacSHA512' })).code).toBeUndefined();
    expect(last().signatureMethod).toBe('HmacSHA1');
    expect((await sendV1({}, { secretKey: 'wrong' })).code).toBe('AuthFailure.SignatureFailure');
    expect((await sendV1({ SecretId: 'AKIDNOBODY' })).code).toBe('AuthFailure.SecretIdNotFound');
    expect((await sendV1({ SecretId: '' })).code).toBe('AuthFailure.SecretIdNotFound');
    expect((await sendV1({ Timestamp: 'soon' })).code).toBe('AuthFailure.SignatureExpire');
    expect((await sendV1({ Timestamp: String(Math.floor(clock / 1000) - 301) })).code).toBe(
      'AuthFailure.SignatureExpire',
    );
    expect((await sendV1({ Timestamp: String(Math.floor(clock / 1000) - 300) })).code).toBeUndefined();
    const tokenless = await sendV1({ SecretId: TOKEN_ID }, { secretKey: 'wrong' });
    expect(tokenless).toMatchObject({
      code: 'AuthFailure.TokenFailure',
      message: 'The request is missing the token of its temporary credentials.',
    });
    expect((await sendV1({ SecretId: TOKEN_ID, Token: 'the-token' }, { secretKey: 'token-key' })).code).toBeUndefined();
  });
});

describe('routing a request', () => {
  it('names the region a service does not serve, or the one it requires', async () => {
    const strict = { service: 'strict' } as const;
    expect(await send(strict)).toMatchObject({
      code: 'MissingParameter',
      message: 'The request is missing a required parameter `Region`.',
    });
    expect((await send({ ...strict, language: 'zh-CN' })).message).toBe('缺少必填参数 `Region`。');
    expect(await send({ ...strict, region: 'r2' })).toMatchObject({
      code: 'UnsupportedRegion',
      message: 'The region r2 is not supported by strict.',
    });
    expect((await send({ ...strict, region: 'r2', language: 'zh-CN' })).message).toBe('strict 不支持地域 r2。');
    expect((await send({ ...strict, region: 'r1' })).response).toMatchObject({ Ok: true });
    expect((await send({ region: 'anywhere' })).code).toBeUndefined();
  });

  it('names the product, version and action it does not know', async () => {
    expect(await send({ service: 'nosuch' })).toMatchObject({
      code: 'NoSuchProduct',
      message: 'The product nosuch does not exist.',
    });
    expect((await send({ service: 'nosuch', language: 'zh-CN' })).message).toBe('产品 nosuch 不存在。');
    expect(await send({ action: 'Nothing' })).toMatchObject({
      code: 'InvalidAction',
      message: 'The action Nothing of demo 2020-01-01 does not exist.',
    });
    expect((await send({ action: 'constructor', language: 'zh-CN' })).message).toBe(
      'demo 2020-01-01 的接口 constructor 不存在。',
    );
    expect((await send({ action: 'toString' })).code).toBe('InvalidAction');
    expect((await send({ version: '2099-01-01' })).code).toBe('NoSuchVersion');
    expect((await send({ service: 'cvm', version: '2017-03-12', action: 'hasOwnProperty' })).code).toBe(
      'InvalidAction',
    );
  });

  it('validates JSON params with their types and text params as text, but not raw bytes', async () => {
    const cvmCall = { service: 'cvm', version: '2017-03-12', action: 'DescribeInstances', region: 'ap-guangzhou' };
    expect(await send({ ...cvmCall, body: '{"Limit":"2"}' })).toMatchObject({ code: 'InvalidParameter' });
    expect(
      await send({ ...cvmCall, body: '{"Limit":"2"}', contentType: 'application/json; charset=utf-8' }),
    ).toMatchObject({ code: 'InvalidParameter' });
    const form = await send({ ...cvmCall, body: 'Limit=2', contentType: 'application/x-www-form-urlencoded' });
    expect(form.code).toBeUndefined();
    expect(form.response['InstanceSet']).toHaveLength(2);
    // ResetInstance requires InstanceId; an octet-stream body has no params to check and reaches the handler.
    const reset = { ...cvmCall, action: 'ResetInstance' };
    const bytes = await send({ ...reset, body: 'raw', contentType: 'application/octet-stream' });
    expect(bytes.response).toMatchObject({ Params: {}, Body: 'raw' });
    expect((await send(reset)).code).toBe('MissingParameter');
    const off = await startEmulator({
      validate: false,
      handlers: { cvm: { ResetInstance: (params) => ({ Params: params }) } },
    });
    try {
      const unchecked = await raw(off.url, {
        headers: {
          'Content-Type': 'application/json',
          'X-TC-Action': 'ResetInstance',
          'X-TC-Version': '2017-03-12',
          'X-TC-Region': 'ap-guangzhou',
          'X-TC-Timestamp': String(Math.floor(Date.now() / 1000)),
          Authorization: (
            await signTc3({
              method: 'POST',
              host: new URL(off.url).host,
              contentType: 'application/json',
              payload: '{"Limit":"x"}',
              service: 'cvm',
              timestamp: Math.floor(Date.now() / 1000),
              secretId: DEFAULT_SECRET_ID,
              secretKey: DEFAULT_SECRET_KEY,
            })
          ).authorization,
        },
        body: '{"Limit":"x"}',
      });
      expect(answer(unchecked).response['Params']).toEqual({ Limit: 'x' });
    } finally {
      await off.close();
    }
  });
});
