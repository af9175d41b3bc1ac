import { EnvelopeError, isTimeoutError, NetworkError, TimeoutError, type CallContext } from '@x/errors';
import { headerValue } from './headers';

/** What both fetch's `Response` and the Node sender of @x/transport return. */
export interface ResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array> | null;
}

/** Options of {@link readBody}. */
export interface ReadBodyOptions {
  /** Refuse bodies larger than this many bytes. Default 64 MiB. */
  readonly maxBytes?: number | undefined;
  /** Abort reading; the signal's reason is thrown as is. */
  readonly signal?: AbortSignal | undefined;
  /** Copied into errors. */
  readonly context?: CallContext | undefined;
}

/** The default cap on a response body: 64 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Iterates a web stream or an async iterable of bytes; `cancel` releases it early. */
export interface ByteSource {
  next(): Promise<IteratorResult<Uint8Array>>;
  cancel(reason?: unknown): Promise<void>;
}

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
  if (typeof (body as ReadableStream<Uint8Array>).getReader === 'function') {
    let reader: ReadableStreamDefaultReader<Uint8Array>;
    try {
      reader = (body as ReadableStream<Uint8Array>).getReader();
    } catch (err) {
      // A locked or already-read stream.
      throw unreadable('the response body cannot be read (is it locked or already read?)', err);
    }
    return {
      next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
      cancel: (reason) => reader.cancel(reason).catch(() => undefined),
    };
  }
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

/** A chunk as bytes: Uint8Array (Buffer too) as is, other views and ArrayBuffers wrapped, strings encoded; undefined for anything else. */
function asBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return new TextEncoder().encode(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return undefined;
}

function describeValue(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

const ignore = (): void => undefined;

/** Where a body is being read: what a failure says, the signal and the call it belongs to. */
export interface ChunkFailure {
  readonly what: string;
  readonly signal?: AbortSignal | undefined;
  readonly requestId?: string | undefined;
  readonly context?: CallContext | undefined;
}

/**
 * The next chunk of a body, as bytes. A body that breaks while being read becomes a NetworkError
 * (the request reached the server: it answered); an aborted `signal` rethrows its reason instead.
 * A body that yields something other than bytes is an EnvelopeError `unreadable-body` (a sender's bug, not the network).
 * One promise per chunk (not an async function: two).
 */
export function nextChunk(source: ByteSource, failure: ChunkFailure): Promise<IteratorResult<Uint8Array>> {
  return source.next().then(
    (step: unknown) => chunkOf(step, source, failure),
    (err: unknown) => {
      throw brokenBody(err, failure);
    },
  );
}

/** The error of a body whose read failed with `err`. */
function brokenBody(err: unknown, failure: ChunkFailure): unknown {
  if (failure.signal?.aborted) return failure.signal.reason;
  // The sender's own idle timeout: a TimeoutError, now with the RequestId and the call.
  if (isTimeoutError(err)) {
    return new TimeoutError({
      scope: err.scope,
      timeoutMs: err.timeoutMs,
      mayHaveReachedServer: err.mayHaveReachedServer,
      requestId: failure.requestId,
      cause: err,
      ...failure.context,
    });
  }
  return new NetworkError({
    detail: `${failure.what} (${err instanceof Error ? err.message : typeof err === 'string' ? err : describeValue(err)})`,
    mayHaveReachedServer: true,
    requestId: failure.requestId,
    cause: err,
    ...failure.context,
  });
}

/** An iterator's step as a chunk of bytes, or an EnvelopeError `unreadable-body`. */
function chunkOf(step: unknown, source: ByteSource | undefined, failure: ChunkFailure): IteratorResult<Uint8Array> {
  if (typeof step !== 'object' || step === null)
    throw unreadable(
      source,
      failure,
      `the response body's iterator answered ${describeValue(step)}, not an iterator result`,
    );
  const { done, value } = step as { done?: unknown; value?: unknown };
  if (done === true) return { done: true, value: undefined };
  // The step itself when it already is bytes: no new object per chunk.
  if (value instanceof Uint8Array) return step as IteratorResult<Uint8Array>;
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

/**
 * Reads a whole body with a size cap. Past the cap (or when `Content-Length` already says so) it
 * cancels the body and throws an EnvelopeError `body-too-large`: a runaway body never becomes an
 * out-of-memory crash. A connection that breaks mid-body gives a NetworkError.
 */
export async function readBody(response: ResponseLike, options: ReadBodyOptions = {}): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const total = await readChunks(response, options, (chunk) => chunks.push(chunk));
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/**
 * {@link readBody}, decoded as UTF-8 chunk by chunk while it arrives: the decoding of a large body
 * is spread over the reads instead of blocking the event loop in one piece at the end (where no
 * timeout can fire). Invalid bytes become U+FFFD, as parseEnvelope reads them.
 */
export function readBodyText(response: ResponseLike, options: ReadBodyOptions = {}): Promise<string> {
  // Most answers arrive in one chunk: that one is decoded in a single plain call at the end, as
  // streaming mode goes through a slower decoder on Node 20. From a second chunk on, decoding
  // follows the reads, in a decoder of this body's own.
  let decoder: TextDecoder | undefined;
  const parts: string[] = [];
  let first: Uint8Array | undefined;
  let chunks = 0;
  const take = (chunk: Uint8Array) => {
    if (++chunks === 1) first = chunk;
    else {
      if (chunks === 2) parts.push((decoder = new TextDecoder('utf-8')).decode(first, { stream: true }));
      parts.push(decoder!.decode(chunk, { stream: true }));
    }
  };
  // Not async: a `then` is one promise where an async function and its await are two.
  return readChunks(response, options, take).then(() => {
    if (chunks === 0) return '';
    if (decoder === undefined) return WHOLE_TEXT.decode(first);
    parts.push(decoder.decode());
    return parts.join('');
  });
}

/** Decodes whole bodies only (one call each, never in streaming mode), so one is shared. */
const WHOLE_TEXT = new TextDecoder('utf-8');

/** The EnvelopeError of a body past its cap (`seen`: what showed it). */
function tooLarge(response: ResponseLike, options: ReadBodyOptions, maxBytes: number, seen: string): EnvelopeError {
  return new EnvelopeError({
    reason: 'body-too-large',
    detail: `the body is larger than the ${maxBytes}-byte limit (${seen})`,
    httpStatus: response.status,
    requestId: headerValue(response.headers, 'x-tc-requestid') ?? undefined,
    contentType: headerValue(response.headers, 'content-type'),
    ...options.context,
  });
}

/** Reads a body with the cap, the signal and the error rules of {@link readBody}; each chunk goes to `take`. Returns the byte count. */
async function readChunks(
  response: ResponseLike,
  options: ReadBodyOptions,
  take: (chunk: Uint8Array) => void,
): Promise<number> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (typeof response !== 'object' || response === null) {
    throw new EnvelopeError({
      reason: 'unreadable-body',
      detail: `the response is ${describeValue(response)}, not a response object`,
      ...options.context,
    });
  }
  const { signal } = options;
  const { body } = response;
  if (body === null || body === undefined) return 0;
  // A body already whole in memory (the Node sender's answer that came with its head) is read
  // in one turn, with no promise per chunk.
  const whole = Array.isArray(body) ? (body as unknown[])[Symbol.iterator]() : undefined;
  const source = whole === undefined ? byteSource(body) : undefined;
  const declared = Number(headerValue(response.headers, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await source?.cancel();
    throw tooLarge(response, options, maxBytes, `Content-Length ${declared}`);
  }
  signal?.throwIfAborted();
  let total = 0;
  // Without a signal (a sender that ends the body itself on abort), no listener.
  const onAbort = signal === undefined || source === undefined ? undefined : () => void source.cancel(signal.reason);
  if (onAbort !== undefined) signal!.addEventListener('abort', onAbort, { once: true });
  const failure: ChunkFailure = {
    what: 'the connection broke while reading the response body',
    signal,
    context: options.context,
  };
  try {
    for (;;) {
      const step = whole === undefined ? await nextChunk(source!, failure) : chunkOf(whole.next(), undefined, failure);
      if (signal?.aborted) throw signal.reason;
      if (step.done) return total;
      const chunk = step.value;
      total += chunk.byteLength;
      if (total > maxBytes) {
        await source?.cancel();
        throw tooLarge(response, options, maxBytes, `${total} bytes read so far`);
      }
      take(chunk);
    }
  } finally {
    if (onAbort !== undefined) signal!.removeEventListener('abort', onAbort);
  }
}
