import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TimeoutError, isTimeoutError } from '@x/errors';
import { createTransport, nodeSender, retryDecision, type TransportOptions } from '../src/index.node';
import { SECRET_ID, SECRET_KEY, caught, startServer, success, type TestServer } from './server';

// A server that never answers: every attempt ends in its own attempt timeout, after the request
// was sent. Repeating such a call may do its work twice, so only idempotent calls may be repeated.
let server: TestServer;
const sender = nodeSender();
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  sender.close();
  await server.close();
});
afterEach(() => {
  server.behave(success);
  server.received.length = 0;
});

const transport = (extra: Partial<TransportOptions> = {}) =>
  createTransport({
    service: 'cvm',
    version: '2017-03-12',
    region: 'ap-guangzhou',
    endpoint: server.url,
    credentials: { secretId: SECRET_ID, secretKey: SECRET_KEY },
    sender,
    sleep: () => Promise.resolve(),
    // Long enough for the request to reach the server first on a loaded machine (and under Stryker).
    timeoutMs: 300,
    ...extra,
  });

describe('after an attempt timeout (the request was sent)', () => {
  it('a non-idempotent call is not retried: one request reaches the server, one attempt is reported', async () => {
    server.behave(() => new Promise(() => undefined));
    const err = await caught(transport().call('RunInstances', { InstanceCount: 1 }));
    expect(isTimeoutError(err) && err.scope).toBe('attempt');
    expect(err).toMatchObject({ attempts: 1, mayHaveReachedServer: true, action: 'RunInstances' });
    expect(server.received.map((r) => r.headers['x-tc-action'])).toEqual(['RunInstances']);
  });

  it('nor when the transport says no call is idempotent, even a read', async () => {
    server.behave(() => new Promise(() => undefined));
    expect((await caught(transport({ idempotent: () => false }).call('DescribeInstances'))).attempts).toBe(1);
    expect(server.received).toHaveLength(1);
  });

  it('the same call is retried when marked idempotent per call, or given a ClientToken', async () => {
    server.behave(() => new Promise(() => undefined));
    expect((await caught(transport().call('RunInstances', {}, { idempotent: true }))).attempts).toBe(3);
    expect((await caught(transport().call('RunInstances', { ClientToken: 'ct-1' }))).attempts).toBe(3);
    expect(server.received).toHaveLength(6);
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
