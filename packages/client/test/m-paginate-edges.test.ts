import { describe, expect, it } from 'vitest';
import { UsageError } from '@x/errors';
import { cursorPages, offsetPages, type PageFetcher } from '../src/paginate';
import { makePaginator, type CallFn } from '../src/paging';

// The paging loops' edges, from the client's mutation report: counts given as text, cursor
// stops (ListOver, HasMore, empty and repeated cursors), page sizes, the RequestId and index of
// each page. The fetcher is a list of canned pages; what it was asked is recorded.

function pages(answers: Record<string, unknown>[]) {
  const asked: Record<string, unknown>[] = [];
  const fetchPage: PageFetcher = (params) => {
    asked.push(params);
    const next = answers.shift();
    if (next === undefined) throw new Error(`asked for a page past the end: ${JSON.stringify(params)}`);
    return Promise.resolve(next);
  };
  return { asked, fetchPage };
}
async function all<T>(generator: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of generator) out.push(page);
  return out;
}
async function usage(promise: Promise<unknown>): Promise<UsageError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  return err as UsageError;
}

describe('offsetPages', () => {
  it('a Limit and Offset given as digits (vpc) are read as counts and sent back as text', async () => {
    const { asked, fetchPage } = pages([
      { Set: [1, 2], TotalCount: '4', RequestId: 'r1' },
      { Set: [3, 4], TotalCount: '4', RequestId: 'r2' },
    ]);
    const got = await all(offsetPages(fetchPage, { Limit: '2', Offset: '0' }, { items: 'Set' }));
    expect(asked).toEqual([
      { Limit: '2', Offset: '0' },
      { Limit: '2', Offset: '2' },
    ]);
    expect(got.map((p) => [p.items, p.requestId, p.index])).toEqual([
      [[1, 2], 'r1', 0],
      [[3, 4], 'r2', 1],
    ]);
  });

  it('digits with anything around them are no count: a bad Offset is refused, a bad Limit falls back to 100', async () => {
    for (const bad of ['1x', 'x1', '-1', '1.5', '']) {
      const err = await usage(all(offsetPages(pages([]).fetchPage, { Offset: bad }, { items: 'Set' })));
      expect(err.message).toBe(`params.Offset: must be a non-negative integer, got ${bad}`);
    }
    for (const bad of ['12x', 'x12']) {
      const { asked, fetchPage } = pages([{ Set: [], TotalCount: 0 }]);
      await all(offsetPages(fetchPage, { Limit: bad }, { items: 'Set' }));
      expect(asked[0]).toEqual({ Offset: 0, Limit: '100' }); // given as text, sent as text
    }
  });

  it('a page without a RequestId string reports an empty one', async () => {
    const { fetchPage } = pages([{ Set: [1], TotalCount: 1, RequestId: 7 }]);
    expect((await all(offsetPages(fetchPage, {}, { items: 'Set' })))[0]?.requestId).toBe('');
  });

  it('textParams sends the counts as text even when the caller gave numbers', async () => {
    const { asked, fetchPage } = pages([{ Set: [1], TotalCount: 1 }]);
    await all(offsetPages(fetchPage, { Limit: 5 }, { items: 'Set', textParams: ['Offset'] }));
    expect(asked[0]).toEqual({ Limit: 5, Offset: '0' });
  });
});

describe('cursorPages', () => {
  it('sends each answer’s cursor back, with Limit when a page size is given, and stops at an empty cursor', async () => {
    const { asked, fetchPage } = pages([
      { Set: [1], NextToken: 'b', RequestId: 'r1' },
      { Set: [2], NextToken: 'c', RequestId: 'r2' },
      { Set: [3], NextToken: '' },
    ]);
    const got = await all(cursorPages(fetchPage, { Filter: 'x' }, { items: 'Set', cursor: 'NextToken', pageSize: 1 }));
    expect(asked).toEqual([
      { Filter: 'x', Limit: 1 },
      { Filter: 'x', NextToken: 'b', Limit: 1 },
      { Filter: 'x', NextToken: 'c', Limit: 1 },
    ]);
    expect(got.map((p) => [p.items, p.requestId, p.index])).toEqual([
      [[1], 'r1', 0],
      [[2], 'r2', 1],
      [[3], '', 2],
    ]);
  });

  it('without a page size no Limit is sent; the field Next<cursor> wins over <cursor>', async () => {
    const { asked, fetchPage } = pages([
      { Set: [1], Context: 'stale', NextContext: 'c2' },
      { Set: [2], NextContext: null },
    ]);
    await all(cursorPages(fetchPage, { Context: 'c1' }, { items: 'Set', cursor: 'Context' }));
    expect(asked).toEqual([{ Context: 'c1' }, { Context: 'c2' }]);
  });

  it('stops at ListOver: true, at HasMore: false, at an empty list cursor, and at a repeated cursor', async () => {
    const stopsAfterOne: [Record<string, unknown>, Record<string, unknown>][] = [
      [{}, { Set: [1], Context: 'next', ListOver: true }],
      [{}, { Set: [1], Context: 'next', HasMore: false }],
      [{}, { Set: [1], Context: [] }],
      [{ Context: { At: 1 } }, { Set: [1], Context: { At: 1 } }],
      [{ Context: 'same' }, { Set: [1], Context: 'same' }],
    ];
    for (const [params, first] of stopsAfterOne) {
      const { asked, fetchPage } = pages([first, { Set: [] }]);
      await all(cursorPages(fetchPage, params, { items: 'Set', cursor: 'Context' }));
      expect(asked).toHaveLength(1);
    }
  });

  it('goes on while ListOver is false and HasMore is true, and with a cursor object that changed', async () => {
    const { asked, fetchPage } = pages([
      { Set: [1], Context: { At: 2 }, ListOver: false, HasMore: true },
      { Set: [2], Context: { At: 3 }, ListOver: false },
      { Set: [3], Context: { At: 3 } },
    ]);
    await all(cursorPages(fetchPage, { Context: { At: 1 } }, { items: 'Set', cursor: 'Context' }));
    expect(asked.map((p) => p['Context'])).toEqual([{ At: 1 }, { At: 2 }, { At: 3 }]);
  });

  it('a page size must be a positive integer: 1 is fine, 0 and 2.5 are refused', async () => {
    await all(cursorPages(pages([{ Set: [] }]).fetchPage, {}, { items: 'Set', cursor: 'NextToken', pageSize: 1 }));
    for (const bad of [0, 2.5]) {
      const err = await usage(all(cursorPages(pages([]).fetchPage, {}, { items: 'Set', cursor: 'C', pageSize: bad })));
      expect(err.message).toBe(`paginate options.pageSize: must be a positive integer, got ${bad}`);
    }
  });
});

describe('makePaginator (client.paginate)', () => {
  const descriptor = { service: 'vpc', version: '2017-03-12', textPaging: { DescribeAddresses: ['Offset', 'Limit'] } };
  const partCall = (action: string, options: object) => ({ options, clientTotalMs: undefined, context: { action } });
  function recorder(answers: Record<string, unknown>[]) {
    const calls: { action: string; params: object | undefined; options: unknown }[] = [];
    const call: CallFn = (action, params, options) => {
      calls.push({ action, params, options });
      return Promise.resolve(answers[Math.min(calls.length, answers.length) - 1]);
    };
    return { calls, call };
  }

  it('refuses options that cannot work at once, before any page, naming them', () => {
    const { calls, call } = recorder([]);
    for (const options of [null, 'InstanceSet', undefined]) {
      const make = () => makePaginator(descriptor, 'DescribeAddresses', {}, options as never, call, partCall);
      expect(make).toThrow(UsageError);
      expect(make).toThrow('paginate options: must be an object such as { items: "InstanceSet" }');
    }
    for (const cursor of ['', 7, null]) {
      const make = () =>
        makePaginator(descriptor, 'DescribeAddresses', {}, { items: 'Set', cursor } as never, call, partCall);
      expect(make).toThrow('paginate options.cursor: must name the cursor param, e.g. "NextToken"');
    }
    expect(calls).toEqual([]);
  });

  it('asks nothing until iterated; walks with the options as given, the call options passed on', async () => {
    const { calls, call } = recorder([{ AddressSet: ['a', 'b'], TotalCount: 2, RequestId: 'r1' }]);
    const options = { items: 'AddressSet', pageSize: 2, region: 'ap-beijing', textParams: ['ignored'] };
    const paginator = makePaginator(descriptor, 'DescribeAddresses', { Filters: [] }, options, call, partCall);
    options.items = 'Changed'; // later changes to the object do not reach the paginator
    expect(calls).toEqual([]);
    expect(await paginator.toArray()).toEqual(['a', 'b']);
    // Offset/Limit as text: the descriptor marks this listing (vpc); the caller's textParams do not count.
    expect(calls).toEqual([
      {
        action: 'DescribeAddresses',
        params: { Filters: [], Offset: '0', Limit: '2' },
        options: { region: 'ap-beijing' },
      },
    ]);
    const again = [];
    for await (const page of paginator.pages()) again.push(page.requestId);
    expect(again).toEqual(['r1']); // pages() starts from the first page again
    expect(calls).toHaveLength(2);
  });

  it('reads the paging options by name, inherited ones too', async () => {
    const { calls, call } = recorder([
      { Items: [1], NextToken: 't2', RequestId: 'r1' },
      { Items: [2], NextToken: '', RequestId: 'r2' },
    ]);
    const options = Object.create({ items: 'Items', cursor: 'NextToken', pageSize: 5 }) as { items: string };
    expect(await makePaginator(descriptor, 'ListThings', {}, options, call, partCall).toArray()).toEqual([1, 2]);
    expect(calls.map((c) => c.params)).toEqual([{ Limit: 5 }, { NextToken: 't2', Limit: 5 }]);
  });

  it('by cursor when one is named: the cursor sent back until it is empty', async () => {
    const { calls, call } = recorder([
      { Items: [1], NextToken: 't2', RequestId: 'r1' },
      { Items: [2], NextToken: '', RequestId: 'r2' },
    ]);
    const paginator = makePaginator(
      descriptor,
      'ListThings',
      undefined,
      { items: 'Items', cursor: 'NextToken' },
      call,
      partCall,
    );
    const items = [];
    for await (const item of paginator) items.push(item);
    expect(items).toEqual([1, 2]);
    expect(calls.map((c) => c.params)).toEqual([{}, { NextToken: 't2' }]);
    expect(calls[0]!.options).toEqual({});
  });
});

describe('paging edges from the mutation run of 2026-12-01', () => {
  it('a count that is neither a number nor digits is no count: TotalCount [1] does not cut a page, Limit [5] is not the page size', async () => {
    const { asked, fetchPage } = pages([{ Set: [1, 2, 3], TotalCount: [1], RequestId: 'r1' }]);
    const got = await all(offsetPages(fetchPage, { Limit: [5] }, { items: 'Set' }));
    expect(got.flatMap((p) => p.items)).toEqual([1, 2, 3]);
    expect(asked[0]).toMatchObject({ Limit: 100, Offset: 0 });
  });

  it('a cursor that is a non-empty array, or a bigint, pages on', async () => {
    const arrays = pages([
      { Items: [1], Next: ['a', 1], RequestId: 'r1' },
      { Items: [2], Next: [], RequestId: 'r2' },
    ]);
    expect((await all(cursorPages(arrays.fetchPage, {}, { items: 'Items', cursor: 'Next' }))).length).toBe(2);
    const bigints = pages([
      { Items: [1], Next: 1n, RequestId: 'r1' },
      { Items: [2], Next: 2n, RequestId: 'r2' },
      { Items: [3], Next: '', RequestId: 'r3' },
    ]);
    expect((await all(cursorPages(bigints.fetchPage, {}, { items: 'Items', cursor: 'Next' }))).length).toBe(3);
    expect(bigints.asked.map((p) => p['Next'])).toEqual([undefined, 1n, 2n]);
  });

  it("the first page sends the params as given: no cursor field of its own, the params' Limit without a pageSize", async () => {
    const { asked, fetchPage } = pages([{ Items: [1], RequestId: 'r1' }]);
    await all(cursorPages(fetchPage, { Limit: 20 }, { items: 'Items', cursor: 'NextToken' }));
    expect(asked[0]).toEqual({ Limit: 20 });
    expect('NextToken' in asked[0]!).toBe(false);
  });
});
