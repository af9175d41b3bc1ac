import { describe, expect, it } from 'vitest';
import {
  ApiError,
  EnvelopeError,
  NetworkError,
  TimeoutError,
  UsageError,
  CredentialsError,
  isApiError,
  isCredentialsError,
  isEnvelopeError,
  isNetworkError,
  isTencentCloudError,
  isTimeoutError,
  isUsageError,
  matchesErrorCode,
} from '../src/index';

const api = (code: string) => new ApiError({ code, serverMessage: 'm', requestId: 'r' });

describe('isApiError', () => {
  it('matches the code itself and any dotted descendant', () => {
    expect(isApiError(api('AuthFailure.SignatureFailure'), 'AuthFailure')).toBe(true);
    expect(isApiError(api('AuthFailure.SignatureFailure'), 'AuthFailure.SignatureFailure')).toBe(true);
    expect(isApiError(api('RequestLimitExceeded.UinLimitExceeded'), 'RequestLimitExceeded')).toBe(true);
  });

  it('does not match on a shared prefix without a dot, a child pattern, or a different code', () => {
    expect(isApiError(api('AuthFailureX'), 'AuthFailure')).toBe(false);
    expect(isApiError(api('AuthFailure'), 'AuthFailure.SignatureFailure')).toBe(false);
    expect(isApiError(api('InvalidParameter'), 'InvalidParameterValue')).toBe(false);
    expect(isApiError(api('InvalidParameterValue'), 'InvalidParameter')).toBe(false);
    expect(isApiError(api('AuthFailure.SignatureFailure'), '')).toBe(false);
    expect(isApiError(api('AuthFailure.'), 'AuthFailure')).toBe(true);
  });

  it('accepts a list of patterns', () => {
    expect(isApiError(api('InternalError'), ['RequestLimitExceeded', 'InternalError'])).toBe(true);
    expect(isApiError(api('ResourceNotFound'), ['RequestLimitExceeded', 'InternalError'])).toBe(false);
    expect(isApiError(api('ResourceNotFound'), [])).toBe(false);
  });

  it('is false for other errors and non-errors', () => {
    expect(isApiError(new Error('AuthFailure'))).toBe(false);
    expect(isApiError({ code: 'AuthFailure.SignatureFailure' }, 'AuthFailure')).toBe(false);
    expect(isApiError(null)).toBe(false);
    expect(isApiError('AuthFailure')).toBe(false);
    expect(isApiError(new EnvelopeError({ reason: 'empty-body' }))).toBe(false);
  });
});

describe('matchesErrorCode', () => {
  it('handles non-string input without throwing', () => {
    expect(matchesErrorCode(undefined as unknown as string, 'A')).toBe(false);
    expect(matchesErrorCode('A', 42 as unknown as string)).toBe(false);
  });
});

describe('kind guards and instanceof', () => {
  const all = [
    api('InternalError'),
    new EnvelopeError({ reason: 'empty-body' }),
    new NetworkError({ detail: 'refused', mayHaveReachedServer: false }),
    new TimeoutError({ scope: 'attempt', timeoutMs: 5 }),
    new UsageError('bad', { argument: 'x' }),
    new CredentialsError({ detail: 'none', tried: [] }),
  ] as const;

  it('each guard accepts exactly its own kind', () => {
    const guards = [isApiError, isEnvelopeError, isNetworkError, isTimeoutError, isUsageError, isCredentialsError];
    all.forEach((err, i) => {
      guards.forEach((guard, j) => expect(guard(err)).toBe(i === j));
      expect(isTencentCloudError(err)).toBe(true);
      expect(err).toBeInstanceOf(Error);
    });
    expect(isTencentCloudError(new Error('x'))).toBe(false);
  });

  it('instanceof follows the kind', () => {
    expect(all[0] instanceof ApiError).toBe(true);
    expect(all[0] instanceof EnvelopeError).toBe(false);
    expect(all[1] instanceof EnvelopeError).toBe(true);
    expect(all[2] instanceof NetworkError).toBe(true);
    expect(all[3] instanceof TimeoutError).toBe(true);
    expect(all[4] instanceof UsageError).toBe(true);
    expect(all[5] instanceof CredentialsError).toBe(true);
    expect(all[5] instanceof UsageError).toBe(false);
    expect({} instanceof ApiError).toBe(false);
  });
});
