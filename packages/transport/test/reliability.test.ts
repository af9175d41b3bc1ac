import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isCredentialsError, isNetworkError, isTimeoutError } from '@x/errors';
import { isReadAction, type CredentialsLike, type CredentialsRequest } from '../src/index.node';
import { caught } from './server';
import { useServer } from './harness';

const noWait = () => Promise.resolve();
const harness = useServer({ sleep: noWait });
const { transport } = harness;

const never = () => new Promise<CredentialsLike>(() => undefined);

describe('credential lookups run inside the call deadline and hear its signal', () => {
  it('a provider that never answers ends in a TimeoutError at the attempt deadline, waiting for credentials', async () => {
    const err = await caught(
      transport({ credentials: never, timeoutMs: 300, totalTimeoutMs: 500 }).call('RunInstances'),
    );
    expect(isTimeoutError(err)).toBe(true);
    expect(err).toMatchObject({ waitingFor: 'credentials', mayHaveReachedServer: false, action: 'RunInstances' });
    expect(harness.server.received).toHaveLength(0);
  });

  it('a lookup that times out is retried (nothing was sent) until the total deadline', async () => {
    const err = await caught(
      transport({
        credentials: never,
        timeoutMs: 100,
        totalTimeoutMs: 350,
        sleep: undefined,
        retry: { maxAttempts: 10, baseDelayMs: 1 },
      }).call('RunInstances'),
    );
    expect(isTimeoutError(err) && err.scope).toBe('total');
    expect(err.attempts).toBeGreaterThanOrEqual(2);
  });

  it("the caller's abort is honoured while the provider still works, with the caller's reason", async () => {
    const controller = new AbortController();
    const reason = new Error('user gave up');
    setTimeout(() => controller.abort(reason), 50);
    expect(
      await caught(transport({ credentials: never }).call('DescribeInstances', {}, { signal: controller.signal })),
    ).toBe(reason);
  });

  it('hands the provider a signal that aborts when the attempt ends', async () => {
    let seen: AbortSignal | undefined;
    const provider = (request?: CredentialsRequest) => {
      seen = request?.signal;
      return never();
    };
    await caught(transport({ credentials: provider, timeoutMs: 100, retry: false }).call('RunInstances'));
    expect(seen?.aborted).toBe(true);
    expect(isTimeoutError(seen?.reason)).toBe(true);
  });
});

describe("a user's provider that fails", () => {
  it('rejecting with a plain Error gives a CredentialsError with the cause and the provider named', async () => {
    const cause = new Error('vault is sealed');
    const err = await caught(
      transport({
        credentials: async function fromVault() {
          throw cause;
        },
      }).call('DescribeInstances'),
    );
    expect(isCredentialsError(err)).toBe(true);
    expect(err.cause).toBe(cause);
    expect(err.message).toMatch(/fromVault.*vault is sealed/);
    expect(err).toMatchObject({
      tried: [{ provider: 'fromVault', reason: 'vault is sealed' }],
      action: 'DescribeInstances',
      attempts: 1,
    });
  });
});

describe('errors of call() carry the call context and the attempts made', () => {
  it('a NetworkError from the sender', async () => {
    harness.server.behave((_req, res) => void res.socket?.destroy());
    const err = await caught(transport().call('RunInstances'));
    expect(isNetworkError(err)).toBe(true);
    expect(err).toMatchObject({
      service: 'cvm',
      version: '2017-03-12',
      action: 'RunInstances',
      region: 'ap-guangzhou',
      attempts: 1,
    });
    expect(err.message).toMatch(/cvm:RunInstances in ap-guangzhou; 1 attempt\)$/);
    expect(err.toJSON()).toMatchObject({ service: 'cvm', action: 'RunInstances' });
  });

  it('a TimeoutError after retries counts them', async () => {
    harness.server.behave(() => new Promise(() => undefined));
    const err = await caught(transport({ timeoutMs: 80 }).call('DescribeInstances'));
    expect(isTimeoutError(err)).toBe(true);
    expect(err.message).toMatch(/; 3 attempts\)$/);
  });
});

describe('read actions are idempotent by default', () => {
  it.each([
    [
      'a 502 page',
      (_req: unknown, res: ServerResponse) =>
        void res.writeHead(502, { 'content-type': 'text/html' }).end('<html>502</html>'),
    ],
    ['a reset', (_req: unknown, res: ServerResponse) => void res.socket?.destroy()],
  ])('DescribeInstances is retried after %s; RunInstances is not', async (_name, behaviour) => {
    harness.server.behave(behaviour);
    expect((await caught(transport().call('DescribeInstances'))).attempts).toBe(3);
    expect((await caught(transport().call('RunInstances'))).attempts).toBe(1);
  });

  it('after an attempt timeout too', async () => {
    harness.server.behave(() => new Promise(() => undefined));
    expect((await caught(transport({ timeoutMs: 60 }).call('ListUsers'))).attempts).toBe(3);
  });

  it('opt out per call, or for the transport', async () => {
    harness.server.behave((_req, res) => void res.socket?.destroy());
    expect((await caught(transport().call('DescribeInstances', {}, { idempotent: false }))).attempts).toBe(1);
    expect((await caught(transport({ idempotent: () => false }).call('DescribeInstances'))).attempts).toBe(1);
  });

  it('knows which names are reads', () => {
    for (const name of [
      'DescribeInstances',
      'GetMonitorData',
      'ListUsers',
      'InquiryPriceRunInstances',
      'InquirePriceCreateDisks',
      'QueryTask',
      'SearchLog',
      'Describe',
    ]) {
      expect(isReadAction(name), name).toBe(true);
    }
    for (const name of [
      'RunInstances',
      'Listen',
      'Getaway',
      'DescribeX'.toLowerCase(),
      'CheckDomain',
      'ExportImages',
      'CreateDescribeTask',
      'VerifyCode',
    ]) {
      expect(isReadAction(name), name).toBe(false);
    }
  });
});

describe('streams', () => {
  it('an `event: error` holding an integer above 2^53 ends the loop with an ApiError, not a TypeError', async () => {
    harness.server.behave((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'x-tc-requestid': 'stream-big' });
      res.end('data: {"Choices":[]}\n\nevent: error\ndata: {"Quota":9007199254740993}\n\n');
    });
    const stream = await transport({ service: 'hunyuan', version: '2023-09-01' }).stream('ChatCompletions', {
      Stream: true,
    });
    const err = await caught(
      (async () => {
        for await (const _event of stream.events) void _event;
      })(),
    );
    expect(err).toMatchObject({
      name: 'ApiError',
      code: 'InternalError',
      requestId: 'stream-big',
      action: 'ChatCompletions',
    });
  });

  it('refuses an event over maxEventBytes', async () => {
    harness.server.behave((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`data: ${'x'.repeat(5000)}\n\n`);
    });
    const stream = await transport({ service: 'hunyuan', version: '2023-09-01', maxEventBytes: 1000 }).stream(
      'ChatCompletions',
      { Stream: true },
    );
    const err = await caught(
      (async () => {
        for await (const _event of stream.events) void _event;
      })(),
    );
    expect(err).toMatchObject({ name: 'EnvelopeError', reason: 'body-too-large' });
  });
});
