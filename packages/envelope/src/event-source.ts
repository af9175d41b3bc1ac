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
  let finished = false;
  try {
    for (;;) {
      const step = await nextChunk(source, { what: 'the event stream broke', requestId, context: meta.context });
      finished = step.done === true;
      const events = parser.feed(step.done ? decoder.decode() : decoder.decode(step.value, { stream: true }));
      for (const event of events) yield event;
      await parser.throwIfFailed();
      if (finished) return;
    }
  } finally {
    if (!finished) await source.cancel();
  }
}
