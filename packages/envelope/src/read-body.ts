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
    next: async () => iterator.next(),
    cancel: async () => {
      try {
        await iterator.return?.();
      } catch {
        // Releasing a body that already failed has nothing left to release.
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
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/**
 * The next chunk of a body, as bytes. A body that breaks while being read becomes a NetworkError
 * (the request reached the server: it answered); an aborted `signal` rethrows its reason instead.
 * A body that yields something other than bytes is an EnvelopeError `unreadable-body` (a sender's bug, not the network).
 */
export async function nextChunk(
  source: ByteSource,
  failure: {
    readonly what: string;
    readonly signal?: AbortSignal | undefined;
    readonly requestId?: string | undefined;
    readonly context?: CallContext | undefined;
  },
): Promise<IteratorResult<Uint8Array>> {
  let step: unknown;
  try {
    step = await source.next();
  } catch (err) {
    if (failure.signal?.aborted) throw failure.signal.reason;
    // The sender's own idle timeout: a TimeoutError, now with the RequestId and the call.
    if (isTimeoutError(err)) {
      throw new TimeoutError({
        scope: err.scope,
        timeoutMs: err.timeoutMs,
        mayHaveReachedServer: err.mayHaveReachedServer,
        requestId: failure.requestId,
        cause: err,
        ...failure.context,
      });
    }
    throw new NetworkError({
      detail: `${failure.what} (${err instanceof Error ? err.message : typeof err === 'string' ? err : describeValue(err)})`,
      mayHaveReachedServer: true,
      requestId: failure.requestId,
      cause: err,
      ...failure.context,
    });
  }
  const unreadable = (detail: string) => {
    void source.cancel();
    return new EnvelopeError({ reason: 'unreadable-body', detail, requestId: failure.requestId, ...failure.context });
  };
  if (typeof step !== 'object' || step === null)
    throw unreadable(`the response body's iterator answered ${describeValue(step)}, not an iterator result`);
  const { done, value } = step as { done?: unknown; value?: unknown };
  if (done === true) return { done: true, value: undefined };
  const bytes = asBytes(value);
  if (bytes === undefined) throw unreadable(`the response body yielded ${describeValue(value)}, not bytes`);
  return { done: false, value: bytes };
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
export async function readBodyText(response: ResponseLike, options: ReadBodyOptions = {}): Promise<string> {
  const decoder = new TextDecoder('utf-8');
  const parts: string[] = [];
  // Most answers arrive in one chunk: that one is decoded in a single plain call at the end, as
  // streaming mode goes through a slower decoder on Node 20. From a second chunk on, decoding
  // follows the reads.
  let first: Uint8Array | undefined;
  let chunks = 0;
  await readChunks(response, options, (chunk) => {
    if (++chunks === 1) first = chunk;
    else {
      if (chunks === 2) parts.push(decoder.decode(first, { stream: true }));
      parts.push(decoder.decode(chunk, { stream: true }));
    }
  });
  if (chunks === 0) return '';
  if (chunks === 1) return decoder.decode(first);
  parts.push(decoder.decode());
  return parts.join('');
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
  if (response.body === null || response.body === undefined) return 0;
  const source = byteSource(response.body);
  const tooLarge = (seen: string) =>
    new EnvelopeError({
      reason: 'body-too-large',
      detail: `the body is larger than the ${maxBytes}-byte limit (${seen})`,
      httpStatus: response.status,
      requestId: headerValue(response.headers, 'x-tc-requestid') ?? undefined,
      contentType: headerValue(response.headers, 'content-type'),
      ...options.context,
    });
  const declared = Number(headerValue(response.headers, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await source.cancel();
    throw tooLarge(`Content-Length ${declared}`);
  }
  signal?.throwIfAborted();
  let total = 0;
  const onAbort = () => void source.cancel(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const step = await nextChunk(source, {
        what: 'the connection broke while reading the response body',
        signal,
        context: options.context,
      });
      if (signal?.aborted) throw signal.reason;
      if (step.done) return total;
      const chunk = step.value;
      total += chunk.byteLength;
      if (total > maxBytes) {
        await source.cancel();
        throw tooLarge(`${total} bytes read so far`);
      }
      take(chunk);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
