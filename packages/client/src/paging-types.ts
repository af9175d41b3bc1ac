import type { ApiShape, IsUntyped } from './api';

type Known<Api, Action> = Action extends keyof Api ? Api[Action] : never;
/** `T` without index signatures: a request with no params is generated as `{ [param: string]: never }`, whose keys would be every string. */
type Declared<T> = { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };
type InputFields<Api, Action> = Known<Api, Action> extends { readonly input: infer Input } ? Declared<Input> : never;
type OutputFields<Api, Action> =
  Known<Api, Action> extends { readonly output: infer Output } ? Declared<Output> : never;

/** The keys of `T` whose values are arrays. */
type ArrayKeys<T> = { [K in keyof T]-?: NonNullable<T[K]> extends readonly unknown[] ? K : never }[keyof T];

/** True when the output has a `TotalCount` and at least one array field. */
type IsListing<Output> = [Output] extends [never]
  ? false
  : 'TotalCount' extends keyof Output
    ? [ArrayKeys<Output>] extends [never]
      ? false
      : true
    : false;

/**
 * The actions `paginate` pages by offset: their params have `Offset` and `Limit` (numbers, or
 * strings where the definitions say so, as in vpc), their output a `TotalCount` and an array.
 * Any string on an untyped client.
 */
export type OffsetPagedAction<Api extends ApiShape> =
  IsUntyped<Api> extends true
    ? string
    : {
        [A in keyof Api]: 'Offset' extends keyof InputFields<Api, A>
          ? 'Limit' extends keyof InputFields<Api, A>
            ? IsListing<OutputFields<Api, A>> extends true
              ? A
              : never
            : never
          : never;
      }[keyof Api] &
        string;

/**
 * The names token-paged actions use for their cursor, as found in the generated models: the
 * same param in the request and the response (`NextToken` 34 actions, `Context` 45, `ScrollToken`
 * 9, `PageToken` 4, `SearchAfter` 3, `ScrollId` 3, `Cursor` 2, `Marker` 1, `NextCursor` 1), or
 * `Cursor` in the request answered by `NextCursor` (24 actions).
 */
export type CursorName =
  | 'NextToken'
  | 'Context'
  | 'ScrollToken'
  | 'PageToken'
  | 'SearchAfter'
  | 'ScrollId'
  | 'Cursor'
  | 'Marker'
  | 'NextCursor';

/** The cursor params of an action: a {@link CursorName} of its params that its output answers (as itself or `Next<name>`). */
export type CursorFieldOf<Api extends ApiShape, Action extends string> =
  IsUntyped<Api> extends true
    ? string
    : {
        [K in keyof InputFields<Api, Action> & CursorName]: K extends keyof OutputFields<Api, Action>
          ? K
          : `Next${K}` extends keyof OutputFields<Api, Action>
            ? K
            : never;
      }[keyof InputFields<Api, Action> & CursorName];

/** The actions `paginate` pages by cursor (with `cursor: <param>`): a cursor param, and an array in the output. */
export type CursorPagedAction<Api extends ApiShape> =
  IsUntyped<Api> extends true
    ? string
    : {
        [A in keyof Api]: [CursorFieldOf<Api, A & string>] extends [never]
          ? never
          : [ArrayKeys<OutputFields<Api, A>>] extends [never]
            ? never
            : A;
      }[keyof Api] &
        string;

/** The actions whose params declare `DryRun`: what `dryRun` accepts. Any string on an untyped client. */
export type DryRunActionName<Api extends ApiShape> =
  IsUntyped<Api> extends true
    ? string
    : { [A in keyof Api]: 'DryRun' extends keyof InputFields<Api, A> ? A : never }[keyof Api] & string;

/** One page of a listing, as the server answered it. */
export interface Page<Item, Output> {
  /** The whole response of this page (its TotalCount, cursor...). */
  readonly output: Output;
  /** The page's items (for an offset listing, never past TotalCount). */
  readonly items: readonly Item[];
  /** This page's RequestId: each page is its own request. */
  readonly requestId: string;
  /** 0 for the first page. */
  readonly index: number;
}

/** What `paginate` returns: iterate it for the items, `pages()` for the pages, or `toArray()`. */
export interface Paginator<Item, Output> extends AsyncIterable<Item> {
  /** Iterates page by page, each with its RequestId; every call starts from the first page again. */
  pages(): AsyncIterable<Page<Item, Output>>;
  /** Every item of every page, in order. */
  toArray(): Promise<Item[]>;
}
