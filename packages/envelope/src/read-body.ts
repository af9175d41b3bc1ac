import { isTimeoutError, NetworkError, TimeoutError, type CallContext } from '@x/errors';
import type * as BodySource from './body-source';
import { headerValue } from './headers';
import { loadPart } from './load-part';

// What every answer's body needs: a web stream of Uint8Array (what fetch gives) or an array of
// them (what the Node sender of @x/transport gives for a body that came whole), read with a cap,
// a signal and the NetworkError of a connection that breaks. Anything else (an (async) iterable,
// chunks that are other views or strings, a body that cannot be read or is over its cap, all of
// which end in an EnvelopeError) goes through body-source.ts, loaded by import() when it shows:
// a separate chunk in browser bundles, so their first download has neither it nor EnvelopeError.

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

/** Where a body is being read: what a failure says, the signal and the call it belongs to. */
export interface ChunkFailure {
  readonly what: string;
  readonly signal?: AbortSignal | undefined;
  readonly requestId?: string | undefined;
  readonly context?: CallContext | undefined;
  /** The response's headers, for the RequestId of an error when the part that makes it cannot be loaded. */
  readonly headers?: ResponseLike['headers'] | undefined;
}

/** body-source.ts, loaded on first need; a failed load is a NetworkError, an abort of the signal its reason (see loadPart). */
export function bodySource(failure: Pick<ChunkFailure, 'context' | 'headers' | 'signal'>): Promise<typeof BodySource> {
  return loadPart(import('./body-source'), failure.context, failure.headers, failure.signal);
}

/**
 * The next chunk of a body, as bytes. A body that breaks while being read becomes a NetworkError
 * (the request reached the server: it answered); an aborted `signal` rethrows its reason instead.
 * A body that yields something other than bytes is an EnvelopeError `unreadable-body` (a sender's bug, not the network).
 * One promise per chunk (not an async function: two).
 */
export function nextChunk(source: ByteSource, failure: ChunkFailure): Promise<IteratorResult<Uint8Array>> {
  return source.next().then(
    (step: unknown) => (isByteStep(step) ? step : otherStep(step, source, failure)),
    (err: unknown) => {
      throw brokenBody(err, failure);
    },
  );
}

/** True for an iterator step that is done or holds a Uint8Array: all fetch ever gives. */
function isByteStep(step: unknown): step is IteratorResult<Uint8Array> {
  if (typeof step !== 'object' || step === null) return false;
  const { done, value } = step as { done?: unknown; value?: unknown };
  return done === true || value instanceof Uint8Array;
}

/** Any other step: bytes made of it, or the EnvelopeError `unreadable-body` (body-source.ts). */
function otherStep(
  step: unknown,
  source: ByteSource | undefined,
  failure: ChunkFailure,
): Promise<IteratorResult<Uint8Array>> {
  return bodySource(failure).then(
    (parts) => parts.chunkOf(step, source, failure),
    (err: unknown) => {
      // Without the code that reads it, the body is released all the same.
      void source?.cancel();
      throw err;
    },
  );
}

/** The error of a body whose read failed with `err`. */
export function brokenBody(err: unknown, failure: ChunkFailure): unknown {
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

/** What a value is, for messages: `null`, `an array`, `a number`... */
export function describeValue(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
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

/** A web stream's reader as a ByteSource; undefined for a body that is no web stream. Throws when it is locked. */
export function webStreamSource(body: NonNullable<ResponseLike['body']>): ByteSource | undefined {
  if (typeof (body as Partial<ReadableStream<Uint8Array>>).getReader !== 'function') return undefined;
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  return {
    next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
    cancel: (reason) => reader.cancel(reason).catch(() => undefined),
  };
}

/** The reader of any other body (body-source.ts). Its EnvelopeError (a locked stream, no bytes at all) is thrown here. */
async function sourceOf(body: NonNullable<ResponseLike['body']>, failure: ChunkFailure): Promise<ByteSource> {
  let source: ByteSource | undefined;
  try {
    source = webStreamSource(body);
  } catch (err) {
    throw (await bodySource(failure)).lockedBody(err);
  }
  return source ?? (await bodySource(failure)).byteSource(body);
}

/**
 * Releases a body that will not be read; none (null, undefined) or one that cannot even be read
 * has nothing to release (nor one whose reader could not be loaded: only bodies other than web
 * streams need it). Never throws.
 */
export async function releaseBody(
  body: ResponseLike['body'] | undefined,
  failure: Pick<ChunkFailure, 'context' | 'headers'>,
): Promise<void> {
  if (body === null || body === undefined) return;
  try {
    await (webStreamSource(body) ?? (await bodySource(failure)).byteSource(body)).cancel();
  } catch {
    // Nothing to release.
  }
}

/** Reads a body with the cap, the signal and the error rules of {@link readBody}; each chunk goes to `take`. Returns the byte count. */
async function readChunks(
  response: ResponseLike,
  options: ReadBodyOptions,
  take: (chunk: Uint8Array) => void,
): Promise<number> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (typeof response !== 'object' || response === null) {
    throw (await bodySource(options)).notAResponse(response, options.context);
  }
  const { signal } = options;
  const { body, headers } = response;
  if (body === null || body === undefined) return 0;
  const failure: ChunkFailure = {
    what: 'the connection broke while reading the response body',
    signal,
    context: options.context,
    headers,
  };
  // A body already whole in memory (the Node sender's answer that came with its head) is read
  // in one turn, with no promise per chunk.
  const whole = Array.isArray(body) ? (body as unknown[])[Symbol.iterator]() : undefined;
  const source = whole === undefined ? await sourceOf(body, failure) : undefined;
  const declared = Number(headerValue(headers, 'content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await source?.cancel();
    throw (await bodySource(failure)).tooLarge(response, options, maxBytes, `Content-Length ${declared}`);
  }
  signal?.throwIfAborted();
  let total = 0;
  // Without a signal (a sender that ends the body itself on abort), no listener.
  const onAbort = signal === undefined || source === undefined ? undefined : () => void source.cancel(signal.reason);
  if (onAbort !== undefined) signal!.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      let step: IteratorResult<Uint8Array>;
      if (whole === undefined) step = await nextChunk(source!, failure);
      else {
        const next: unknown = whole.next();
        step = isByteStep(next) ? next : await otherStep(next, undefined, failure);
      }
      if (signal?.aborted) throw signal.reason;
      if (step.done) return total;
      const chunk = step.value;
      total += chunk.byteLength;
      if (total > maxBytes) {
        await source?.cancel();
        throw (await bodySource(failure)).tooLarge(response, options, maxBytes, `${total} bytes read so far`);
      }
      take(chunk);
    }
  } finally {
    if (onAbort !== undefined) signal!.removeEventListener('abort', onAbort);
  }
}
