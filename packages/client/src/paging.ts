import { UsageError } from '@x/errors';
import { loadForCall, type PartCall } from './load-part';
import type { CallOptions as TransportCallOptions } from '@x/transport';
import type { ServiceDescriptor } from './api';
import { callOptions } from './call-options';
import type { CallOptions } from './client';
import type { PaginateOptions } from './paginate';
import type { Page, Paginator } from './paging-types';

/** How a paginator calls the action: `client.call`. */
export type CallFn = (action: string, params: object | undefined, options?: CallOptions) => Promise<unknown>;

/**
 * The paginator behind `client.paginate`: by cursor when `options.cursor` names one, else by
 * Offset/Limit, as text for the listings the descriptor marks (vpc types them as strings).
 * Options that cannot work are refused here, at once; the rest of the walk (listingPages in
 * paginate.ts) loads at the first iteration.
 */
export function makePaginator(
  descriptor: ServiceDescriptor,
  action: string,
  params: object | undefined,
  options: PaginateOptions & CallOptions,
  call: CallFn,
  partCall: (action: string, options: TransportCallOptions) => PartCall,
): Paginator<unknown, Record<string, unknown>> {
  if (typeof options !== 'object' || options === null)
    throw new UsageError('must be an object such as { items: "InstanceSet" }', { argument: 'paginate options' });
  const { cursor } = options;
  if (cursor !== undefined && (typeof cursor !== 'string' || cursor === ''))
    throw new UsageError('must name the cursor param, e.g. "NextToken"', { argument: 'paginate options.cursor' });
  // The options as given now (a caller who changes the object later does not change this
  // paginator); the paging fields by name, inherited ones too, the call options as own fields.
  // (An absent pageSize or cursor is an undefined field here, which listingPages reads as absent.)
  const given = { ...options, items: options.items, pageSize: options.pageSize, cursor } as PaginateOptions &
    CallOptions;
  return paginator(async function* () {
    // The walk loads within the first page's deadline and signal.
    const { listingPages } = await loadForCall(
      () => import('./paginate'),
      'page walking',
      partCall(action, callOptions(given)),
    );
    yield* listingPages(descriptor, action, params, given, call);
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
