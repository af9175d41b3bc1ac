import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parseEnvelope, parseEventStream, readEnvelope } from '../src/index';
import { caught, fixture, fixtureText, streamOf } from './helpers';

// Request and response headers may carry credentials (a proxy echoing Authorization, a session
// token): errors built from a body must never copy them into what users log.
const secret = 'TC3-HMAC-SHA256 Credential=AKIDsecretid/2026-11-28/cvm/tc3_request, Signature=deadbeefsecret';
const token = 'session-token-secret-value';
const headers = {
  authorization: secret,
  'x-tc-token': token,
  'x-tc-requestid': 'header-request-id',
  'content-type': 'application/json',
};

function expectNoSecret(err: unknown): void {
  for (const text of [
    String(err),
    (err as Error).message,
    (err as Error).stack ?? '',
    JSON.stringify(err),
    inspect(err, { depth: 10 }),
  ]) {
    expect(text).not.toContain('AKIDsecretid');
    expect(text).not.toContain('deadbeefsecret');
    expect(text).not.toContain(token);
  }
}

describe('errors built from a body never include the headers', () => {
  it('an ApiError from an error envelope', () => {
    const result = parseEnvelope(fixture('error.json'), { httpStatus: 401, headers });
    expect(result.ok).toBe(false);
    if (!result.ok) expectNoSecret(result.error);
  });

  it('an EnvelopeError from a gateway page, even with the RequestId taken from the headers', async () => {
    const err = await caught(() => parseEnvelope(fixtureText('gateway-502.html'), { httpStatus: 502, headers }));
    expect(err).toMatchObject({ name: 'EnvelopeError', reason: 'http-status', requestId: 'header-request-id' });
    expectNoSecret(err);
  });

  it('an EnvelopeError from readEnvelope over a fetch Response', async () => {
    const response = new Response('', { status: 503, headers: new Headers(headers) });
    const err = await caught(() => readEnvelope(response));
    expect(err).toMatchObject({ name: 'EnvelopeError', reason: 'http-status', httpStatus: 503 });
    expectNoSecret(err);
  });

  it('an ApiError ending an event stream', async () => {
    const err = await caught(async () => {
      for await (const event of parseEventStream(streamOf([fixture('hunyuan-error.sse')]), { headers })) void event;
    });
    expect(err).toMatchObject({ name: 'ApiError', requestId: 'header-request-id' });
    expectNoSecret(err);
  });
});
