import { UsageError } from '@x/errors';
import type { ServiceDescriptor } from './api';
import type { CallOptions } from './client';
import type { CallFn } from './paging';
import type { Page } from './paging-types';

/** Options of `client.paginate`. */
export interface PaginateOptions<Field extends string = string> {
  /** The array field of each page holding the items, e.g. `InstanceSet`. */
  readonly items: Field;
  /**
   * Items asked per page (`Limit`). Offset listings default to the params' `Limit`, else 100 (the
   * usual API maximum); cursor listings send `Limit` only when this is given.
   */
  readonly pageSize?: number;
  /**
   * Page by this cursor param instead of Offset/Limit (`NextToken`, `Context`, `Cursor`...): each
   * page's answer in the field of the same name, or `Next<name>` (`Cursor` → `NextCursor`), is sent
   * back until it is empty.
   */
  readonly cursor?: string | undefined;
  /** Offset listings whose definitions type `Offset` / `Limit` as strings (vpc): sent as text. */
  readonly textParams?: readonly string[];
}

/** Fetches one page: the params with `Offset` and `Limit` (or the cursor) set. */
export type PageFetcher = (params: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** A count given as a number or as the digits the string-typed params (vpc) take. */
function countOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

function checkItems(options: PaginateOptions | undefined): void {
  if (typeof options?.items !== 'string' || options.items === '') {
    throw new UsageError('name the array field that holds the items, e.g. { items: "InstanceSet" }', {
      argument: 'paginate options.items',
    });
  }
}

function itemsOf(page: Record<string, unknown>, field: string): unknown[] {
  const list = page[field];
  if (Array.isArray(list)) return list;
  const fields = Object.keys(page).filter((k) => Array.isArray(page[k]));
  throw new UsageError(
    `the response has no array field ${JSON.stringify(field)}${fields.length ? ` (array fields: ${fields.join(', ')})` : ''}`,
    {
      argument: 'paginate options.items',
    },
  );
}

const requestIdOf = (page: Record<string, unknown>) => (typeof page['RequestId'] === 'string' ? page['RequestId'] : '');

/**
 * The pages of an Offset/Limit/TotalCount listing (the API 3.0 pattern). Stops exactly at
 * `TotalCount` (never asking a page past it), at a short page when a response has no
 * TotalCount, and at the first empty page, so a server that keeps answering empty pages (or
 * whose TotalCount shrank while we read) cannot loop forever.
 */
export async function* offsetPages<Item>(
  fetchPage: PageFetcher,
  params: Readonly<Record<string, unknown>>,
  options: PaginateOptions,
): AsyncGenerator<Page<Item, Record<string, unknown>>, void, undefined> {
  checkItems(options);
  const pageSize = options.pageSize ?? countOf(params['Limit']) ?? 100;
  if (!Number.isInteger(pageSize) || pageSize < 1)
    throw new UsageError(`must be a positive integer, got ${String(pageSize)}`, {
      argument: 'paginate options.pageSize',
    });
  const start = params['Offset'] === undefined ? 0 : countOf(params['Offset']);
  if (start === undefined || !Number.isInteger(start) || start < 0)
    throw new UsageError(`must be a non-negative integer, got ${String(params['Offset'])}`, {
      argument: 'params.Offset',
    });
  // As text where the definitions say so, or where the caller gave them as text.
  const asText = (name: string) => options.textParams?.includes(name) === true || typeof params[name] === 'string';
  const wire = (name: string, n: number) => (asText(name) ? String(n) : n);
  let offset = start;
  for (let index = 0; ; index++) {
    const page = await fetchPage({ ...params, Offset: wire('Offset', offset), Limit: wire('Limit', pageSize) });
    const list = itemsOf(page, options.items);
    const total = countOf(page['TotalCount']);
    const remaining = total === undefined ? list.length : Math.max(0, total - offset);
    yield { output: page, items: list.slice(0, remaining) as Item[], requestId: requestIdOf(page), index };
    offset += list.length;
    const done = list.length === 0 || (total === undefined ? list.length < pageSize : offset >= total);
    if (done) return;
  }
}

const emptyCursor = (value: unknown) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
const sameCursor = (a: unknown, b: unknown) =>
  a === b || (typeof a === 'object' && a !== null && JSON.stringify(a) === JSON.stringify(b));

/**
 * The pages of a cursor listing: each answer's cursor (the field named `cursor`, or
 * `Next<cursor>`) is sent back as `cursor` until it is empty. Also stops at an empty page, at
 * `ListOver: true` / `HasMore: false` (log searches), and when the server hands back the cursor
 * it was sent, so no answer can make it loop.
 */
export async function* cursorPages<Item>(
  fetchPage: PageFetcher,
  params: Readonly<Record<string, unknown>>,
  options: PaginateOptions & { readonly cursor: string },
): AsyncGenerator<Page<Item, Record<string, unknown>>, void, undefined> {
  checkItems(options);
  const { cursor, pageSize } = options;
  if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1))
    throw new UsageError(`must be a positive integer, got ${String(pageSize)}`, {
      argument: 'paginate options.pageSize',
    });
  let sent = params[cursor];
  for (let index = 0; ; index++) {
    const page = await fetchPage({
      ...params,
      ...(sent === undefined ? {} : { [cursor]: sent }),
      ...(pageSize === undefined ? {} : { Limit: pageSize }),
    });
    const list = itemsOf(page, options.items);
    yield { output: page, items: list as Item[], requestId: requestIdOf(page), index };
    const nextField = `Next${cursor}`;
    const next = Object.prototype.hasOwnProperty.call(page, nextField) ? page[nextField] : page[cursor];
    const over = page['ListOver'] === true || page['HasMore'] === false;
    if (over || list.length === 0 || emptyCursor(next) || sameCursor(next, sent)) return;
    sent = next;
  }
}

/**
 * Iterates the items of an Offset/Limit/TotalCount listing, page by page (see {@link offsetPages}).
 * Kept for callers of the first release; `client.paginate` returns a {@link Paginator}.
 */
export async function* paginateItems<Item>(
  fetchPage: PageFetcher,
  params: Readonly<Record<string, unknown>>,
  options: PaginateOptions,
): AsyncGenerator<Item, void, undefined> {
  for await (const page of offsetPages<Item>(fetchPage, params, options)) yield* page.items;
}

/**
 * The pages `client.paginate` walks (makePaginator in paging.ts checked the options): by cursor
 * when `options.cursor` names one, else by Offset/Limit, as text for the listings the descriptor
 * marks. Each page is `call` with the params of the page and the options that are call options.
 */
export function listingPages(
  descriptor: ServiceDescriptor,
  action: string,
  params: object | undefined,
  options: PaginateOptions & CallOptions,
  call: CallFn,
): AsyncGenerator<Page<unknown, Record<string, unknown>>, void, undefined> {
  const { items, pageSize, cursor, textParams: _ignored, ...perCall } = options;
  const fetchPage = (pageParams: Record<string, unknown>) =>
    call(action, pageParams, perCall) as Promise<Record<string, unknown>>;
  const base = (params ?? {}) as Record<string, unknown>;
  const size = pageSize === undefined ? {} : { pageSize };
  if (cursor !== undefined) return cursorPages(fetchPage, base, { items, cursor, ...size });
  const textParams = descriptor.textPaging?.[action];
  return offsetPages(fetchPage, base, { items, ...size, ...(textParams === undefined ? {} : { textParams }) });
}
