import { EnvelopeError, type CallContext } from '@x/errors';
import { headerValue, requestIdFromHeaders } from './headers';
import {
  describeValue,
  webStreamSource,
  type ByteSource,
  type ChunkFailure,
  type ReadBodyOptions,
  type ResponseLike,
} from './read-body';

// What reading a body needs beyond a web stream of bytes (read-body.ts): the readers of (async)
// iterables, chunks that are other views or strings, and the EnvelopeErrors of a body that cannot
// be read or is over its cap. Loaded by import() when one of those shows (a separate chunk in browser
// bundles, where fetch always gives a web stream of Uint8Array), and by the SSE parser.

/** Reads a web stream, an async iterable or an iterable of bytes chunk by chunk. */
export function byteSource(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): ByteSource {
  const unreadable = (detail: string, cause?: unknown) =>
    new EnvelopeError({ reason: 'unreadable-body', detail, cause });
  if (typeof body !== 'object' || body === null) {
    throw unreadable(
      `the response body is ${body === null ? 'null' : `a ${typeof body}`}, not a ReadableStream or an (async) iterable of bytes`,
    );
  }
  let web: ByteSource | undefined;
  try {
    web = webStreamSource(body);
  } catch (err) {
    throw lockedBody(err);
  }
  if (web !== undefined) return web;
  const asyncIterable = (body as Partial<AsyncIterable<Uint8Array>>)[Symbol.asyncIterator];
  const syncIterable = (body as Partial<Iterable<Uint8Array>>)[Symbol.iterator];
  if (typeof asyncIterable !== 'function' && typeof syncIterable !== 'function') {
    throw unreadable('the response body is neither a ReadableStream nor an (async) iterable of bytes');
  }
  let iterator: AsyncIterator<Uint8Array> | Iterator<Uint8Array>;
  try {
    iterator = typeof asyncIterable === 'function' ? asyncIterable.call(body) : syncIterable!.call(body);
  } catch (err) {
    throw unreadable('iterating the response body failed at once', err);
  }
  if (typeof iterator !== 'object' || iterator === null || typeof iterator.next !== 'function') {
    throw unreadable('the response body gave an iterator without a next() method');
  }
  return {
    // Not async: the iterator's own promise is handed on (an async wrapper costs a promise and two turns per chunk).
    next: () => {
      try {
        return Promise.resolve(iterator.next());
      } catch (err) {
        return Promise.reject(err as Error);
      }
    },
    // Releasing a body that already failed has nothing left to release: a failure is ignored.
    cancel: () => {
      try {
        return Promise.resolve(iterator.return?.()).then(ignore, ignore);
      } catch {
        return Promise.resolve();
      }
    },
  };
}

/** The EnvelopeError of a web stream whose reader cannot be had. */
export function lockedBody(cause: unknown): EnvelopeError {
  return new EnvelopeError({
    reason: 'unreadable-body',
    detail: 'the response body cannot be read (is it locked or already read?)',
    cause,
  });
}

/** A chunk as bytes: Uint8Array (Buffer too) as is, other views and ArrayBuffers wrapped, strings encoded; undefined for anything else. */
function asBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return new TextEncoder().encode(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return undefined;
}

const ignore = (): void => undefined;

/** An iterator's step as a chunk of bytes, or an EnvelopeError `unreadable-body` (the body released). */
export function chunkOf(
  step: unknown,
  source: ByteSource | undefined,
  failure: ChunkFailure,
): IteratorResult<Uint8Array> {
  if (typeof step !== 'object' || step === null)
    throw unreadable(
      source,
      failure,
      `the response body's iterator answered ${describeValue(step)}, not an iterator result`,
    );
  const { done, value } = step as { done?: unknown; value?: unknown };
  if (done === true) return { done: true, value: undefined };
  const bytes = asBytes(value);
  if (bytes === undefined)
    throw unreadable(source, failure, `the response body yielded ${describeValue(value)}, not bytes`);
  return { done: false, value: bytes };
}

/** A body that yields something other than bytes: released, and an EnvelopeError `unreadable-body`. */
function unreadable(source: ByteSource | undefined, failure: ChunkFailure, detail: string): EnvelopeError {
  void source?.cancel();
  return new EnvelopeError({ reason: 'unreadable-body', detail, requestId: failure.requestId, ...failure.context });
}

/** The EnvelopeError of a body past its cap (`seen`: what showed it). */
export function tooLarge(
  response: ResponseLike,
  options: ReadBodyOptions,
  maxBytes: number,
  seen: string,
): EnvelopeError {
  return new EnvelopeError({
    reason: 'body-too-large',
    detail: `the body is larger than the ${maxBytes}-byte limit (${seen})`,
    httpStatus: response.status,
    requestId: headerValue(response.headers, 'x-tc-requestid') ?? undefined,
    contentType: headerValue(response.headers, 'content-type'),
    ...options.context,
  });
}

/** The EnvelopeError of a value handed over as a response that is none. */
export function notAResponse(response: unknown, context: CallContext | undefined): EnvelopeError {
  return new EnvelopeError({
    reason: 'unreadable-body',
    detail: `the response is ${describeValue(response)}, not a response object`,
    ...context,
  });
}

/** The EnvelopeError of an event stream where an envelope was expected (readEnvelope released the body). */
export function unexpectedEventStream(
  response: ResponseLike,
  contentType: string,
  context: CallContext | undefined,
): EnvelopeError {
  return new EnvelopeError({
    reason: 'unexpected-content-type',
    detail: 'the response is an event stream: use stream() (client or transport) or parseEventStream, not call()',
    httpStatus: response.status,
    contentType,
    requestId: requestIdFromHeaders(response.headers),
    ...context,
  });
}
