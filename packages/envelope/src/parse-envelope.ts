import type { ApiError, CallContext, ErrorCatalog, Locale } from '@x/errors';
import { envelopeOfJson, invalid } from './envelope-checks';
import { withoutBom } from './envelope-shape';
import type { HeadersLike } from './headers';
import { describeValue } from './read-body';
import * as json from './json';
import type { IntegerMode } from './json';

/** What is known about a response besides its body. */
export interface EnvelopeMeta {
  /** HTTP status; undefined when unknown. */
  readonly httpStatus?: number | undefined;
  /** Response headers: `X-TC-RequestId` / `X-TC-TraceId` recover a RequestId, `Content-Type` is checked. */
  readonly headers?: HeadersLike | undefined;
  /** service / version / action / region of the call, copied into every error. */
  readonly context?: CallContext | undefined;
  /** Service error catalogs for ApiError category, retryability and hint. */
  readonly catalogs?: readonly ErrorCatalog[] | undefined;
  /** Language of the ApiError hint. Default `en-US`. */
  readonly language?: Locale | undefined;
  /** @deprecated Use `language` (one name across @x). */
  readonly locale?: Locale | undefined;
  /** How integers beyond 2^53 - 1 come back. Default `bigint` (exact). */
  readonly integers?: IntegerMode | undefined;
}

/** The `Response` object of a successful call: the action's fields plus RequestId. */
export type ResponseData<T> = T & { readonly RequestId: string };

/** A parsed envelope: the `Response` object, or the ApiError of `Response.Error`. */
export type EnvelopeResult<T> =
  | { readonly ok: true; readonly requestId: string; readonly data: ResponseData<T> }
  | { readonly ok: false; readonly requestId: string; readonly error: ApiError };

const decoder = new TextDecoder('utf-8');

/** Body bytes or text as a string, without a UTF-8 byte order mark. Invalid bytes become U+FFFD. */
export function bodyText(body: string | Uint8Array): string {
  return withoutBom(typeof body === 'string' ? body : decoder.decode(body));
}

/**
 * Parses an API 3.0 response body.
 * - `{"Response": {..., "RequestId"}}` → `{ ok: true, requestId, data }` (data is the whole Response);
 * - `{"Response": {"Error": {"Code", "Message"}, "RequestId"}}` → `{ ok: false, requestId, error: ApiError }`,
 *   whatever the HTTP status;
 * - anything else throws an {@link EnvelopeError} naming what was wrong, with the HTTP status, a
 *   short excerpt of the body and the RequestId when the body or the headers carried one.
 *
 * @example
 * const result = parseEnvelope('{"Response":{"TotalCount":0,"RequestId":"b5b4"}}');
 * if (result.ok) console.log(result.data.TotalCount);
 */
export function parseEnvelope<T = Record<string, unknown>>(
  body: string | Uint8Array,
  meta: EnvelopeMeta = {},
): EnvelopeResult<T> {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
    throw invalid(meta, 'not-an-object', '', `the body must be a string or bytes, got ${describeValue(body)}`);
  }
  return envelopeOfJson<T>(json, bodyText(body), meta);
}

/**
 * The data of a successful result, or throws its ApiError.
 *
 * @example
 * const { TotalCount } = unwrap(parseEnvelope<{ TotalCount: number }>(body));
 */
export function unwrap<T>(result: EnvelopeResult<T>): ResponseData<T> {
  if (result.ok) return result.data;
  throw result.error;
}
