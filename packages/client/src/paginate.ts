import { UsageError } from '@x/errors';

/** Options of `client.paginate`. */
export interface PaginateOptions<Field extends string = string> {
  /** The array field of each page holding the items, e.g. `InstanceSet`. */
  readonly items: Field;
  /** Items asked per page (`Limit`). Default: the params' `Limit`, else 100 (the usual API maximum). */
  readonly pageSize?: number;
}

/** Fetches one page: the params with `Offset` and `Limit` set. */
export type PageFetcher = (params: Record<string, unknown>) => Promise<Record<string, unknown>>;

/**
 * Iterates the items of an Offset/Limit/TotalCount listing (the API 3.0 pattern), page by page.
 * Stops exactly at `TotalCount` (never asking a page past it), at a short page when a response
 * has no TotalCount, and at the first empty page, so a server that keeps answering empty pages
 * (or whose TotalCount shrank while we read) cannot loop forever.
 */
export async function* paginateItems<Item>(
  fetchPage: PageFetcher,
  params: Readonly<Record<string, unknown>>,
  options: PaginateOptions,
): AsyncGenerator<Item, void, undefined> {
  if (typeof options?.items !== 'string' || options.items === '') {
    throw new UsageError('name the array field that holds the items, e.g. { items: "InstanceSet" }', {
      argument: 'paginate options.items',
    });
  }
  const pageSize = options.pageSize ?? (typeof params['Limit'] === 'number' ? params['Limit'] : 100);
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new UsageError(`must be a positive integer, got ${String(pageSize)}`, { argument: 'paginate options.pageSize' });
  }
  const start = params['Offset'] ?? 0;
  if (typeof start !== 'number' || !Number.isInteger(start) || start < 0) {
    throw new UsageError(`must be a non-negative integer, got ${String(start)}`, { argument: 'params.Offset' });
  }
  let offset = start;
  for (;;) {
    const page = await fetchPage({ ...params, Offset: offset, Limit: pageSize });
    const list = page[options.items];
    if (!Array.isArray(list)) {
      const fields = Object.keys(page).filter((k) => Array.isArray(page[k]));
      throw new UsageError(
        `the response has no array field ${JSON.stringify(options.items)}${fields.length ? ` (array fields: ${fields.join(', ')})` : ''}`,
        { argument: 'paginate options.items' },
      );
    }
    const total = typeof page['TotalCount'] === 'number' ? page['TotalCount'] : undefined;
    const remaining = total === undefined ? list.length : Math.max(0, total - offset);
    for (const item of list.slice(0, remaining)) yield item as Item;
    offset += list.length;
    const done = list.length === 0 || (total === undefined ? list.length < pageSize : offset >= total);
    if (done) return;
  }
}
