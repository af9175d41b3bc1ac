import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  CredentialsError,
  EnvelopeError,
  NetworkError,
  TimeoutError,
  UsageError,
  excerpt,
  isTencentCloudError,
  matchesErrorCode,
  describeError,
} from '../src/index';

// What a user reads (message, name), logs (toJSON) and sees in a console (util.inspect), per kind.
const call = { service: 'cvm', version: '2017-03-12', action: 'RunInstances', region: 'ap-guangzhou' };

describe('names and messages', () => {
  it('each kind names itself and writes its message from its fields', () => {
    const timeout = new TimeoutError({ scope: 'attempt', timeoutMs: 250, waitingFor: 'credentials', ...call });
    expect(timeout.name).toBe('TimeoutError');
    expect(timeout.message).toBe(
      'The attempt timed out after 250 ms waiting for credentials (cvm:RunInstances in ap-guangzhou)',
    );
    expect(new TimeoutError({ scope: 'total', timeoutMs: 9 }).message).toBe(
      'The call (all attempts) timed out after 9 ms',
    );

    const network = new NetworkError({
      detail: 'socket hang up',
      endpoint: 'https://cvm.tencentcloudapi.com',
      systemCode: 'ECONNRESET',
      mayHaveReachedServer: true,
      ...call,
    });
    expect(network.name).toBe('NetworkError');
    expect(network.message).toBe(
      'Network error: socket hang up [ECONNRESET] (https://cvm.tencentcloudapi.com, cvm:RunInstances in ap-guangzhou)',
    );
    expect(new NetworkError({ detail: 'refused', mayHaveReachedServer: false }).message).toBe('Network error: refused');

    const creds = new CredentialsError({
      detail: 'no credentials found',
      tried: [{ provider: 'env', reason: 'TENCENTCLOUD_SECRET_ID is not set' }],
    });
    expect(creds.name).toBe('CredentialsError');
    expect(creds.message).toBe('no credentials found\n  - env: TENCENTCLOUD_SECRET_ID is not set');
    expect(new CredentialsError({ detail: 'none' }).tried).toEqual([]);

    const api = new ApiError({ code: 'InvalidParameter', serverMessage: '', requestId: 'req-1', ...call });
    expect(api.message).toMatch(
      /^InvalidParameter: \(no message\) \(RequestId req-1, cvm:RunInstances in ap-guangzhou\)\. Hint: /,
    );
  });

  it('an ApiError shows no hint that repeats the server message, and a zh-CN hint on request', () => {
    const zh = new ApiError({ code: 'InternalError', serverMessage: 'x', requestId: 'r', locale: 'zh-CN' });
    expect(zh.hint).toBe(describeError('InternalError', { language: 'zh-CN' })?.hint);
    expect(zh.hint).not.toBe(describeError('InternalError')?.hint);
    const hint = describeError('InternalError')!.hint;
    expect(new ApiError({ code: 'InternalError', serverMessage: hint, requestId: 'r' }).message).not.toContain('Hint:');
  });

  it('describes the call from the parts it has', () => {
    expect(new NetworkError({ detail: 'd', mayHaveReachedServer: true, action: 'A' }).message).toBe(
      'Network error: d (A)',
    );
    expect(new NetworkError({ detail: 'd', mayHaveReachedServer: true, service: 'cvm' }).message).toBe(
      'Network error: d (cvm)',
    );
    expect(new NetworkError({ detail: 'd', mayHaveReachedServer: true, region: 'ap-guangzhou' }).message).toBe(
      'Network error: d (in ap-guangzhou)',
    );
    expect(new NetworkError({ detail: 'd', mayHaveReachedServer: true, action: 'A', region: 'r' }).message).toBe(
      'Network error: d (A in r)',
    );
  });

  it('an EnvelopeError message carries status, RequestId, detail and the redacted body start', () => {
    const err = new EnvelopeError({
      reason: 'invalid-json',
      detail: 'bad',
      httpStatus: 502,
      requestId: 'req-9',
      bodyExcerpt: '{"Token":"abcd1234"',
      ...call,
    });
    expect(err.message).toBe(
      'Response is not an API 3.0 envelope (invalid-json): bad (HTTP 502, RequestId req-9, cvm:RunInstances in ap-guangzhou). Body starts: "{\\"Token\\":\\"[REDACTED]\\""',
    );
    expect(new EnvelopeError({ reason: 'empty-body' }).message).toBe(
      'Response is not an API 3.0 envelope (empty-body).',
    );
  });
});

describe('toJSON', () => {
  it('adds the fields of each kind', () => {
    expect(
      new TimeoutError({
        scope: 'attempt',
        timeoutMs: 5,
        mayHaveReachedServer: false,
        waitingFor: 'credentials',
      }).toJSON(),
    ).toMatchObject({
      kind: 'timeout',
      scope: 'attempt',
      timeoutMs: 5,
      mayHaveReachedServer: false,
      waitingFor: 'credentials',
    });
    expect(
      new NetworkError({
        detail: 'd',
        endpoint: 'https://e',
        systemCode: 'EPIPE',
        mayHaveReachedServer: true,
      }).toJSON(),
    ).toMatchObject({ kind: 'network', endpoint: 'https://e', systemCode: 'EPIPE', mayHaveReachedServer: true });
    expect(
      new EnvelopeError({
        reason: 'http-status',
        httpStatus: 500,
        contentType: 'text/html',
        bodyExcerpt: 'oops',
      }).toJSON(),
    ).toMatchObject({
      kind: 'envelope',
      reason: 'http-status',
      httpStatus: 500,
      contentType: 'text/html',
      bodyExcerpt: 'oops',
    });
    expect(new UsageError('bad', { argument: 'region' }).toJSON()).toMatchObject({
      kind: 'usage',
      argument: 'region',
      message: 'region: bad',
    });
    expect(
      new CredentialsError({
        detail: 'd',
        tried: [
          { provider: 'env', reason: 'unset' },
          { provider: 'profile', reason: 'no file' },
        ],
      }).toJSON(),
    ).toMatchObject({ kind: 'credentials', tried: 'env: unset; profile: no file' });
    expect(
      new ApiError({ code: 'InvalidParameter.Foo', serverMessage: 'm', requestId: 'r', httpStatus: 200 }).toJSON(),
    ).toMatchObject({
      kind: 'api',
      code: 'InvalidParameter.Foo',
      serverMessage: 'm',
      httpStatus: 200,
      category: 'client-input',
      retryable: false,
      matchedCode: 'InvalidParameter',
    });
    expect(
      new ApiError({ code: 'Nobody.Knows', serverMessage: 'm', requestId: 'r' }).toJSON().matchedCode,
    ).toBeUndefined();
  });

  it('writes the cause as text: an Error, a string, or its type for anything else', () => {
    expect(new UsageError('x', { argument: 'a', cause: new RangeError('too far') }).toJSON().cause).toBe(
      'RangeError: too far',
    );
    expect(new UsageError('x', { argument: 'a', cause: 'plain words' }).toJSON().cause).toBe('plain words');
    expect(new UsageError('x', { argument: 'a', cause: { secretKey: 'never shown' } }).toJSON().cause).toBe(
      '[object Object]',
    );
    expect(new UsageError('x', { argument: 'a' }).toJSON().cause).toBeUndefined();
    expect(new UsageError('x', { argument: 'a' }).cause).toBeUndefined();
    expect('cause' in new UsageError('x', { argument: 'a' })).toBe(false);
  });
});

describe('util.inspect', () => {
  it('shows the stack, then each defined JSON field but message and name, and never walks the cause', () => {
    const err = new NetworkError({
      detail: 'd',
      mayHaveReachedServer: true,
      requestId: 'req-7',
      cause: { secretKey: 'sekrit-in-cause' },
    });
    const text = inspect(err);
    expect(text.startsWith(err.stack!)).toBe(true);
    expect(text).toContain('\n{\n  kind: "network",\n');
    expect(text).toContain('  requestId: "req-7",\n');
    expect(text).toContain('  cause: "[object Object]"\n}');
    expect(text).not.toContain('sekrit-in-cause');
    expect(text).not.toMatch(/^\s*message:/m);
    expect(text).not.toMatch(/^\s*name:/m);
    expect(text).not.toMatch(/^\s*endpoint:/m);
  });

  it('falls back to name and message without a stack', () => {
    const err = new UsageError('bad', { argument: 'region' });
    Object.defineProperty(err, 'stack', { value: undefined });
    expect(inspect(err).startsWith('UsageError: region: bad\n{\n')).toBe(true);
  });
});

describe('brands', () => {
  it('instanceof holds for the own kind and for the base class only', () => {
    const err = new TimeoutError({ scope: 'total', timeoutMs: 1 });
    expect(err instanceof TimeoutError).toBe(true);
    expect(err instanceof NetworkError).toBe(false);
    expect(isTencentCloudError(err)).toBe(true);
    expect({ [Symbol.for('@x/errors.TencentCloudError')]: 'timeout' } instanceof TimeoutError).toBe(true);
    expect({ [Symbol.for('@x/errors.TencentCloudError')]: 7 } instanceof TimeoutError).toBe(false);
    expect((null as unknown) instanceof TimeoutError).toBe(false);
    expect(new Error('x') instanceof TimeoutError).toBe(false);
  });
});

describe('excerpt', () => {
  it('folds whitespace and keeps short text whole', () => {
    expect(excerpt('  a \n\t b  ')).toBe('a b');
    expect(excerpt('x'.repeat(200))).toBe('x'.repeat(200));
  });
  it('cuts at max characters with an ellipsis, also when only the folded text fits', () => {
    expect(excerpt('x'.repeat(201))).toBe(`${'x'.repeat(200)}…`);
    expect(excerpt('abcdef', 3)).toBe('abc…');
    // 8 * max characters are read at most: the rest cannot change the excerpt but marks it cut.
    expect(excerpt(`${' '.repeat(24)}ab`, 3)).toBe('…');
    expect(excerpt(`${' '.repeat(23)}ab`, 3)).toBe('a…');
    expect(excerpt(`${' '.repeat(22)}ab`, 3)).toBe('ab');
  });
});

describe('matchesErrorCode', () => {
  it('matches the code itself and dotted descendants only', () => {
    expect(matchesErrorCode('InvalidParameter', 'InvalidParameter')).toBe(true);
    expect(matchesErrorCode('InvalidParameter.Foo', 'InvalidParameter')).toBe(true);
    expect(matchesErrorCode('InvalidParameterValue', 'InvalidParameter')).toBe(false);
    expect(matchesErrorCode('Invalid', 'InvalidParameter')).toBe(false);
    expect(matchesErrorCode('InvalidParameter', '')).toBe(false);
    expect(matchesErrorCode('', '')).toBe(false);
    expect(matchesErrorCode(7 as unknown as string, 'x')).toBe(false);
    expect(matchesErrorCode('x', 7 as unknown as string)).toBe(false);
  });
});

describe('describeError', () => {
  it('finds nothing for an empty or non-string code', () => {
    expect(describeError('')).toBeUndefined();
    expect(describeError(undefined as unknown as string)).toBeUndefined();
  });
  it('never treats a leading dot as a parent', () => {
    expect(describeError('.InternalError')).toBeUndefined();
  });
});
