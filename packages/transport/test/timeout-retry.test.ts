import { describe, expect, it } from 'vitest';
import { TimeoutError, isTimeoutError } from '@x/errors';
import { retryDecision } from '../src/index.node';
import { caught } from './server';
import { useServer } from './harness';

// A server that never answers: every attempt ends in its own attempt timeout, after the request
// was sent. Repeating such a call may do its work twice, so only idempotent calls may be repeated.
const harness = useServer({
  // Long enough for the request to reach the server first on a loaded machine (and under Stryker).
  timeoutMs: 300,
});
const { transport } = harness;

describe('after an attempt timeout (the request was sent)', () => {
  it('a non-idempotent call is not retried: one request reaches the server, one attempt is reported', async () => {
    harness.server.behave(() => new Promise(() => undefined));
    const err = await caught(transport().call('RunInstances', { InstanceCount: 1 }));
    expect(isTimeoutError(err) && err.scope).toBe('attempt');
    expect(err).toMatchObject({ attempts: 1, mayHaveReachedServer: true, action: 'RunInstances' });
    expect(harness.server.received.map((r) => r.headers['x-tc-action'])).toEqual(['RunInstances']);
  });

  it('nor when the transport says no call is idempotent, even a read', async () => {
    harness.server.behave(() => new Promise(() => undefined));
    expect((await caught(transport({ idempotent: () => false }).call('DescribeInstances'))).attempts).toBe(1);
    expect(harness.server.received).toHaveLength(1);
  });

  it('the same call is retried when marked idempotent per call, or given a ClientToken', async () => {
    harness.server.behave(() => new Promise(() => undefined));
    expect((await caught(transport().call('RunInstances', {}, { idempotent: true }))).attempts).toBe(3);
    expect((await caught(transport().call('RunInstances', { ClientToken: 'ct-1' }))).attempts).toBe(3);
    expect(harness.server.received).toHaveLength(6);
  });
});

describe('retryDecision on a TimeoutError', () => {
  const attempt = (mayHaveReachedServer: boolean) =>
    new TimeoutError({ scope: 'attempt', timeoutMs: 60, mayHaveReachedServer });
  it('refuses a non-idempotent call whose request may have reached the server, saying why', () => {
    const decision = retryDecision(attempt(true), false);
    expect(decision.retry).toBe(false);
    expect(decision.reason).toMatch(/not idempotent/);
  });
  it('retries an idempotent one, and any call whose request was never sent', () => {
    expect(retryDecision(attempt(true), true)).toMatchObject({ retry: true, cost: 'timeout', throttled: false });
    expect(retryDecision(attempt(false), false)).toMatchObject({ retry: true, cost: 'timeout', throttled: false });
  });
  it('never retries once the total deadline has passed', () => {
    expect(retryDecision(new TimeoutError({ scope: 'total', timeoutMs: 60 }), true).retry).toBe(false);
  });
});
