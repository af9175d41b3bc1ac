import type { JsonModule } from './envelope-shape';
import type * as EventSource from './event-source';
import { loadPart } from './load-part';
import type { EnvelopeMeta } from './parse-envelope';
import { releaseBody } from './read-body';

/** One Server-Sent Event. `data` is JSON-parsed when it is JSON, else the text. */
export interface ServerSentEvent<T = unknown> {
  readonly event?: string;
  readonly id?: string;
  readonly retry?: number;
  readonly data: T;
}

/** The default cap on one event: 32 MiB (a 16 MiB line fits, with room to spare). */
export const DEFAULT_MAX_EVENT_BYTES = 32 * 1024 * 1024;

/** Options of {@link parseEventStream}: what is known about the response, plus the size cap of one event. */
export interface EventStreamOptions extends EnvelopeMeta {
  /**
   * Refuse an event (all its lines, and the line still arriving) larger than this many UTF-8 bytes,
   * with an EnvelopeError `body-too-large`; the body is cancelled. Without a cap a server that never
   * sends a line end would grow one string until the process runs out of memory. Default 32 MiB.
   */
  readonly maxEventBytes?: number | undefined;
  /**
   * Abort the read: the iteration throws the signal's reason and the body is cancelled, whether it
   * is waiting for the next chunk or for the parser's code (loaded at the first event, see below).
   */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Parses a `text/event-stream` body into events, following the WHATWG event-stream rules:
 * `event:`, `id:`, `retry:`, comment lines, multi-line `data:` joined with `\n`, CRLF / LF / CR
 * line ends, a leading BOM, and chunks split at any byte (even inside a UTF-8 character).
 * Each character is scanned a fixed number of times (see EventParser).
 *
 * A mid-stream error ends the iteration with an ApiError carrying the stream's RequestId (the
 * `X-TC-RequestId` header): an event whose data has `ErrorMsg {Code, Msg}` (hunyuan), or an
 * `event: error` whose data is an error envelope (CLS). An event cut off by the end of the
 * stream is dropped, as the standard says. Leaving the loop early cancels the body.
 *
 * @example
 * for await (const event of parseEventStream(response.body, { headers: response.headers })) {
 *   process.stdout.write(event.data.Choices[0].Delta.Content);
 * }
 */
export async function* parseEventStream<T = unknown>(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  meta: EventStreamOptions = {},
): AsyncGenerator<ServerSentEvent<T>, void, undefined> {
  // The parser (event-source.ts, event-parser.ts, event-errors.ts) is its own chunk in browser
  // bundles, loaded when a stream is first read: a client that never streams never fetches it.
  // The JSON parser of the events' data is the file readEnvelope loads (json.ts), not a copy.
  let parts: [typeof EventSource, JsonModule];
  try {
    meta.signal?.throwIfAborted();
    parts = await Promise.all([
      loadPart(import('./event-source'), meta.context, meta.headers, meta.signal),
      loadPart(import('./json'), meta.context, meta.headers, meta.signal),
    ]);
  } catch (err) {
    // The answer came: its body is released, not left holding the connection (not awaited: a
    // cancel that never settles must not hold the error back; releaseBody swallows its failures).
    void releaseBody(body, { context: meta.context });
    throw err;
  }
  yield* parts[0].readEvents<T>(body, meta, parts[1]);
}
