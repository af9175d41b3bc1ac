import { describe, expect, it } from 'vitest';
import { isUsageError } from '@x/errors';
import { paginateItems, type PageFetcher } from '../src/index';

/** A server of `total` items that may misbehave: report more than it has, or answer empty pages. */
function pages(total: number, options: { claimed?: number; omitTotal?: boolean } = {}) {
  const asked: { Offset: number; Limit: number }[] = [];
  const fetchPage: PageFetcher = async (params) => {
    const { Offset, Limit } = params as { Offset: number; Limit: number };
    asked.push({ Offset, Limit });
    const items = Array.from({ length: Math.max(0, Math.min(Limit, total - Offset)) }, (_, i) => ({ Id: Offset + i }));
    return options.omitTotal ? { Items: items } : { TotalCount: options.claimed ?? total, Items: items };
  };
  return { fetchPage, asked };
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('paginateItems', () => {
  it('yields every item once and stops exactly at TotalCount', async () => {
    const { fetchPage, asked } = pages(50);
    const items = await collect(paginateItems<{ Id: number }>(fetchPage, {}, { items: 'Items', pageSize: 20 }));
    expect(items.map((i) => i.Id)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(asked).toEqual([
      { Offset: 0, Limit: 20 },
      { Offset: 20, Limit: 20 },
      { Offset: 40, Limit: 20 },
    ]);
  });

  it('does not ask a page past TotalCount when it divides evenly', async () => {
    const { fetchPage, asked } = pages(40);
    await collect(paginateItems(fetchPage, {}, { items: 'Items', pageSize: 20 }));
    expect(asked).toHaveLength(2);
  });

  it('starts at the given Offset and uses the params Limit as page size', async () => {
    const { fetchPage, asked } = pages(10);
    const items = await collect(paginateItems<{ Id: number }>(fetchPage, { Offset: 5, Limit: 3 }, { items: 'Items' }));
    expect(items.map((i) => i.Id)).toEqual([5, 6, 7, 8, 9]);
    expect(asked[0]).toEqual({ Offset: 5, Limit: 3 });
  });

  it('guards against a server whose TotalCount promises more than it gives: stops at the first empty page', async () => {
    const { fetchPage, asked } = pages(30, { claimed: 1_000_000 });
    const items = await collect(paginateItems(fetchPage, {}, { items: 'Items', pageSize: 10 }));
    expect(items).toHaveLength(30);
    expect(asked).toHaveLength(4);
  });

  it('without TotalCount, stops at a short page', async () => {
    const { fetchPage, asked } = pages(25, { omitTotal: true });
    expect(await collect(paginateItems(fetchPage, {}, { items: 'Items', pageSize: 10 }))).toHaveLength(25);
    expect(asked).toHaveLength(3);
  });

  it('names the problem when the items field is wrong or options are bad', async () => {
    const { fetchPage } = pages(5);
    const wrong = await collect(paginateItems(fetchPage, {}, { items: 'InstanceSet' })).catch((e: unknown) => e);
    expect(isUsageError(wrong) && wrong.message).toBe(
      'paginate options.items: the response has no array field "InstanceSet" (array fields: Items)',
    );
    for (const bad of [{ items: '' }, { items: 'Items', pageSize: 0 }, { items: 'Items', pageSize: 1.5 }]) {
      expect(isUsageError(await collect(paginateItems(fetchPage, {}, bad)).catch((e: unknown) => e))).toBe(true);
    }
    expect(
      isUsageError(
        await collect(paginateItems(fetchPage, { Offset: -1 }, { items: 'Items' })).catch((e: unknown) => e),
      ),
    ).toBe(true);
  });
});
