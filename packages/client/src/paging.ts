import { UsageError, isApiError } from '@x/errors';
import type { CallOptions as TransportCallOptions, Transport } from '@x/transport';
import type { ServiceDescriptor } from './api';
import type { CallOptions, DryRunResult } from './client';
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
      yield* (await import('./paginate')).cursorPages(fetchPage, base, { items, cursor, ...size });
    });
  }
  const textParams = descriptor.textPaging?.[action];
  return paginator(async function* () {
    const paging = { items, ...size, ...(textParams === undefined ? {} : { textParams }) };
    yield* (await import('./paginate')).offsetPages(fetchPage, base, paging);
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

/**
 * The DryRun value to send for `action`: `true` (`"true"` where the definitions type it as a
 * string). A descriptor that lists the actions taking DryRun (generated ones do) refuses the
 * others: the server would ignore the flag and run the action for real. Without that list (an
 * untyped client, a hand-written descriptor) the request is sent and the server decides.
 */
export function dryRunValue(descriptor: ServiceDescriptor, action: string): boolean | string {
  const known = descriptor.dryRun;
  if (known === undefined) return true;
  if (!Object.prototype.hasOwnProperty.call(known, action)) {
    throw new UsageError(
      `${descriptor.service} ${action} has no DryRun param, so the server would run it for real: use call()`,
      { argument: 'action', service: descriptor.service, action },
    );
  }
  return known[action] === 'string' ? 'true' : true;
}

/** `client.dryRun`: refused before sending where the action has no DryRun param (see {@link dryRunValue}). */
export async function dryRunCall(
  transport: Transport,
  descriptor: ServiceDescriptor,
  action: string,
  params: object | undefined,
  options: TransportCallOptions,
): Promise<DryRunResult> {
  const DryRun = dryRunValue(descriptor, action);
  try {
    const result = await transport.call(
      action,
      { ...(params as Record<string, unknown> | undefined), DryRun },
      options,
    );
    return { dryRun: 'not-supported', requestId: result.requestId, data: result.data };
  } catch (err) {
    if (isApiError(err, 'DryRunOperation')) return { dryRun: 'would-succeed', requestId: err.requestId };
    throw err;
  }
}
