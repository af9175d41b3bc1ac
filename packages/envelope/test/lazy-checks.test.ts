import { afterEach, describe, expect, it, vi } from 'vitest';
import { isApiError, isNetworkError } from '@x/errors';
import type * as Checks from '../src/envelope-checks';

// readEnvelope answers a plain successful envelope itself (envelope-shape.ts) and loads the checks
// that explain any other answer (envelope-checks.ts, with ApiError) by import() at first need. The
// module is replaced here to see when it loads and to make its load fail.
afterEach(() => {
  vi.doUnmock('../src/envelope-checks');
  vi.resetModules();
});

async function readEnvelopeWith(failures: number) {
  vi.resetModules();
  const loads = { attempts: 0 };
  vi.doMock('../src/envelope-checks', async (importOriginal) => {
    loads.attempts++;
    if (loads.attempts <= failures) throw new TypeError('Failed to fetch dynamically imported module');
    return importOriginal<typeof Checks>();
  });
  // read-envelope.ts, not the index: parseEnvelope imports the checks statically.
  const { readEnvelope } = await import('../src/read-envelope');
  return { readEnvelope, loads };
}

const response = (body: string, status = 200) =>
  new Response(body, { status, headers: { 'content-type': 'application/json', 'X-TC-RequestId': 'hdr-1' } });
const failed = '{"Response":{"Error":{"Code":"InvalidParameter","Message":"m"},"RequestId":"r-err"}}';

describe('readEnvelope loads the checks of a failed answer on first need', () => {
  it('not for a successful envelope; for an error envelope, once', async () => {
    const { readEnvelope, loads } = await readEnvelopeWith(0);
    await expect(readEnvelope(response('{"Response":{"RequestId":"r-1"}}'))).resolves.toMatchObject({ ok: true });
    expect(loads.attempts).toBe(0);
    const answer = await readEnvelope(response(failed, 400));
    expect(answer.ok === false && isApiError(answer.error, 'InvalidParameter')).toBe(true);
    await readEnvelope(response('{"Response":{}}')).catch(() => undefined);
    expect(loads.attempts).toBe(1);
  });

  it('a load that fails is a NetworkError with the RequestId, not the loader TypeError; the next read loads again', async () => {
    const { readEnvelope, loads } = await readEnvelopeWith(1);
    const err = await readEnvelope(response(failed, 400), {
      context: { service: 'cvm', action: 'RunInstances' },
    }).catch((e: unknown) => e);
    expect(isNetworkError(err)).toBe(true);
    expect(err).toMatchObject({ requestId: 'hdr-1', mayHaveReachedServer: true, action: 'RunInstances' });
    expect((err as Error).message).toContain('the answer came but the code that reads it could not be loaded');
    // vitest wraps the factory's error; in a browser the cause is the loader's own TypeError.
    expect((err as Error).cause).toBeInstanceOf(Error);
    const answer = await readEnvelope(response(failed, 400));
    expect(answer.ok === false && answer.error.requestId).toBe('r-err');
    expect(loads.attempts).toBe(2);
  });
});
