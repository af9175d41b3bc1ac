import { UsageError } from '@x/errors';
import { loadPart } from './load-part';
import type { ServiceDescriptor } from './api';
import type { CallOptions } from './client';
import type { PaginateOptions } from './paginate';
import type { Page, Paginator } from './paging-types';

type CallFn = (action: string, params: object | undefined, options?: CallOptions) => Promise<unknown>;

/**
 * The paginator behind `client.paginate`: by cursor when `options.cursor` names one, else by
 * Offset/Limit, as text for the listings the descriptor marks (vpc types them as strings).
 */
export function makePaginator(
  descriptor: ServiceDescriptor,
  action: string,
  params: object | undefined,
  options: PaginateOptions & CallOptions,
  call: CallFn,
): Paginator<unknown, Record<string, unknown>> {
  if (typeof options !== 'object' || options === null)
    throw new UsageError('must be an object such as { items: "InstanceSet" }', { argument: 'paginate options' });
  const { items, pageSize, cursor, textParams: _ignored, ...perCall } = options;
  const fetchPage = (pageParams: Record<string, unknown>) =>
    call(action, pageParams, perCall) as Promise<Record<string, unknown>>;
  const base = (params ?? {}) as Record<string, unknown>;
  const size = pageSize === undefined ? {} : { pageSize };
  if (cursor !== undefined) {
    if (typeof cursor !== 'string' || cursor === '')
      throw new UsageError('must name the cursor param, e.g. "NextToken"', { argument: 'paginate options.cursor' });
    return paginator(async function* () {
      yield* (await loadPaging()).cursorPages(fetchPage, base, { items, cursor, ...size });
    });
  }
  const textParams = descriptor.textPaging?.[action];
  return paginator(async function* () {
    const paging = { items, ...size, ...(textParams === undefined ? {} : { textParams }) };
    yield* (await loadPaging()).offsetPages(fetchPage, base, paging);
  });
}

/**
 * A {@link Paginator} over pages made afresh by `pages` on each iteration. The page walking
 * (paginate.ts) is imported at the first iteration: a separate chunk in browser bundles.
 */
export function paginator<Item, Output>(
  pages: () => AsyncGenerator<Page<Item, Output>, void, undefined>,
): Paginator<Item, Output> {
  async function* items() {
    for await (const page of pages()) yield* page.items;
  }
  return {
    [Symbol.asyncIterator]: () => items(),
    pages,
    toArray: () => toArray(items()),
  };
}

/** Every value of an async iterable, in order (the items of a paginator, the events of a stream). */
export async function toArray<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

/** The page walking (paginate.ts), loaded at a paginator's first iteration. */
const loadPaging = () => loadPart(() => import('./paginate'), 'page walking');
