import { EnvelopeError, UsageError } from '@x/errors';
import type { JsonModule } from './envelope-shape';
import { EventParser } from './event-parser';
import { DEFAULT_MAX_EVENT_BYTES, type EventStreamOptions, type ServerSentEvent } from './event-stream';
import { requestIdFromHeaders } from './headers';
import { byteSource } from './body-source';
import { nextChunk, releaseBody } from './read-body';

/** What parseEventStream runs, once this module and the JSON parser (`json`) are loaded (see event-stream.ts). */
export async function* readEvents<T>(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  meta: EventStreamOptions,
  json: JsonModule,
): AsyncGenerator<ServerSentEvent<T>, void, undefined> {
  const maxEventBytes = meta.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
  if (typeof maxEventBytes !== 'number' || !(maxEventBytes > 0)) {
    // The body of an answer that came is released, not left holding the connection.
    void releaseBody(body, { context: meta.context });
    throw new UsageError(`must be a positive number of bytes, got ${String(maxEventBytes)}`, {
      argument: 'maxEventBytes',
    });
  }
  if (body === null || body === undefined || (typeof body !== 'object' && typeof body !== 'function')) {
    throw new EnvelopeError({
      reason: 'invalid-event-stream',
      detail: 'there is no body to read events from',
      ...meta.context,
    });
  }
  const source = byteSource(body);
  const decoder = new TextDecoder('utf-8');
  const requestId = requestIdFromHeaders(meta.headers);
  const parser = new EventParser<T>(meta, maxEventBytes, requestId, json);
  const failure = { what: 'the event stream broke', requestId, context: meta.context, signal: meta.signal };
  // An abort cancels the body (a read waiting for the next chunk ends) and the iteration throws its reason.
  const { signal } = meta;
  const stop = signal === undefined ? undefined : () => void source.cancel(signal.reason);
  if (stop !== undefined) signal!.addEventListener('abort', stop, { once: true });
  let finished = false;
  try {
    for (;;) {
      signal?.throwIfAborted();
      const step = await nextChunk(source, failure);
      // A cancelled body reads as ended: the abort, not the end, is what happened.
      if (signal?.aborted) throw signal.reason;
      finished = step.done === true;
      const events = parser.feed(step.done ? decoder.decode() : decoder.decode(step.value, { stream: true }));
      for (const event of events) yield event;
      await parser.throwIfFailed();
      if (finished) return;
    }
  } finally {
    if (stop !== undefined) signal!.removeEventListener('abort', stop);
    if (!finished) await source.cancel();
  }
}
