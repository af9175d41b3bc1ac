import type * as json from './json';
import type { JsonValue } from './json';
import type { EnvelopeResult, ResponseData } from './parse-envelope';

// The one shape check a successful answer needs, apart from the rest (envelope-checks.ts), so that
// browser bundles load the checks that explain a failure, ApiError and EnvelopeError with them,
// only for an answer that is not a plain success (read-envelope-text.ts). json.ts and
// envelope-checks.ts must stay files nothing read up front imports: bundlers assign whole files to
// chunks, and a chunk the first call needs would bring them along.

/** What the envelope checks use of json.ts: the module itself, loaded statically or by import(). */
export type JsonModule = Pick<typeof json, 'parseJson' | 'JsonSyntaxError' | 'JsonLimitError'>;

/** A body's text without a UTF-8 byte order mark. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function isRecord(value: unknown): value is Record<string, JsonValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The result of a parsed body when it is a successful envelope (an object whose `Response` object
 * has no `Error` and a non-empty string `RequestId`), else undefined: then envelopeOf in
 * envelope-checks.ts says what it is (an ApiError, or the EnvelopeError of a wrong shape). It
 * accepts exactly the bodies envelopeOf answers with `ok: true`, with the same result.
 */
export function acceptedEnvelope<T>(parsed: JsonValue): EnvelopeResult<T> | undefined {
  if (!isRecord(parsed)) return undefined;
  const response = parsed['Response'];
  if (!isRecord(response) || response['Error'] !== undefined) return undefined;
  const requestId = response['RequestId'];
  if (typeof requestId !== 'string' || requestId === '') return undefined;
  return { ok: true, requestId, data: response as ResponseData<T> };
}
