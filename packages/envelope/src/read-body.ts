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
export function byteSource(body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>): ByteSource {
  if (typeof (body as ReadableStream<Uint8Array>).getReader === 'function') {
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    return {
      next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
      cancel: (reason) => reader.cancel(reason).catch(() => undefined),
    };
  }
  const asyncIterable = (body as Partial<AsyncIterable<Uint8Array>>)[Symbol.asyncIterator];
  const syncIterable = (body as Partial<Iterable<Uint8Array>>)[Symbol.iterator];
  if (typeof asyncIterable !== 'function' && typeof syncIterable !== 'function') {
    throw new EnvelopeError({
      reason: 'unreadable-body',
      detail: 'the response body is neither a ReadableStream nor an (async) iterable of bytes',
    });
  }
  const iterator: AsyncIterator<Uint8Array> | Iterator<Uint8Array> =
    typeof asyncIterable === 'function' ? asyncIterable.call(body) : syncIterable!.call(body);
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

/**
 * The next chunk of a body. A body that breaks while being read becomes a NetworkError (the
 * request reached the server: it answered); an aborted `signal` rethrows its reason instead.
 */
export async function nextChunk(
  source: ByteSource,
  failure: { readonly what: string; readonly signal?: AbortSignal | undefined; readonly requestId?: string | undefined; readonly context?: CallContext | undefined },
): Promise<IteratorResult<Uint8Array>> {
  try {
    return await source.next();
  } catch (err) {
    if (failure.signal?.aborted) throw failure.signal.reason;
    // The sender's own idle timeout: a TimeoutError, now with the RequestId and the call.
    if (isTimeoutError(err)) {
      throw new TimeoutError({ scope: err.scope, timeoutMs: err.timeoutMs, mayHaveReachedServer: err.mayHaveReachedServer, requestId: failure.requestId, cause: err, ...failure.context });
    }
    throw new NetworkError({
      detail: `${failure.what} (${err instanceof Error ? err.message : String(err)})`,
      mayHaveReachedServer: true,
      requestId: failure.requestId,
      cause: err,
      ...failure.context,
    });
  }
}

/**
 * Reads a whole body with a size cap. Past the cap (or when `Content-Length` already says so) it
 * cancels the body and throws an EnvelopeError `body-too-large`: a runaway body never becomes an
 * out-of-memory crash. A connection that breaks mid-body gives a NetworkError.
 */
export async function readBody(response: ResponseLike, options: ReadBodyOptions = {}): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  const { signal } = options;
  if (response.body === null || response.body === undefined) return new Uint8Array(0);
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
  const chunks: Uint8Array[] = [];
  let total = 0;
  const onAbort = () => void source.cancel(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const step = await nextChunk(source, { what: 'the connection broke while reading the response body', signal, context: options.context });
      if (signal?.aborted) throw signal.reason;
      if (step.done) break;
      const chunk = typeof step.value === 'string' ? new TextEncoder().encode(step.value) : step.value;
      total += chunk.byteLength;
      if (total > maxBytes) {
        await source.cancel();
        throw tooLarge(`${total} bytes read so far`);
      }
      chunks.push(chunk);
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
