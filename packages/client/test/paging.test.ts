import { describe, expect, expectTypeOf, it } from 'vitest';
import { createClient, isUsageError, toArray, type Page, type ServiceDescriptor } from '../src/index';
import { mockClient } from '../src/mock';

interface Item {
  readonly Id: string;
}
interface ListingsApi {
  /** Offset/Limit/TotalCount and an array: pages by offset. */
  readonly DescribeItems: {
    readonly input: { readonly Offset?: number; readonly Limit?: number };
    readonly output: { readonly TotalCount?: number; readonly ItemSet?: readonly Item[] };
  };
  /** vpc style: Offset and Limit typed as strings. */
  readonly DescribeTextItems: {
    readonly input: { readonly Offset?: string; readonly Limit?: string };
    readonly output: { readonly TotalCount?: number; readonly ItemSet?: readonly Item[] };
  };
  /** No Offset/Limit (DescribeRegions): not a listing paginate can page. */
  readonly DescribeZones: {
    readonly input: { readonly [param: string]: never };
    readonly output: { readonly TotalCount?: number; readonly ZoneSet?: readonly Item[] };
  };
  /** Paged by NextToken, answered in the same field. */
  readonly ListThings: {
    readonly input: { readonly NextToken?: string; readonly Limit?: number };
    readonly output: { readonly NextToken?: string; readonly Things?: readonly Item[] };
  };
  /** Paged by Cursor, answered as NextCursor. */
  readonly ListEvents: {
    readonly input: { readonly Cursor?: string };
    readonly output: { readonly NextCursor?: string; readonly Events?: readonly Item[] };
  };
  readonly RunThing: {
    readonly input: { readonly Name: string; readonly DryRun?: boolean };
    readonly output: { readonly ThingId?: string };
  };
  readonly StopThing: {
    readonly input: { readonly Name: string };
    readonly output: object;
  };
}
const listings: ServiceDescriptor<ListingsApi, 'things', '2024-01-01'> = {
  service: 'things',
  version: '2024-01-01',
  streaming: {},
  dryRun: { RunThing: 'boolean' },
  textPaging: { DescribeTextItems: ['Offset', 'Limit'] },
};
const all = Array.from({ length: 45 }, (_, i) => ({ Id: `i-${i}` }));

describe('paginate by offset', () => {
  it('gives each page with its RequestId, and toArray every item', async () => {
    const mock = mockClient(listings);
    mock.on('DescribeItems').callsFake(({ Offset = 0, Limit = 100 }) => ({
      TotalCount: all.length,
      ItemSet: all.slice(Offset, Offset + Limit),
      RequestId: `req-${Offset}`,
    }));
    const pages: Page<Item, unknown>[] = [];
    for await (const page of mock.paginate('DescribeItems', {}, { items: 'ItemSet', pageSize: 20 }).pages())
      pages.push(page);
    expect(pages.map((p) => [p.index, p.requestId, p.items.length])).toEqual([
      [0, 'req-0', 20],
      [1, 'req-20', 20],
      [2, 'req-40', 5],
    ]);
    expect(pages[2]?.output).toMatchObject({ TotalCount: 45 });
    const items = await mock.paginate('DescribeItems', {}, { items: 'ItemSet', pageSize: 20 }).toArray();
    expect(items.map((i) => i.Id)).toEqual(all.map((i) => i.Id));
    expect(await toArray(mock.paginate('DescribeItems', { Offset: 40 }, { items: 'ItemSet' }))).toHaveLength(5);
  });

  it('sends Offset and Limit as text where the descriptor says the definitions type them so', async () => {
    const mock = mockClient(listings);
    mock.on('DescribeTextItems').callsFake(({ Offset = '0', Limit = '100' }) => ({
      TotalCount: all.length,
      ItemSet: all.slice(Number(Offset), Number(Offset) + Number(Limit)),
    }));
    expect(await mock.paginate('DescribeTextItems', {}, { items: 'ItemSet', pageSize: 30 }).toArray()).toHaveLength(45);
    expect(mock.calls().map((c) => c.params)).toEqual([
      { Offset: '0', Limit: '30' },
      { Offset: '30', Limit: '30' },
    ]);
    mock.resetCalls();
    // A Limit given as text is the page size.
    await mock.paginate('DescribeTextItems', { Limit: '40' }, { items: 'ItemSet' }).toArray();
    expect(mock.calls().map((c) => c.params)).toEqual([
      { Offset: '0', Limit: '40' },
      { Offset: '40', Limit: '40' },
    ]);
  });

  it('compiles only for Offset/Limit/TotalCount listings, and only with an array field', () => {
    const client = createClient(listings, { credentials: { secretId: 'AKIDEXAMPLE', secretKey: 'example-key' } });
    expectTypeOf(client.paginate('DescribeItems', {}, { items: 'ItemSet' })).toMatchTypeOf<AsyncIterable<Item>>();
    // @ts-expect-error DescribeZones takes no Offset/Limit: paging it would send params it does not know
    void (() => client.paginate('DescribeZones', {}, { items: 'ZoneSet' }));
    // @ts-expect-error RunThing is not a listing
    void (() => client.paginate('RunThing', { Name: 'x' }, { items: 'ThingId' }));
    // @ts-expect-error ListThings pages by cursor: name it
    void (() => client.paginate('ListThings', {}, { items: 'Things' }));
    // @ts-expect-error DescribeItems has no cursor param
    void (() => client.paginate('DescribeItems', {}, { items: 'ItemSet', cursor: 'NextToken' }));
    // @ts-expect-error ListThings has no Cursor
    void (() => client.paginate('ListThings', {}, { items: 'Things', cursor: 'Cursor' }));
    expectTypeOf(client.paginate('ListEvents', {}, { items: 'Events', cursor: 'Cursor' })).toMatchTypeOf<
      AsyncIterable<Item>
    >();
  });
});

describe('paginate by cursor', () => {
  /** A server paging `all` 20 at a time by NextToken (`Cursor` → `NextCursor` for ListEvents). */
  function server() {
    const mock = mockClient(listings);
    const page = (token: string | undefined) => {
      const start = token === undefined ? 0 : Number(token.slice(1));
      const next = start + 20 < all.length ? `t${start + 20}` : undefined;
      return { start, next, items: all.slice(start, start + 20) };
    };
    mock.on('ListThings').callsFake(({ NextToken }) => {
      const p = page(NextToken);
      return { Things: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    });
    mock.on('ListEvents').callsFake(({ Cursor }) => {
      const p = page(Cursor);
      return { Events: p.items, NextCursor: p.next ?? '' };
    });
    return mock;
  }

  it("sends each answer's token back until there is none", async () => {
    const mock = server();
    const ids = (
      await mock.paginate('ListThings', {}, { items: 'Things', cursor: 'NextToken', pageSize: 20 }).toArray()
    ).map((i) => i.Id);
    expect(ids).toEqual(all.map((i) => i.Id));
    expect(mock.calls().map((c) => c.params)).toEqual([
      { Limit: 20 },
      { NextToken: 't20', Limit: 20 },
      { NextToken: 't40', Limit: 20 },
    ]);
  });

  it('reads Next<cursor> when the response names it so (Cursor → NextCursor), and stops at an empty one', async () => {
    const mock = server();
    const pages = [];
    for await (const page of mock.paginate('ListEvents', {}, { items: 'Events', cursor: 'Cursor' }).pages())
      pages.push(page.items.length);
    expect(pages).toEqual([20, 20, 5]);
    expect(mock.calls().map((c) => c.params)).toEqual([{}, { Cursor: 't20' }, { Cursor: 't40' }]);
  });

  it('cannot loop: a server that hands back the token it was sent, or empty pages, ends the listing', async () => {
    const mock = mockClient(listings);
    mock.on('ListThings').callsFake(({ NextToken }) => ({ Things: [{ Id: 'x' }], NextToken: NextToken ?? 'same' }));
    expect(await mock.paginate('ListThings', {}, { items: 'Things', cursor: 'NextToken' }).toArray()).toHaveLength(2);
    mock.reset();
    mock.on('ListThings').callsFake(({ NextToken }) => ({ Things: [], NextToken: `${NextToken ?? ''}x` }));
    expect(await mock.paginate('ListThings', {}, { items: 'Things', cursor: 'NextToken' }).toArray()).toEqual([]);
    expect(mock.calls()).toHaveLength(1);
  });

  it('refuses a bad cursor option with a UsageError', async () => {
    const mock = server();
    expect(() => mock.untyped.paginate('ListThings', {}, { items: 'Things', cursor: '' })).toThrow(/cursor param/);
    const err = await mock
      .paginate('ListThings', {}, { items: 'Nope' as 'Things', cursor: 'NextToken' })
      .toArray()
      .catch((e: unknown) => e);
    expect(isUsageError(err) && err.message).toMatch(/no array field "Nope" \(array fields: Things\)/);
  });
});

describe('dryRun', () => {
  it('refuses an action without a DryRun param when the descriptor lists those that have one', async () => {
    const mock = mockClient(listings);
    mock.on('StopThing').resolves({});
    const err = await mock.untyped.dryRun('StopThing', { Name: 'x' }).catch((e: unknown) => e);
    expect(isUsageError(err) && err.message).toMatch(
      /things StopThing has no DryRun param, so the server would run it for real: use call\(\)/,
    );
    expect(err).toMatchObject({ argument: 'action', service: 'things', action: 'StopThing' });
    expect(mock.calls()).toEqual([]); // nothing was sent
    // @ts-expect-error StopThing has no DryRun param
    void (() => mock.dryRun('StopThing', { Name: 'x' }));
  });

  it('sends DryRun: true where the action has it', async () => {
    const mock = mockClient(listings);
    mock.on('RunThing', { DryRun: true }).rejects('DryRunOperation');
    expect(await mock.dryRun('RunThing', { Name: 'x' })).toMatchObject({ dryRun: 'would-succeed' });
  });

  it('sends DryRun: "true" where the definitions type it as a string', async () => {
    const mock = mockClient({ service: 'things', version: '2024-01-01', dryRun: { RunText: 'string' } });
    mock.on('RunText').rejects('DryRunOperation');
    expect(await mock.untyped.dryRun('RunText', {})).toMatchObject({ dryRun: 'would-succeed' });
    expect(mock.calls()[0]?.params).toEqual({ DryRun: 'true' });
  });

  it('without the list (a hand-written descriptor, an untyped client) sends it and reports an action that ran', async () => {
    const mock = mockClient({ service: 'things', version: '2024-01-01' });
    mock.on('StopThing').resolves({ Stopped: true });
    expect(await mock.dryRun('StopThing', {})).toMatchObject({ dryRun: 'not-supported', data: { Stopped: true } });
    expect(mock.calls()[0]?.params).toEqual({ DryRun: true });
  });
});
