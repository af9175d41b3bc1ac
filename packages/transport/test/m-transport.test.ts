// createTransport's own rules, with a scripted sender: options refused up front, the defaults it
// settles (budget, idempotent rule, clock, random), middleware order and the context each layer
// sees, failures that reject instead of throwing, and close().
import { UsageError, type CallContext } from '@x/errors';
import type { ResponseLike } from '@x/envelope';
import { describe, expect, it, vi } from 'vitest';
import { composeMiddleware, contextFor, type CallHandler, type CallRequest } from '../src/call';
import {
  RetryBudget,
  createTransport,
  type Middleware,
  type Sender,
  type SendRequest,
  type TransportOptions,
} from '../src/index.node';
import { caught } from './server';
import { usage } from './usage';

const credentials = { secretId: 'AKIDexample', secretKey: 'secret-key-m-transport' };
const utf8 = new TextEncoder();
const ok = (id: string): ResponseLike => ({
  status: 200,
  headers: { get: (n) => (n.toLowerCase() === 'content-type' ? 'application/json' : null) },
  body: [utf8.encode(JSON.stringify({ Response: { RequestId: id } }))],
});
const reset = (): ResponseLike => ({
  status: 502,
  headers: { get: (n) => (n.toLowerCase() === 'content-type' ? 'text/html' : null) },
  body: [utf8.encode('<html>bad gateway</html>')],
});

function recording(answer: (request: SendRequest, n: number) => ResponseLike = (_r, n) => ok(`r-${n}`)) {
  const sent: SendRequest[] = [];
  const sender: Sender & { closed: number; close(): void } = Object.assign(
    async (request: SendRequest) => {
      sent.push(request);
      return answer(request, sent.length);
    },
    {
      closed: 0,
      close() {
        sender.closed++;
      },
    },
  );
  return { sender, sent };
}

const options = (extra: Partial<TransportOptions> = {}): TransportOptions => ({
  service: 'cvm',
  version: '2017-03-12',
  region: 'ap-guangzhou',
  endpoint: 'http://127.0.0.1:9',
  credentials,
  sleep: () => Promise.resolve(),
  ...extra,
});

describe('createTransport refuses bad options at once', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['an array', []],
    ['a string', 'cvm'],
  ])('options: %s', (_name, value) => {
    const err = usage(() => createTransport(value as unknown as TransportOptions));
    expect(err.argument).toBe('options');
    expect(err.message).toBe('options: must be an options object');
  });

  it('a missing version', () => {
    const err = usage(() => createTransport({ service: 'cvm', region: 'ap-guangzhou' } as TransportOptions));
    expect(err.argument).toBe('version');
    expect(err.message).toBe('version: is required, e.g. "2017-03-12"');
  });

  it('a bad service is refused before the version is looked at', () => {
    expect(usage(() => createTransport({ service: 'Not A Service' } as TransportOptions)).argument).toBe('service');
  });
});

describe('what the transport settles', () => {
  it('a budget: 500 tokens by default, shared, own options, or none', async () => {
    expect(createTransport(options()).budget?.capacity).toBe(500);
    expect(createTransport(options({ budget: { capacity: 7 } })).budget?.available).toBe(7);
    const shared = new RetryBudget({ capacity: 9 });
    expect(createTransport(options({ budget: shared })).budget).toBe(shared);
    expect(createTransport(options({ budget: false })).budget).toBeUndefined();
  });

  it('a budget made by another copy of @x/transport is shared, not read as options (the brand)', async () => {
    // A second evaluation of retry.ts is what a second copy is: @x/client's Node entry inlines its
    // own, an application imports RetryBudget from @x/transport beside it.
    vi.resetModules();
    const other = await import('../src/retry');
    expect(other.RetryBudget).not.toBe(RetryBudget);
    const foreign = new other.RetryBudget({ capacity: 9 });
    expect(foreign instanceof RetryBudget).toBe(true);
    expect(new RetryBudget() instanceof other.RetryBudget).toBe(true);
    expect(createTransport(options({ budget: foreign })).budget).toBe(foreign);
    // Look-alikes and subclasses: options stay options, a subclass is not every budget.
    expect({ capacity: 9 } instanceof RetryBudget).toBe(false);
    expect(Object.create(RetryBudget.prototype) instanceof RetryBudget).toBe(true);
    class Counted extends RetryBudget {}
    expect(new Counted() instanceof RetryBudget).toBe(true);
    expect(foreign instanceof Counted).toBe(false);
    expect((null as unknown) instanceof RetryBudget).toBe(false);
    // The brand is the registered symbol by its published name, which every copy, of every
    // version, shares (a second evaluation of the same source would agree on any name).
    expect({ [Symbol.for('@x/transport.RetryBudget')]: true } instanceof RetryBudget).toBe(true);
  });

  it('retries a 502 of a read action by default, not of a write; the idempotent option replaces the rule', async () => {
    const read = recording((_r, n) => (n === 1 ? reset() : ok('r-2')));
    await expect(createTransport(options({ sender: read.sender })).call('DescribeZones')).resolves.toMatchObject({
      attempts: 2,
    });
    const write = recording(reset);
    await caught(createTransport(options({ sender: write.sender })).call('RunInstances'));
    expect(write.sent).toHaveLength(1);
    const asked: string[] = [];
    const custom = recording((_r, n) => (n === 1 ? reset() : ok('r-2')));
    const t = createTransport(
      options({ sender: custom.sender, idempotent: (action) => (asked.push(action), action === 'RunInstances') }),
    );
    await expect(t.call('RunInstances')).resolves.toMatchObject({ attempts: 2 });
    expect(asked).toEqual(['RunInstances']);
  });

  it('signs with the injected clock and draws waits from the injected random', async () => {
    const { sender, sent } = recording((_r, n) => (n === 1 ? reset() : ok('r-2')));
    const waits: number[] = [];
    const t = createTransport(
      options({
        sender,
        now: () => Date.parse('2031-02-03T04:05:06Z'),
        random: () => 0.25,
        sleep: (ms) => (waits.push(ms), Promise.resolve()),
      }),
    );
    const result = await t.call('DescribeZones');
    expect(sent[0]!.headers['X-TC-Timestamp']).toBe(String(Date.parse('2031-02-03T04:05:06Z') / 1000));
    expect(waits).toEqual([25]);
    expect(result.retryDelayMs).toBe(25);
    expect(t.clockOffsetMs).toBe(0);
  });

  it('unsignedPayload signs without hashing the body', async () => {
    const { sender, sent } = recording();
    await createTransport(options({ sender, unsignedPayload: true })).call('RunInstances', { A: 1 });
    expect(sent[0]!.headers['X-TC-Content-SHA256']).toBe('UNSIGNED-PAYLOAD');
    const plain = recording();
    await createTransport(options({ sender: plain.sender })).call('RunInstances', { A: 1 });
    expect(plain.sent[0]!.headers['X-TC-Content-SHA256']).toBeUndefined();
  });

  it('close() closes a sender that can be closed, and is harmless otherwise', () => {
    const { sender } = recording();
    createTransport(options({ sender })).close();
    expect(sender.closed).toBe(1);
    const bare: Sender = async () => ok('x');
    expect(() => createTransport(options({ sender: bare })).close()).not.toThrow();
  });

  it('without a sender or fetch the Node entry makes its own keep-alive sender', () => {
    const t = createTransport(options({ sender: undefined }));
    expect(() => t.close()).not.toThrow();
  });

  it('a user fetch is used when there is no sender', async () => {
    const urls: string[] = [];
    const fetch = (async (url: string) => {
      urls.push(url);
      return new Response(JSON.stringify({ Response: { RequestId: 'f-1' } }), {
        headers: { 'content-type': 'application/json' },
      });
    }) as unknown as typeof globalThis.fetch;
    const result = await createTransport(options({ fetch })).call('DescribeZones');
    expect(result.requestId).toBe('f-1');
    expect(urls).toEqual(['http://127.0.0.1:9/']);
  });
});

describe('calls fail by rejecting', () => {
  it('bad params reject (no throw) and send nothing', async () => {
    const { sender, sent } = recording();
    const t = createTransport(options({ sender }));
    let pending: Promise<unknown> | undefined;
    expect(() => {
      pending = t.call('RunInstances', [] as unknown as Record<string, unknown>);
    }).not.toThrow();
    const err = await caught(pending!);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).argument).toBe('params');
    expect(sent).toHaveLength(0);
  });

  it('a middleware that throws synchronously rejects the call', async () => {
    const boom = new Error('middleware broke');
    const t = createTransport(
      options({
        sender: recording().sender,
        middleware: [
          () => () => {
            throw boom;
          },
        ],
      }),
    );
    let pending: Promise<unknown> | undefined;
    expect(() => {
      pending = t.stream('ChatCompletions');
    }).not.toThrow();
    expect(await caught(pending!)).toBe(boom);
  });

  it('no params are sent as an empty object', async () => {
    const { sender, sent } = recording();
    await createTransport(options({ sender })).call('DescribeZones');
    expect(sent[0]!.body).toBe('{}');
  });
});

describe('middleware and the call context', () => {
  it('each layer sees the context of the request it is handed; the call’s region wins over the transport’s', async () => {
    const seen: CallContext[] = [];
    const spy: Middleware = (next) => (request, context) => (seen.push(context), next(request, context));
    const rename: Middleware = (next) => (request, context) =>
      next({ ...request, action: 'DescribeRegions', options: { ...request.options, region: 'ap-beijing' } }, context);
    const { sender, sent } = recording();
    const t = createTransport(options({ sender, middleware: [spy, rename, spy] }));
    await t.call('DescribeZones', {}, { region: 'ap-shanghai' });
    expect(seen).toEqual([
      { service: 'cvm', version: '2017-03-12', action: 'DescribeZones', region: 'ap-shanghai' },
      { service: 'cvm', version: '2017-03-12', action: 'DescribeRegions', region: 'ap-beijing' },
    ]);
    expect(sent[0]!.headers['X-TC-Action']).toBe('DescribeRegions');
    expect(sent[0]!.headers['X-TC-Region']).toBe('ap-beijing');
  });

  it('a call without a region uses the transport’s', async () => {
    const seen: CallContext[] = [];
    const { sender, sent } = recording();
    const t = createTransport(
      options({ sender, middleware: [(next) => (request, context) => (seen.push(context), next(request, context))] }),
    );
    await t.call('DescribeZones');
    expect(seen[0]!.region).toBe('ap-guangzhou');
    expect(sent[0]!.headers['X-TC-Region']).toBe('ap-guangzhou');
  });

  it('contextFor keeps the context object while it still describes the request', () => {
    const context: CallContext = { service: 'cvm', version: 'v', action: 'A', region: 'r1' };
    const request = (action: string, region?: string): CallRequest => ({
      kind: 'call',
      action,
      params: {},
      options: region === undefined ? {} : { region },
    });
    expect(contextFor(request('A', 'r1'), context, undefined)).toBe(context);
    expect(contextFor(request('A'), context, 'r1')).toBe(context);
    expect(contextFor(request('B'), context, 'r1')).toEqual({ ...context, action: 'B' });
    expect(contextFor(request('A', 'r2'), context, 'r1')).toEqual({ ...context, region: 'r2' });
    expect(contextFor(request('A'), context, undefined)).toEqual({ ...context, region: undefined });
  });

  it('composeMiddleware: outermost first, and no middleware is the core itself', async () => {
    const core: CallHandler = (async (request: CallRequest) => ({
      requestId: request.action,
    })) as unknown as CallHandler;
    expect(composeMiddleware(core, [], undefined)).toBe(core);
    const order: string[] = [];
    const layer =
      (name: string): Middleware =>
      (next) =>
      (request, context) => {
        order.push(name);
        return next(request, context);
      };
    const handler = composeMiddleware(core, [layer('a'), layer('b'), layer('c')], 'r');
    const context: CallContext = { service: 's', version: 'v', action: 'X', region: 'r' };
    await handler({ kind: 'call', action: 'X', params: {}, options: {} }, context);
    expect(order).toEqual(['a', 'b', 'c']);
  });
});

describe('stream() of a plain envelope', () => {
  it('yields the envelope as its one event and says it was not an event stream', async () => {
    const { sender } = recording();
    const result = await createTransport(options({ sender })).stream('ChatCompletions');
    expect(result).toMatchObject({
      requestId: 'r-1',
      httpStatus: 200,
      attempts: 1,
      retryDelayMs: 0,
      isEventStream: false,
    });
    const events: unknown[] = [];
    for await (const event of result.events) events.push(event);
    expect(events).toEqual([{ data: { RequestId: 'r-1' } }]);
  });
});
