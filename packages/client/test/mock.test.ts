import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  ApiError,
  NetworkError,
  defineErrorCatalog,
  isApiError,
  isUsageError,
  type Client,
  type ServiceDescriptor,
} from '../src/index';
import { mockClient } from '../src/mock';

interface Thing {
  readonly ThingId: string;
  readonly Size?: number;
  readonly Tags?: readonly { readonly Key: string; readonly Value: string }[];
}
interface ThingsApi {
  readonly DescribeThings: {
    readonly input: {
      readonly Limit?: number;
      readonly Offset?: number;
      readonly ThingIds?: readonly string[];
      readonly Filter?: { readonly Name?: string; readonly Values?: readonly string[] };
    };
    readonly output: { readonly TotalCount?: number; readonly ThingSet?: readonly Thing[] };
    readonly errors: 'ResourceNotFound.ThingNotFound';
  };
  readonly CreateThing: {
    readonly input: { readonly Name: string; readonly DryRun?: boolean };
    readonly output: { readonly ThingId?: string };
    readonly errors: never;
  };
  readonly Chat: {
    readonly input: { readonly Prompt: string; readonly Stream?: boolean };
    readonly output: { readonly Text?: string };
    readonly errors: never;
    readonly event: { readonly Delta?: string };
  };
}
const things: ServiceDescriptor<ThingsApi, 'things', '2024-01-01'> = {
  service: 'things',
  version: '2024-01-01',
  streaming: { Chat: 'Stream' },
};
const thingsErrors = defineErrorCatalog('things', {
  'ResourceNotFound.ThingNotFound': { description: { 'en-US': 'No such thing.', 'zh-CN': '没有这个东西。' } },
});

/** Code under test: takes any client of the things API. */
async function biggestThing(client: Client<ThingsApi>): Promise<string | undefined> {
  const { ThingSet } = await client.call('DescribeThings', { Limit: 100 });
  return [...(ThingSet ?? [])].sort((a, b) => (b.Size ?? 0) - (a.Size ?? 0))[0]?.ThingId;
}

describe('mockClient', () => {
  it('is a Client: code that takes a client runs against it, and the calls are recorded', async () => {
    const mock = mockClient(things);
    mock.on('DescribeThings').resolves({
      TotalCount: 2,
      ThingSet: [
        { ThingId: 't-1', Size: 1 },
        { ThingId: 't-2', Size: 5 },
      ],
    });
    expect(await biggestThing(mock)).toBe('t-2');
    expect(mock.calls()).toEqual([
      { action: 'DescribeThings', params: { Limit: 100 }, via: 'call', region: 'ap-guangzhou' },
    ]);
    expectTypeOf(mock).toMatchTypeOf<Client<ThingsApi>>();
  });

  it('gives every answer a RequestId, keeps a given one', async () => {
    const mock = mockClient(things);
    mock.on('CreateThing').resolvesOnce({ ThingId: 't-9', RequestId: 'fixed-id' }).resolves({ ThingId: 't-10' });
    expect(await mock.call('CreateThing', { Name: 'a' })).toEqual({ ThingId: 't-9', RequestId: 'fixed-id' });
    const second = await mock.call('CreateThing', { Name: 'b' });
    expect(second.ThingId).toBe('t-10');
    expect(second.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('matches params deeply; a specific rule beats a general one whatever the order', async () => {
    const mock = mockClient(things);
    mock.on('DescribeThings', { Filter: { Name: 'zone' } }).resolves({ TotalCount: 1 });
    mock.on('DescribeThings').resolves({ TotalCount: 0 });
    mock.on('DescribeThings', (p) => p.ThingIds?.includes('t-7') === true).resolves({ TotalCount: 7 });
    expect((await mock.call('DescribeThings', { Filter: { Name: 'zone', Values: ['x'] } })).TotalCount).toBe(1);
    expect((await mock.call('DescribeThings', { Filter: { Name: 'other' } })).TotalCount).toBe(0);
    expect((await mock.call('DescribeThings', { ThingIds: ['t-7'] })).TotalCount).toBe(7);
    expect(mock.calls('DescribeThings')).toHaveLength(3);
  });

  it('rejects with the ApiError the server would send: RequestId, the catalog category and hint, isError works', async () => {
    const mock = mockClient(things, { catalogs: [thingsErrors], language: 'zh-CN' });
    mock.on('DescribeThings').rejects('ResourceNotFound.ThingNotFound');
    mock.on('CreateThing').rejects('RequestLimitExceeded', 'slow down');
    const err = await mock.call('DescribeThings').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    if (!isApiError(err)) throw new Error('not an ApiError');
    expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(err.category).toBe('resource');
    expect(err.serverMessage).toBe('没有这个东西。');
    expect([err.service, err.action]).toEqual(['things', 'DescribeThings']);
    expect(mock.isError(err, 'DescribeThings', 'ResourceNotFound')).toBe(true);
    const throttled = await mock.call('CreateThing', { Name: 'x' }).catch((e: unknown) => e);
    expect(isApiError(throttled) && [throttled.code, throttled.serverMessage, throttled.retryable]).toEqual([
      'RequestLimitExceeded',
      'slow down',
      true,
    ]);
  });

  it('rejects with any error given, once or always', async () => {
    const mock = mockClient(things);
    const down = new NetworkError({ detail: 'connection refused (mocked)', mayHaveReachedServer: false });
    mock.on('CreateThing').rejectsOnce(down).resolves({ ThingId: 't-1' });
    await expect(mock.call('CreateThing', { Name: 'a' })).rejects.toBe(down);
    expect((await mock.call('CreateThing', { Name: 'a' })).ThingId).toBe('t-1');
  });

  it('fails a call no rule answers with a UsageError naming the action', async () => {
    const mock = mockClient(things);
    const err = await mock.call('CreateThing', { Name: 'a' }).catch((e: unknown) => e);
    expect(isUsageError(err) && err.message).toMatch(/no answer for CreateThing.*mock\.on\('CreateThing'\)/);
    mock.on('DescribeThings', { Limit: 1 }).resolves({});
    expect(String(await mock.call('DescribeThings', { Limit: 2 }).catch((e: unknown) => e))).toContain(
      'with these params',
    );
    expect(mock.calls()).toHaveLength(2);
  });

  it('computes answers with callsFake, and paginate reads pages from it', async () => {
    const mock = mockClient(things);
    const all = Array.from({ length: 45 }, (_, i) => ({ ThingId: `t-${i}` }));
    mock.on('DescribeThings').callsFake(({ Offset = 0, Limit = 20 }) => ({
      TotalCount: all.length,
      ThingSet: all.slice(Offset, Offset + Limit),
    }));
    const ids: string[] = [];
    for await (const thing of mock.paginate('DescribeThings', {}, { items: 'ThingSet', pageSize: 20 }))
      ids.push(thing.ThingId);
    expect(ids).toHaveLength(45);
    expect(mock.calls().map((c) => c.params)).toEqual([
      { Offset: 0, Limit: 20 },
      { Offset: 20, Limit: 20 },
      { Offset: 40, Limit: 20 },
    ]);
  });

  it('streams events for a streaming action, and mocked stream errors arrive as ApiErrors', async () => {
    const mock = mockClient(things);
    mock.on('Chat', { Prompt: 'hi' }).streams([{ Delta: 'Hel' }, { Delta: 'lo' }]);
    mock.on('Chat', { Prompt: 'fail' }).rejects('InternalError');
    let text = '';
    for await (const event of await mock.stream('Chat', { Prompt: 'hi' })) text += event.Delta ?? '';
    expect(text).toBe('Hello');
    expect(mock.calls('Chat')[0]).toMatchObject({ params: { Prompt: 'hi', Stream: true }, via: 'stream' });
    const err = await mock.stream('Chat', { Prompt: 'fail' }).catch((e: unknown) => e);
    expect(isApiError(err) && [err.code, err.requestId.length]).toEqual(['InternalError', 36]);
  });

  it('reset forgets rules and calls; resetCalls only the calls', async () => {
    const mock = mockClient(things);
    mock.on('CreateThing').resolves({ ThingId: 't-1' });
    await mock.call('CreateThing', { Name: 'a' });
    mock.resetCalls();
    expect(mock.calls()).toEqual([]);
    await mock.call('CreateThing', { Name: 'a' });
    mock.reset();
    expect(mock.calls()).toEqual([]);
    await expect(mock.call('CreateThing', { Name: 'a' })).rejects.toThrow(/no answer/);
  });

  it('types answers and codes by the map', () => {
    const mock = mockClient(things);
    // @ts-expect-error not an output field of DescribeThings
    void (() => mock.on('DescribeThings').resolves({ Nope: 1 }));
    // @ts-expect-error a misspelt action
    void (() => mock.on('DescribeThing'));
    // @ts-expect-error Limit is a number
    void (() => mock.on('DescribeThings', { Limit: '1' }));
    // @ts-expect-error Chat does not return this code
    void (() => mock.on('Chat').rejects('ResourceNotFound.ThingNotFound'));
    expect(() => mockClient(undefined as never)).toThrow(/service descriptor/);
  });
});
