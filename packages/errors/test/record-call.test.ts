import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError, TimeoutError } from '../src/index';

const context = { service: 'cvm', version: '2017-03-12', action: 'DescribeInstances', region: 'ap-guangzhou' };

describe('recordCall: what the transport adds once a call has failed', () => {
  it('fills the call context a sender could not know and says how many attempts were made', () => {
    const err = new NetworkError({
      detail: 'connection reset',
      systemCode: 'ECONNRESET',
      endpoint: 'http://127.0.0.1:1',
      mayHaveReachedServer: true,
    });
    err.recordCall(context, 3, 250);
    expect(err).toMatchObject({ ...context, attempts: 3, retryDelayMs: 250 });
    expect(err.message).toBe(
      'Network error: connection reset [ECONNRESET] (http://127.0.0.1:1, cvm:DescribeInstances in ap-guangzhou; 3 attempts)',
    );
    expect(err.toJSON()).toMatchObject({ ...context, attempts: 3 });
  });

  it('keeps context the error already had, and counts one attempt in the singular', () => {
    const err = new TimeoutError({ scope: 'attempt', timeoutMs: 300, service: 'sts', action: 'AssumeRole' });
    err.recordCall(context, 1, 0);
    expect(err).toMatchObject({ service: 'sts', action: 'AssumeRole', version: '2017-03-12', region: 'ap-guangzhou' });
    expect(err.message).toBe('The attempt timed out after 300 ms (sts:AssumeRole in ap-guangzhou; 1 attempt)');
  });

  it('leaves the message of an ApiError alone apart from the context', () => {
    const err = new ApiError({ code: 'InternalError', serverMessage: 'boom', requestId: 'r' });
    err.recordCall(context, 2, 10);
    expect(err.attempts).toBe(2);
    expect(err.message).toMatch(/^InternalError: boom \(RequestId r, cvm:DescribeInstances in ap-guangzhou\)\./);
  });
});
