import { describe, expect, it } from 'vitest';
import { UsageError } from '@x/errors';
import { signTc3, signV1 } from '@x/transport/sign';
import { ApiFailure, defaultMessage, failureOf } from '../src/api-failure';
import { parseTc3Authorization, sameSignature, tc3Matches, v1Matches, type Tc3Parts } from '../src/auth';
import { redactParams, unflatten } from '../src/params';
import { checkErrorRule, createRouter, errorFaultMessage, own } from '../src/routing';
import { SchemaStore } from '../src/schema';

// The gateway's helpers called directly: what each returns for the inputs a client can send.

describe('parseTc3Authorization', () => {
  const sig = 'ab'.repeat(32);
  const header = `TC3-HMAC-SHA256 Credential=AKIDX/2026-06-15/cvm/tc3_request, SignedHeaders=content-type;host;x-tc-action, Signature=${sig}`;

  it('reads the SecretId, date, service, signed headers and signature, with spaces around it', () => {
    const parts = {
      secretId: 'AKIDX',
      date: '2026-06-15',
      service: 'cvm',
      signedHeaders: ['content-type', 'host', 'x-tc-action'],
      signature: sig,
    };
    expect(parseTc3Authorization(header)).toEqual(parts);
    expect(parseTc3Authorization(` \t${header} \n`)).toEqual(parts);
    expect(parseTc3Authorization(header.replace(/, /g, ','))).toEqual(parts);
    expect(parseTc3Authorization(header.replace(/, /g, ',   '))).toEqual(parts);
  });

  it('refuses anything else: another scheme, a slash in the SecretId, a short or uppercase signature, extra text', () => {
    for (const bad of [
      header.replace('TC3-HMAC-SHA256', 'TC3-HMAC-SHA1'),
      `x${header}`,
      `${header}0`,
      header.replace('AKIDX', 'AK/DX'),
      header.replace('AKIDX', 'AK DX'),
      header.replace('2026-06-15', '2026-6-15'),
      header.replace('/cvm/', '/CVM/'),
      header.replace('tc3_request', 'tc3-request'),
      header.replace('content-type;host', 'Content-Type;host'),
      header.replace(sig, sig.slice(2)),
      header.replace(sig, sig.toUpperCase()),
      header.replace(', Signature', ' Signature'),
      '',
    ]) {
      expect([bad, parseTc3Authorization(bad)]).toEqual([bad, undefined]);
    }
  });
});

describe('sameSignature', () => {
  it('is true only for the same string', () => {
    expect(sameSignature('abc', 'abc')).toBe(true);
    expect(sameSignature('', '')).toBe(true);
    expect(sameSignature('abc', 'abd')).toBe(false);
    expect(sameSignature('abc', 'bbc')).toBe(false);
    expect(sameSignature('abc', 'abcd')).toBe(false);
    expect(sameSignature('abcd', 'abc')).toBe(false);
    expect(sameSignature('', 'a')).toBe(false);
  });
});

describe('tc3Matches and v1Matches', () => {
  const timestamp = 1_781_524_800; // 2026-06-15T12:00:00Z
  const base = {
    method: 'POST' as const,
    contentType: 'application/json',
    payload: '{}',
    service: 'cvm',
    timestamp,
    secretId: 'AKIDX',
    secretKey: 'key',
  };
  const check = async (signedHost: string, sentHost: string, extra: { headers?: Record<string, string> } = {}) => {
    const signed = await signTc3({ ...base, host: signedHost, ...extra });
    const parts = parseTc3Authorization(signed.authorization)!;
    const headers = {
      host: sentHost,
      'content-type': 'application/json',
      'x-tc-timestamp': String(timestamp),
      ...Object.fromEntries(Object.entries(extra.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    };
    return {
      parts,
      headers,
      ok: await tc3Matches({
        method: 'POST',
        query: '',
        headers,
        body: new TextEncoder().encode('{}'),
        parts,
        secretKey: 'key',
      }),
    };
  };

  it('accepts the host as sent or without its port, never another host', async () => {
    expect((await check('h.example:8080', 'h.example:8080')).ok).toBe(true);
    expect((await check('h.example', 'h.example:8080')).ok).toBe(true);
    expect((await check('h.example', 'h.example')).ok).toBe(true);
    expect((await check('h.example:8080', 'h.example')).ok).toBe(false);
    expect((await check('h.example', 'g.example:8080')).ok).toBe(false);
    expect((await check('[::1]', '[::1]:80')).ok).toBe(true);
  });

  it('recomputes over the signed headers only, a repeated one joined with commas', async () => {
    const { parts, headers } = await check('h', 'h', { headers: { 'X-TC-Action': 'A,B' } });
    const body = new TextEncoder().encode('{}');
    const run = (h: Record<string, string | string[] | undefined>, p: Tc3Parts = parts) =>
      tc3Matches({ method: 'POST', query: '', headers: h, body, parts: p, secretKey: 'key' });
    expect(await run(headers)).toBe(true);
    expect(await run({ ...headers, 'x-tc-action': ['A', 'B'] })).toBe(true);
    expect(await run({ ...headers, 'x-tc-action': 'A' })).toBe(false);
    // A header the client did not sign may change.
    expect(await run({ ...headers, 'x-tc-region': 'other' })).toBe(true);
    expect(await run({ ...headers, 'x-tc-timestamp': String(timestamp + 1) })).toBe(false);
    expect(await run({ ...headers, 'x-tc-timestamp': 'x' })).toBe(false);
    expect(await run({ ...headers, 'x-tc-timestamp': undefined })).toBe(false);
    expect(await run(headers, { ...parts, date: '2026-06-14' })).toBe(false);
    expect(await tc3Matches({ method: 'POST', query: 'a=1', headers, body, parts, secretKey: 'key' })).toBe(false);
    expect(await tc3Matches({ method: 'POST', query: '', headers, body, parts, secretKey: 'other' })).toBe(false);
  });

  it('an UNSIGNED-PAYLOAD request is judged without its body, a signed one with it', async () => {
    const signed = await signTc3({
      ...base,
      host: 'h',
      unsignedPayload: true,
      headers: { 'X-TC-Content-SHA256': 'UNSIGNED-PAYLOAD' },
    });
    const parts = parseTc3Authorization(signed.authorization)!;
    const headers = {
      host: 'h',
      'content-type': 'application/json',
      'x-tc-timestamp': String(timestamp),
      'x-tc-content-sha256': 'UNSIGNED-PAYLOAD',
    };
    const any = new TextEncoder().encode('anything');
    expect(await tc3Matches({ method: 'POST', query: '', headers, body: any, parts, secretKey: 'key' })).toBe(true);
  });

  it('v1: HmacSHA256 only when SignatureMethod says so, the host with or without its port', async () => {
    const params = { Action: 'A', Nonce: '1', SecretId: 'AKIDX', Timestamp: String(timestamp) };
    const sha1 = { ...params, Signature: await signV1({ method: 'GET', host: 'h', params, secretKey: 'k' }) };
    expect(await v1Matches('GET', 'h', sha1, 'k')).toBe(true);
    expect(await v1Matches('GET', 'h:99', sha1, 'k')).toBe(true);
    expect(await v1Matches('POST', 'h', sha1, 'k')).toBe(false);
    expect(await v1Matches('GET', 'h', sha1, 'other')).toBe(false);
    expect(await v1Matches('GET', 'h', { ...sha1, Nonce: '2' }, 'k')).toBe(false);
    const { Signature: _dropped, ...unsigned } = sha1;
    expect(await v1Matches('GET', 'h', unsigned, 'k')).toBe(false);
    const p256 = { ...params, SignatureMethod: 'HmacSHA256' };
    const sha256 = { ...p256, Signature: await signV1({ method: 'GET', host: 'h:1', params: p256, secretKey: 'k' }) };
    expect(await v1Matches('GET', 'h:1', sha256, 'k')).toBe(true);
    expect(await v1Matches('GET', 'h', sha256, 'k')).toBe(false);
    const asSha1 = {
      ...p256,
      Signature: await signV1({ method: 'GET', host: 'h', params: p256, secretKey: 'k', algorithm: 'HmacSHA1' }),
    };
    expect(await v1Matches('GET', 'h', asSha1, 'k')).toBe(false);
  });
});

describe('unflatten and redactParams', () => {
  it('rebuilds objects and arrays from dotted names, converting integers and booleans only', () => {
    expect(
      unflatten([
        ['Filters.0.Name', 'zone'],
        ['Filters.0.Values.0', 'ap-1'],
        ['Filters.1.Name', 'id'],
        ['Limit', '10'],
        ['Neg', '-5'],
        ['Zero', '0'],
        ['Big', '999999999999999'],
        ['Bigger', '1000000000000000'],
        ['Lead', '007'],
        ['Frac', '1.5'],
        ['On', 'true'],
        ['Off', 'false'],
        ['Text', 'True'],
        ['Empty', ''],
        ['A.B.C', 'x'],
      ]),
    ).toEqual({
      Filters: [{ Name: 'zone', Values: ['ap-1'] }, { Name: 'id' }],
      Limit: 10,
      Neg: -5,
      Zero: 0,
      Big: 999_999_999_999_999,
      Bigger: '1000000000000000',
      Lead: '007',
      Frac: '1.5',
      On: true,
      Off: false,
      Text: 'True',
      Empty: '',
      A: { B: { C: 'x' } },
    });
    expect(Array.isArray(unflatten([['L.0', 'a']])['L'])).toBe(true);
    expect(Array.isArray(unflatten([['L.x', 'a']])['L'])).toBe(false);
    expect(unflatten([['N', ' 5']])).toEqual({ N: ' 5' });
    expect(unflatten([['N', '5 ']])).toEqual({ N: '5 ' });
    expect(unflatten([['N', '-']])).toEqual({ N: '-' });
  });

  it('redacts secret-bearing names in any case, deep, keeping bytes, undefined and __proto__ as they are', () => {
    const bytes = new Uint8Array([1]);
    const params = JSON.parse('{"__proto__":{"x":1}}') as Record<string, unknown>;
    Object.assign(params, {
      secretkey: 's',
      Nested: [{ Token: 't', Name: 'n' }, 'plain', 3, null],
      File: bytes,
      SessionToken: undefined,
    });
    const out = redactParams(params) as Record<string, unknown>;
    expect(out['secretkey']).toBe('[REDACTED]');
    expect(out['Nested']).toEqual([{ Token: '[REDACTED]', Name: 'n' }, 'plain', 3, null]);
    expect(out['File']).toBe(bytes);
    expect('SessionToken' in out && out['SessionToken'] === undefined).toBe(true);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ x: 1 });
    expect(Object.keys(out)).toEqual(['__proto__', 'secretkey', 'Nested', 'File', 'SessionToken']);
    expect(redactParams('x')).toBe('x');
    expect(redactParams(null)).toBe(null);
  });
});

describe('routing helpers', () => {
  it('own reads own properties only', () => {
    expect(own({ a: 1 }, 'a')).toBe(1);
    expect(own({ a: 1 }, 'toString')).toBeUndefined();
    expect(own({ a: 1 }, '__proto__')).toBeUndefined();
  });

  // (Rules without a service look through every service's schema: schema.test.ts covers them once.)
  it('checkErrorRule says why a code is refused and which argument, and lets documented and common codes pass', () => {
    const store = new SchemaStore();
    const refusal = (rule: Parameters<typeof checkErrorRule>[1], code: string) => {
      try {
        checkErrorRule(store, rule, { kind: 'error', code });
      } catch (err) {
        expect(err).toBeInstanceOf(UsageError);
        expect((err as UsageError).argument).toBe('rule.error');
        return (err as Error).message.replace(/^rule\.error: /, '');
      }
      return 'passed';
    };
    expect(refusal({ service: 'cvm', action: 'RunInstances' }, 'NoSuch.Code')).toBe(
      'NoSuch.Code is not a documented error code of cvm RunInstances; set force: true to inject it anyway',
    );
    expect(refusal({ service: 'cvm', action: 'RunInstance' }, 'NoSuch.Code')).toBe(
      'no action RunInstance exists in cvm; set force: true to inject it anyway',
    );
    expect(refusal({ service: 'cvm' }, 'NoSuch.Code')).toBe(
      'NoSuch.Code is not a documented error code of cvm; set force: true to inject it anyway',
    );
    expect(refusal({ service: 'cvm' }, 'ResourceInsufficient.SpecifiedInstanceType')).toBe('passed');
    expect(refusal({ service: 'cvm', action: 'RunInstances' }, 'ResourceInsufficient.SpecifiedInstanceType')).toBe(
      'passed',
    );
    expect(refusal({ service: 'cvm', action: 'RunInstances' }, 'InternalError')).toBe('passed');
    expect(refusal({ service: 'not-a-service', action: 'X' }, 'NoSuch.Code')).toBe('passed');
  });

  it('errorFaultMessage: the fault message, else the catalog text in the locale, else none', async () => {
    const store = new SchemaStore();
    const fault = (code: string, message?: string) => ({
      kind: 'error' as const,
      code,
      ...(message ? { message } : {}),
    });
    expect(await errorFaultMessage(store, 'cvm', '2017-03-12', fault('X', 'mine'), 'en-US')).toBe('mine');
    const code = 'ResourceInsufficient.SpecifiedInstanceType';
    expect(await errorFaultMessage(store, 'cvm', '2017-03-12', fault(code), 'en-US')).toBe(
      'The specified instance type is insufficient.',
    );
    expect(await errorFaultMessage(store, 'cvm', '2017-03-12', fault(code), 'zh-CN')).toBe('指定的实例类型库存不足。');
    expect(await errorFaultMessage(store, 'demo', '2020-01-01', fault('Totally.Unknown'), 'en-US')).toBeUndefined();
  });

  it('createRouter: handlers first, synthesis only when on, and the same synthesized handler per action', async () => {
    const store = new SchemaStore();
    const mine = () => ({ Mine: true });
    const router = createRouter({ cvm: { '2017-03-12': { DescribeZones: mine } } }, store, {
      seed: 1,
      synthesize: true,
    });
    const a = await router.resolve('cvm', '2017-03-12', 'DescribeZones', 'en-US');
    expect('handler' in a && a.handler).toBe(mine);
    expect('handler' in a && a.action?.name).toBe('DescribeZones');
    const s1 = await router.resolve('cvm', '2017-03-12', 'DescribeRegions', 'en-US');
    const s2 = await router.resolve('cvm', '2017-03-12', 'DescribeRegions', 'en-US');
    expect('handler' in s1 && 'handler' in s2 && s1.handler === s2.handler).toBe(true);
    expect(await router.resolve(undefined, '2017-03-12', 'X', 'zh-CN')).toEqual({
      code: 'NoSuchProduct',
      message: '产品 (空) 不存在。',
    });
    expect(await router.resolve(undefined, '2017-03-12', 'X', 'en-US')).toEqual({
      code: 'NoSuchProduct',
      message: 'The product (none) does not exist.',
    });
    expect(await router.resolve('cvm', '2099-01-01', 'DescribeRegions', 'en-US')).toEqual({
      code: 'NoSuchVersion',
      message: 'The API version 2099-01-01 of cvm does not exist.',
    });
    const off = createRouter({ cvm: { '2017-03-12': { DescribeZones: mine } } }, store, { seed: 1, synthesize: false });
    expect(await off.resolve('cvm', '2017-03-12', 'DescribeRegions', 'en-US')).toMatchObject({ code: 'InvalidAction' });
    expect(await off.resolve('cbs', '2017-03-12', 'DescribeDisks', 'en-US')).toMatchObject({ code: 'NoSuchProduct' });
    expect(await off.resolve('cvm', '2099-01-01', 'DescribeZones', 'en-US')).toMatchObject({ code: 'NoSuchVersion' });
    expect(await router.resolve('cbs', '2017-03-12', 'DescribeDisks', 'en-US')).toMatchObject({
      action: { name: 'DescribeDisks' },
    });
    expect(await router.resolve('cbs', '2017-03-12', 'NoSuchAction', 'en-US')).toMatchObject({ code: 'InvalidAction' });
  });
});

describe('ApiFailure and failureOf', () => {
  it('carries a code and its message, or the catalog text of the code', () => {
    const own = new ApiFailure('InvalidParameterValue', 'Limit must be at most 100');
    expect([own.name, own.code, own.message]).toEqual([
      'ApiFailure',
      'InvalidParameterValue',
      'Limit must be at most 100',
    ]);
    expect(own).toBeInstanceOf(Error);
    expect(new ApiFailure('RequestLimitExceeded').message).toBe(defaultMessage('RequestLimitExceeded', 'en-US'));
    expect(defaultMessage('RequestLimitExceeded', 'zh-CN')).toBe('请求的次数超过了频率限制。');
    expect(defaultMessage('Not.A.Known.Code.At.All', 'en-US')).toBe('Not.A.Known.Code.At.All');
  });

  it('reads { code, message } from anything thrown, dropping empty or non-string parts', () => {
    expect(failureOf({ code: 'A', message: 'm' })).toEqual({ code: 'A', message: 'm' });
    expect(failureOf({ code: 'A', message: '' })).toEqual({ code: 'A', message: undefined });
    expect(failureOf({ code: 'A', message: 5 })).toEqual({ code: 'A', message: undefined });
    expect(failureOf({ code: 'A' })).toEqual({ code: 'A', message: undefined });
    expect(failureOf({ code: '' })).toBeUndefined();
    expect(failureOf({ code: 5 })).toBeUndefined();
    expect(failureOf('A')).toBeUndefined();
    expect(failureOf(null)).toBeUndefined();
    expect(failureOf(undefined)).toBeUndefined();
  });
});
