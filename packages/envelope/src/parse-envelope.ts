import {
  ApiError,
  EnvelopeError,
  excerpt,
  type CallContext,
  type EnvelopeErrorReason,
  type ErrorCatalog,
  type Locale,
} from '@x/errors';
import { headerValue, requestIdFromHeaders, type HeadersLike } from './headers';
import { JsonLimitError, JsonSyntaxError, parseJson, type IntegerMode, type JsonValue } from './json';

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
  const text = typeof body === 'string' ? body : decoder.decode(body);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function isRecord(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
    throw invalid(meta, 'not-an-object', '', `the body must be a string or bytes, got ${describeType(body)}`);
  }
  const text = bodyText(body);
  const headerRequestId = requestIdFromHeaders(meta.headers);
  if (text.trim() === '') throw invalid(meta, 'empty-body', text, 'the body is empty', headerRequestId);

  const parsed = parseBody(text, meta, headerRequestId);
  if (!isRecord(parsed)) {
    const what = Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : `a ${typeof parsed}`;
    throw invalid(meta, 'not-an-object', text, `the JSON is ${what}, not an object`, headerRequestId);
  }
  const response = parsed['Response'];
  if (!isRecord(response)) {
    const detail =
      response === undefined
        ? 'there is no "Response" object'
        : `"Response" is ${describeType(response)}, not an object`;
    throw invalid(meta, 'missing-response', text, detail, headerRequestId);
  }
  const bodyRequestId =
    typeof response['RequestId'] === 'string' && response['RequestId'] !== '' ? response['RequestId'] : undefined;

  if (response['Error'] !== undefined)
    return failedResult(response['Error'], meta, text, bodyRequestId ?? headerRequestId);
  if (bodyRequestId === undefined) {
    const detail =
      response['RequestId'] === undefined
        ? '"Response.RequestId" is missing'
        : '"Response.RequestId" is not a non-empty string';
    throw invalid(meta, 'missing-request-id', text, detail, headerRequestId);
  }
  return { ok: true, requestId: bodyRequestId, data: response as ResponseData<T> };
}

/** The JSON of a body, or the EnvelopeError that says why it is none (truncated, not JSON, over a limit). */
function parseBody(text: string, meta: EnvelopeMeta, headerRequestId: string | undefined): JsonValue {
  try {
    return parseJson(text, meta.integers);
  } catch (err) {
    const truncated = err instanceof JsonSyntaxError && err.truncated;
    const detail = truncated
      ? 'the JSON ends early (truncated body)'
      : err instanceof JsonLimitError
        ? err.message
        : 'the body is not JSON';
    throw invalid(meta, truncated ? 'truncated' : 'invalid-json', text, detail, headerRequestId, err);
  }
}

/** The result of an answer with `Response.Error`: its ApiError, or an EnvelopeError when the error has no code. */
function failedResult<T>(
  error: unknown,
  meta: EnvelopeMeta,
  text: string,
  requestIdSeen: string | undefined,
): EnvelopeResult<T> {
  if (!isRecord(error) || typeof error['Code'] !== 'string' || error['Code'] === '') {
    throw invalid(meta, 'invalid-error', text, '"Response.Error" has no string "Code"', requestIdSeen);
  }
  // The API always sends a RequestId; when a proxy mangled it, the header's is next best, and
  // an ApiError with its code is still far more useful than a shape error.
  const requestId = requestIdSeen ?? '';
  return {
    ok: false,
    requestId,
    error: new ApiError({
      code: error['Code'],
      serverMessage: typeof error['Message'] === 'string' ? error['Message'] : '',
      requestId,
      httpStatus: meta.httpStatus,
      catalogs: meta.catalogs,
      language: meta.language ?? meta.locale,
      ...meta.context,
    }),
  };
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

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * An EnvelopeError. A status other than 2xx makes the reason `http-status` (the request never
 * reached the API layer: a gateway or proxy answered), with what was wrong with the body as detail.
 */
function invalid(
  meta: EnvelopeMeta,
  reason: EnvelopeErrorReason,
  text: string,
  detail: string,
  requestId?: string,
  cause?: unknown,
): EnvelopeError {
  const status = meta.httpStatus;
  const gateway = status !== undefined && (status < 200 || status > 299);
  return new EnvelopeError({
    reason: gateway ? 'http-status' : reason,
    detail: gateway && reason !== 'http-status' ? `HTTP ${status} and ${detail}` : detail,
    httpStatus: status,
    bodyExcerpt: excerpt(text),
    contentType: headerValue(meta.headers, 'content-type'),
    requestId,
    cause,
    ...meta.context,
  });
}
