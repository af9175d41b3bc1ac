import { describe, expect, it } from 'vitest';
import { isUsageError } from '@x/errors';
import { paginateItems, type PageFetcher } from '../src/index';

const never: PageFetcher = () => Promise.reject(new Error('no page should be asked'));

async function usageOf(run: () => AsyncIterable<unknown>): Promise<{ argument: string; message: string }> {
  try {
    for await (const _ of run()) break;
  } catch (err) {
    if (isUsageError(err)) return err;
    throw err;
  }
  throw new Error('expected a UsageError');
}

describe('paginateItems refuses bad arguments before asking a page', () => {
  it('an items field that is missing, empty or not a string', async () => {
    for (const items of [undefined, '', 7]) {
      const err = await usageOf(() => paginateItems(never, {}, { items } as never));
      expect(err.argument).toBe('paginate options.items');
      expect(err.message).toBe(
        'paginate options.items: name the array field that holds the items, e.g. { items: "InstanceSet" }',
      );
    }
    expect((await usageOf(() => paginateItems(never, {}, undefined as never))).argument).toBe('paginate options.items');
  });

  it('a page size that is not a positive integer (1 is fine)', async () => {
    for (const pageSize of [0, -1, 1.5, Number.NaN]) {
      const err = await usageOf(() => paginateItems(never, {}, { items: 'Items', pageSize }));
      expect(err.argument).toBe('paginate options.pageSize');
      expect(err.message).toBe(`paginate options.pageSize: must be a positive integer, got ${String(pageSize)}`);
    }
    expect((await usageOf(() => paginateItems(never, { Limit: 0 }, { items: 'Items' }))).argument).toBe(
      'paginate options.pageSize',
    );
    const one: PageFetcher = async () => ({ TotalCount: 1, Items: ['only'] });
    const out: unknown[] = [];
    for await (const item of paginateItems(one, {}, { items: 'Items', pageSize: 1 })) out.push(item);
    expect(out).toEqual(['only']);
  });

  it('an Offset that is not a non-negative integer', async () => {
    // Text is accepted when it is a count (vpc types Offset as a string), so '3' is not among them.
    for (const Offset of [-1, 1.5, 'three', '-3']) {
      const err = await usageOf(() => paginateItems(never, { Offset }, { items: 'Items' }));
      expect(err.argument).toBe('params.Offset');
      expect(err.message).toBe(`params.Offset: must be a non-negative integer, got ${String(Offset)}`);
    }
  });

  it('a page without the items array names the array fields it has', async () => {
    const page: PageFetcher = async () => ({ TotalCount: 1, InstanceSet: [1], Other: [] });
    const err = await usageOf(() => paginateItems(page, {}, { items: 'Items' }));
    expect(err.message).toBe(
      'paginate options.items: the response has no array field "Items" (array fields: InstanceSet, Other)',
    );
    const bare: PageFetcher = async () => ({ TotalCount: 1 });
    expect((await usageOf(() => paginateItems(bare, {}, { items: 'Items' }))).message).toBe(
      'paginate options.items: the response has no array field "Items"',
    );
  });
});

describe('paginateItems stops at TotalCount counted from the start Offset', () => {
  it('yields no more than TotalCount minus the offset, even when a page holds more', async () => {
    const asked: unknown[] = [];
    const page: PageFetcher = async (params) => {
      asked.push(params);
      return { TotalCount: 12, Items: [10, 11, 12, 13] };
    };
    const out: unknown[] = [];
    for await (const item of paginateItems(page, { Offset: 10 }, { items: 'Items', pageSize: 4 })) out.push(item);
    expect(out).toEqual([10, 11]);
    expect(asked).toEqual([{ Offset: 10, Limit: 4 }]);
  });

  it('a TotalCount that is not a count is ignored: a short page ends the listing', async () => {
    const page: PageFetcher = async () => ({ TotalCount: 'many', Items: [1, 2] });
    const out: unknown[] = [];
    for await (const item of paginateItems(page, {}, { items: 'Items', pageSize: 3 })) out.push(item);
    expect(out).toEqual([1, 2]);
  });
});
