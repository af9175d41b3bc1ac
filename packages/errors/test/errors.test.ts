import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  CredentialsError,
  EnvelopeError,
  NetworkError,
  TimeoutError,
  UsageError,
  defineErrorCatalog,
  excerpt,
  isApiError,
  isTencentCloudError,
  redactHeaders,
  redactText,
} from '../src/index';

const context = { service: 'cvm', action: 'DescribeInstances', region: 'ap-guangzhou', version: '2017-03-12' };

describe('ApiError', () => {
  const err = new ApiError({
    code: 'AuthFailure.SignatureExpire',
    serverMessage: 'Signature expired.',
    requestId: 'ed93f3cb-f35e-473f-b9f3-0d451b8b79c6',
    httpStatus: 200,
    ...context,
  });

  it('reads like a sentence a person can act on', () => {
    expect(err.message).toBe(
      "AuthFailure.SignatureExpire: Signature expired. (RequestId ed93f3cb-f35e-473f-b9f3-0d451b8b79c6, cvm:DescribeInstances in ap-guangzhou). Hint: This machine's clock is more than 5 minutes off: synchronize it (NTP). @x corrects its offset from the server's Date header and signs once more.",
    );
    expect(err.name).toBe('ApiError');
    expect(String(err)).toMatch(/^ApiError: AuthFailure.SignatureExpire/);
  });

  it('carries code, request id, context, category and retryability', () => {
    expect(err).toMatchObject({
      kind: 'api',
      code: 'AuthFailure.SignatureExpire',
      serverMessage: 'Signature expired.',
      requestId: 'ed93f3cb-f35e-473f-b9f3-0d451b8b79c6',
      httpStatus: 200,
      ...context,
      category: 'auth',
      retryable: false,
      attempts: 1,
      retryDelayMs: 0,
    });
  });

  it('takes category and retryability from the nearest ancestor, hints in the chosen locale', () => {
    const e = new ApiError({
      code: 'RequestLimitExceeded.Foo',
      serverMessage: '请求太频繁',
      requestId: 'r',
      locale: 'zh-CN',
    });
    expect(e.category).toBe('throttling');
    expect(e.retryable).toBe(true);
    expect(e.description?.matchedCode).toBe('RequestLimitExceeded');
    expect(e.message).toBe(
      'RequestLimitExceeded.Foo: 请求太频繁 (RequestId r). Hint: 调用该接口过于频繁：请降低频率或并发；@x 会退避重试，共享的 RetryBudget 可避免重试进一步加重负载。',
    );
  });

  it('is unknown and not retryable when no catalog knows the code; omits the hint', () => {
    const e = new ApiError({ code: 'Mystery.Code', serverMessage: 'huh', requestId: 'r' });
    expect(e.category).toBe('unknown');
    expect(e.retryable).toBe(false);
    expect(e.message).toBe('Mystery.Code: huh (RequestId r).');
  });

  it('consults service catalogs', () => {
    const cvm = defineErrorCatalog('cvm', {
      'InvalidInstanceId.NotFound': { description: 'The instance does not exist.', category: 'resource' },
    });
    const e = new ApiError({ code: 'InvalidInstanceId.NotFound', serverMessage: 'x', requestId: 'r', catalogs: [cvm] });
    expect(e.category).toBe('resource');
    expect(e.hint).toBe('The instance does not exist.');
  });

  it('says dry-run for DryRunOperation', () => {
    expect(new ApiError({ code: 'DryRunOperation', serverMessage: '', requestId: 'r' }).category).toBe('dry-run');
  });

  it('keeps the wrapped error as cause', () => {
    const cause = new Error('inner');
    expect(new ApiError({ code: 'InternalError', serverMessage: 'x', requestId: 'r', cause }).cause).toBe(cause);
  });
});

describe('the other error classes', () => {
  it('EnvelopeError names the reason, status, request id and an excerpt', () => {
    const e = new EnvelopeError({
      reason: 'http-status',
      httpStatus: 502,
      requestId: 'req-1',
      bodyExcerpt: excerpt('<html>\n  <body>502 Bad Gateway</body></html>'),
      ...context,
    });
    expect(e.message).toBe(
      'Response is not an API 3.0 envelope (http-status) (HTTP 502, RequestId req-1, cvm:DescribeInstances in ap-guangzhou). Body starts: "<html> <body>502 Bad Gateway</body></html>"',
    );
    expect(e.httpStatus).toBe(502);
  });

  it('excerpt cuts at 200 characters and marks the cut', () => {
    const out = excerpt('x'.repeat(500));
    expect(out).toHaveLength(201);
    expect(out.endsWith('…')).toBe(true);
  });

  it('NetworkError and TimeoutError say what happened and where', () => {
    const n = new NetworkError({
      detail: 'connection refused',
      systemCode: 'ECONNREFUSED',
      endpoint: 'https://cvm.tencentcloudapi.com',
      mayHaveReachedServer: false,
      ...context,
    });
    expect(n.message).toBe(
      'Network error: connection refused [ECONNREFUSED] (https://cvm.tencentcloudapi.com, cvm:DescribeInstances in ap-guangzhou)',
    );
    const t = new TimeoutError({ scope: 'total', timeoutMs: 90000, ...context });
    expect(t.message).toBe('The call (all attempts) timed out after 90000 ms (cvm:DescribeInstances in ap-guangzhou)');
    expect(t.mayHaveReachedServer).toBe(true);
  });

  it('CredentialsError lists every source tried and why', () => {
    const c = new CredentialsError({
      detail: 'No Tencent Cloud credentials found',
      tried: [
        { provider: 'env', reason: 'TENCENTCLOUD_SECRET_ID is not set' },
        { provider: 'profile(~/.tencentcloud/credentials)', reason: 'file not found' },
      ],
    });
    expect(c.message).toBe(
      'No Tencent Cloud credentials found\n  - env: TENCENTCLOUD_SECRET_ID is not set\n  - profile(~/.tencentcloud/credentials): file not found',
    );
    expect(c.toJSON()).toMatchObject({
      kind: 'credentials',
      tried: 'env: TENCENTCLOUD_SECRET_ID is not set; profile(~/.tencentcloud/credentials): file not found',
    });
  });

  it('UsageError names the argument', () => {
    const u = new UsageError('must be zh-CN or en-US, got "fr-FR"', { argument: 'options.language' });
    expect(u.message).toBe('options.language: must be zh-CN or en-US, got "fr-FR"');
    expect(u.argument).toBe('options.language');
  });
});

describe('serialisation and redaction', () => {
  const secretKey = 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE';
  const token = 'session-token-0123456789';
  const authorization = `TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=abcdef`;
  // A user's fetch may fail with an error that quotes the request it was given.
  const leakyCause = Object.assign(new Error('fetch failed'), {
    request: { headers: { Authorization: authorization, 'X-TC-Token': token }, secretKey },
  });
  const errors = [
    new ApiError({ code: 'InternalError', serverMessage: 'boom', requestId: 'r', cause: leakyCause, ...context }),
    new NetworkError({ detail: 'reset', mayHaveReachedServer: true, cause: leakyCause }),
    new TimeoutError({ scope: 'attempt', timeoutMs: 1, cause: leakyCause }),
    new EnvelopeError({ reason: 'empty-body', cause: leakyCause }),
  ];

  it.each(errors)('$name: toJSON keeps code, message, request id and context', (err) => {
    const json = JSON.parse(JSON.stringify(err)) as Record<string, unknown>;
    expect(json).toMatchObject({ name: err.name, kind: err.kind, message: err.message, cause: 'Error: fetch failed' });
    if (isApiError(err))
      expect(json).toMatchObject({
        code: 'InternalError',
        requestId: 'r',
        service: 'cvm',
        action: 'DescribeInstances',
      });
  });

  it.each(errors)('$name: neither JSON nor util.inspect shows a secret from the cause', (err) => {
    for (const text of [
      JSON.stringify(err),
      inspect(err),
      inspect(err, { depth: 10, showHidden: true }),
      String(err),
    ]) {
      expect(text).not.toContain(secretKey);
      expect(text).not.toContain(token);
      expect(text).not.toContain('Signature=abcdef');
    }
    expect(inspect(err)).toContain(err.message);
  });

  it('redactHeaders hides Authorization and X-TC-Token in any case and keeps the rest', () => {
    expect(
      redactHeaders({
        Authorization: authorization,
        'x-tc-token': token,
        'X-TC-Action': 'DescribeInstances',
        Host: 'h',
      }),
    ).toEqual({
      Authorization: '[REDACTED]',
      'x-tc-token': '[REDACTED]',
      'X-TC-Action': 'DescribeInstances',
      Host: 'h',
    });
  });

  it('redactText removes each secret occurrence and ignores tiny ones', () => {
    expect(redactText(`key=${secretKey}; again ${secretKey}`, [secretKey, undefined, 'a'])).toBe(
      'key=[REDACTED]; again [REDACTED]',
    );
  });
});

describe('the brand survives two copies of the package', () => {
  it('a second module instance recognises errors of the first (guards and instanceof)', async () => {
    const first = await import('../src/index');
    vi.resetModules();
    const second = await import('../src/index');
    expect(second.ApiError).not.toBe(first.ApiError);
    const err = new first.ApiError({ code: 'AuthFailure.SignatureFailure', serverMessage: 'x', requestId: 'r' });
    expect(second.isApiError(err, 'AuthFailure')).toBe(true);
    expect(err instanceof second.ApiError).toBe(true);
    expect(err instanceof second.TencentCloudError).toBe(true);
    expect(err instanceof second.NetworkError).toBe(false);
    expect(second.isTencentCloudError(new first.UsageError('x', { argument: 'a' }))).toBe(true);
    expect(isTencentCloudError(new second.TimeoutError({ scope: 'total', timeoutMs: 1 }))).toBe(true);
  });
});
