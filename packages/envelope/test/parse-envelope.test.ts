import { describe, expect, it } from 'vitest';
import type { EnvelopeError } from '@x/errors';
import { ApiError, isApiError, isEnvelopeError } from '@x/errors';
import { parseEnvelope, unwrap } from '../src/index';
import { caught, fixture, fixtureText } from './helpers';

const context = { service: 'cvm', action: 'DescribeInstances', region: 'ap-guangzhou', version: '2017-03-12' };

describe('parseEnvelope: successes and API errors', () => {
  it('returns the whole Response object of a success, RequestId included', () => {
    const result = parseEnvelope<{ TotalCount: number; InstanceStatusSet: unknown[] }>(fixture('success.json'));
    expect(result).toEqual({
      ok: true,
      requestId: 'b5b41468-520d-4192-b42f-595cc34b6c1c',
      data: { TotalCount: 0, InstanceStatusSet: [], RequestId: 'b5b41468-520d-4192-b42f-595cc34b6c1c' },
    });
    expect(unwrap(result).TotalCount).toBe(0);
  });

  it('accepts text as well as bytes', () => {
    expect(parseEnvelope(fixtureText('success.json')).requestId).toBe('b5b41468-520d-4192-b42f-595cc34b6c1c');
  });

  it('turns Response.Error into an ApiError with code, message, RequestId, status and context', () => {
    const result = parseEnvelope(fixture('error.json'), { httpStatus: 200, context });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(ApiError);
    expect(result.error).toMatchObject({
      code: 'AuthFailure.SignatureFailure',
      serverMessage: 'The provided credentials could not be validated. Please check your signature is correct.',
      requestId: 'ed93f3cb-f35e-473f-b9f3-0d451b8b79c6',
      httpStatus: 200,
      category: 'auth',
      ...context,
    });
    expect(() => unwrap(result)).toThrow(result.error);
  });

  it('keeps an ApiError for an error envelope sent with a non-200 status', () => {
    const result = parseEnvelope(fixture('error.json'), { httpStatus: 503 });
    expect(!result.ok && result.error.httpStatus).toBe(503);
  });

  it('makes DryRunOperation an ApiError of the dry-run category', () => {
    const result = parseEnvelope(fixture('dry-run.json'));
    expect(!result.ok && result.error.category).toBe('dry-run');
  });

  it('strips a UTF-8 BOM', () => {
    expect(parseEnvelope(fixture('bom.json'))).toMatchObject({ ok: true, requestId: 'bom-1' });
    expect(parseEnvelope(fixtureText('bom.json'))).toMatchObject({ ok: true, requestId: 'bom-1' });
  });

  it('gives an error envelope without RequestId the header RequestId', () => {
    const result = parseEnvelope('{"Response":{"Error":{"Code":"InternalError","Message":"x"}}}', {
      headers: { 'X-TC-RequestId': 'hdr-1' },
    });
    expect(!result.ok && result.error.requestId).toBe('hdr-1');
  });

  it('uses an empty message when Message is not a string', () => {
    const result = parseEnvelope('{"Response":{"Error":{"Code":"InternalError","Message":42},"RequestId":"r"}}');
    expect(!result.ok && result.error.serverMessage).toBe('');
  });
});

describe('parseEnvelope: everything that is not an envelope throws EnvelopeError', () => {
  const cases: [string, string | Uint8Array, object, string, string | undefined][] = [
    [
      'HTML 502 from a gateway',
      fixture('gateway-502.html'),
      { httpStatus: 502, headers: { 'x-tc-traceid': 'trace-9' } },
      'http-status',
      'trace-9',
    ],
    ['empty body with 200', '', { httpStatus: 200 }, 'empty-body', undefined],
    ['white space only', ' \n ', {}, 'empty-body', undefined],
    ['empty body with 504', '', { httpStatus: 504, headers: { 'X-TC-RequestId': 'gw-1' } }, 'http-status', 'gw-1'],
    ['plain text with 500', 'upstream connect error', { httpStatus: 500 }, 'http-status', undefined],
    ['truncated JSON', fixture('truncated.json'), {}, 'truncated', undefined],
    ['not JSON at all', 'Hello', {}, 'invalid-json', undefined],
    ['a JSON array', fixture('array.json'), {}, 'not-an-object', undefined],
    ['a JSON primitive', fixture('primitive.json'), {}, 'not-an-object', undefined],
    ['null', 'null', {}, 'not-an-object', undefined],
    ['Response missing', fixture('missing-response.json'), {}, 'missing-response', undefined],
    ['Response not an object', fixture('response-not-object.json'), {}, 'missing-response', undefined],
    [
      'RequestId missing',
      fixture('missing-request-id.json'),
      { headers: new Headers({ 'X-TC-RequestId': 'hdr-2' }) },
      'missing-request-id',
      'hdr-2',
    ],
    ['RequestId not a string', fixture('numeric-request-id.json'), {}, 'missing-request-id', undefined],
    ['Error without Code', fixture('error-without-code.json'), {}, 'invalid-error', 'e-1'],
    ['Error not an object', fixture('error-not-object.json'), {}, 'invalid-error', 'e-2'],
  ];

  it.each(cases)('%s', async (_name, body, meta, reason, requestId) => {
    const err = await caught(() => parseEnvelope(body, { ...meta, context }));
    expect(isEnvelopeError(err)).toBe(true);
    const e = err as EnvelopeError;
    expect(e.reason).toBe(reason);
    expect(e.requestId).toBe(requestId);
    expect(e.action).toBe('DescribeInstances');
    expect(e.bodyExcerpt.length).toBeLessThanOrEqual(201);
    expect(e).not.toBeInstanceOf(TypeError);
    expect(e).not.toBeInstanceOf(SyntaxError);
  });

  it('HTML from a gateway: status, excerpt and a readable message', async () => {
    const e = (await caught(() =>
      parseEnvelope(fixture('gateway-502.html'), { httpStatus: 502, context }),
    )) as EnvelopeError;
    expect(e.httpStatus).toBe(502);
    expect(e.bodyExcerpt).toMatch(/^<html> <head><title>502 Bad Gateway<\/title>/);
    expect(e.message).toMatch(
      /^Response is not an API 3.0 envelope \(http-status\): HTTP 502 and the body is not JSON \(HTTP 502, cvm:DescribeInstances in ap-guangzhou\)/,
    );
    expect(e.cause).toBeDefined();
  });

  it('cuts a long body to a short excerpt', async () => {
    const e = (await caught(() =>
      parseEnvelope(`<html>${'x'.repeat(10_000)}</html>`, { httpStatus: 502 }),
    )) as EnvelopeError;
    expect(e.bodyExcerpt.length).toBe(201);
  });

  it('refuses a body that is neither text nor bytes with a typed error', async () => {
    const e = await caught(() => parseEnvelope(42 as unknown as string));
    expect(isEnvelopeError(e)).toBe(true);
  });

  it('never throws the ApiError for a success', () => {
    expect(isApiError(parseEnvelope(fixture('success.json')))).toBe(false);
  });
});
