import fc from 'fast-check';
import { fuzzRuns } from '@x/test-support';
import { describe, expect, it } from 'vitest';
import { isApiError, isEnvelopeError } from '@x/errors';
import { parseEnvelope } from '../src/index';

// Whatever comes back, parseEnvelope either returns a result or throws an EnvelopeError: never a
// bare TypeError/SyntaxError, never anything else.
function outcome(body: string | Uint8Array, httpStatus?: number): 'ok' | 'api' | 'envelope' {
  try {
    const result = parseEnvelope(body, httpStatus === undefined ? {} : { httpStatus });
    if (result.ok) {
      expect(typeof result.requestId).toBe('string');
      expect(result.data.RequestId).toBe(result.requestId);
      return 'ok';
    }
    expect(isApiError(result.error)).toBe(true);
    return 'api';
  } catch (err) {
    if (isEnvelopeError(err)) return 'envelope';
    throw err;
  }
}

const envelope = fc.oneof(
  fc.record({
    Response: fc.record({
      RequestId: fc.uuid(),
      TotalCount: fc.nat(),
      Items: fc.array(fc.jsonValue(), { maxLength: 3 }),
    }),
  }),
  fc.record({
    Response: fc.record({
      RequestId: fc.oneof(fc.uuid(), fc.constant(undefined), fc.integer()),
      Error: fc.oneof(fc.record({ Code: fc.string(), Message: fc.oneof(fc.string(), fc.integer()) }), fc.jsonValue()),
    }),
  }),
  fc.jsonValue(),
);

describe('property: no input escapes the error types', () => {
  it('random JSON values and envelope shapes', () => {
    fc.assert(
      fc.property(envelope, fc.option(fc.integer({ min: 100, max: 599 }), { nil: undefined }), (value, status) => {
        outcome(JSON.stringify(value) ?? '', status);
      }),
      { numRuns: fuzzRuns(4000) },
    );
  });

  it('mutated envelopes: truncated, spliced, with big integers', () => {
    fc.assert(
      fc.property(
        envelope,
        fc.nat(),
        fc.string(),
        fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
        (value, cut, noise, big) => {
          const text = (JSON.stringify(value) ?? '').replace(/\d+/, big.toString());
          const at = text.length === 0 ? 0 : cut % text.length;
          outcome(text.slice(0, at));
          outcome(text.slice(0, at) + noise + text.slice(at));
          outcome(text);
        },
      ),
      { numRuns: fuzzRuns(3000) },
    );
  });

  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => void outcome(bytes)),
      { numRuns: fuzzRuns(3000) },
    );
  });
});
