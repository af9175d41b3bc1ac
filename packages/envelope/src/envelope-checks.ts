import { ApiError, EnvelopeError, excerpt, type EnvelopeErrorReason } from '@x/errors';
import type { JsonModule } from './envelope-shape';
import { headerValue, requestIdFromHeaders } from './headers';
import type { JsonValue } from './json';
import type { EnvelopeMeta, EnvelopeResult, ResponseData } from './parse-envelope';
import { describeValue } from './read-body';

// What parseEnvelope checks around the JSON parser. Handed the parser module (json.ts) instead of
// importing it, so that readEnvelope can use it with the native JSON.parse; and a file of its own,
// which readEnvelope loads by import() only for an answer that is not a plain success (see
// envelope-shape.ts): browser bundles load ApiError once a server answered. It imports nothing
// from envelope-shape.ts (isRecord is written again below): parse-envelope.ts imports this file
// statically, so envelope-shape.ts would be reached by exactly the entries that reach this one,
// and tsup would write both into one dist file, which the first call loads (CONTRIBUTING.md).

function isRecord(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The envelope of a body's text (no BOM): the empty-body check, the exact parser, the shape checks. */
export function envelopeOfJson<T>(json: JsonModule, text: string, meta: EnvelopeMeta): EnvelopeResult<T> {
  const headerRequestId = requestIdFromHeaders(meta.headers);
  if (text.trim() === '') throw invalid(meta, 'empty-body', text, 'the body is empty', headerRequestId);
  return envelopeOf<T>(parseBody(json, text, meta, headerRequestId), text, meta, headerRequestId);
}

/** The JSON of a body, or the EnvelopeError that says why it is none (truncated, not JSON, over a limit). */
function parseBody(json: JsonModule, text: string, meta: EnvelopeMeta, headerRequestId: string | undefined): JsonValue {
  try {
    return json.parseJson(text, meta.integers);
  } catch (err) {
    const truncated = err instanceof json.JsonSyntaxError && err.truncated;
    const detail = truncated
      ? 'the JSON ends early (truncated body)'
      : err instanceof json.JsonLimitError
        ? err.message
        : 'the body is not JSON';
    throw invalid(meta, truncated ? 'truncated' : 'invalid-json', text, detail, headerRequestId, err);
  }
}

/** The envelope of a parsed body: its Response data, its ApiError, or the EnvelopeError of a wrong shape. */
export function envelopeOf<T>(
  parsed: JsonValue,
  text: string,
  meta: EnvelopeMeta,
  headerRequestId: string | undefined,
): EnvelopeResult<T> {
  if (!isRecord(parsed)) {
    const what = Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : `a ${typeof parsed}`;
    throw invalid(meta, 'not-an-object', text, `the JSON is ${what}, not an object`, headerRequestId);
  }
  const response = parsed['Response'];
  if (!isRecord(response)) {
    const detail =
      response === undefined
        ? 'there is no "Response" object'
        : `"Response" is ${describeValue(response)}, not an object`;
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
 * An EnvelopeError. A status other than 2xx makes the reason `http-status` (the request never
 * reached the API layer: a gateway or proxy answered), with what was wrong with the body as detail.
 */
export function invalid(
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
