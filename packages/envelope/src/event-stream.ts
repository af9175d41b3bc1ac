import { ApiError, EnvelopeError, UsageError } from '@x/errors';
import { headerValue, requestIdFromHeaders } from './headers';
import { JsonLimitError, JsonSyntaxError, parseJson, type JsonValue } from './json';
import type { EnvelopeMeta } from './parse-envelope';
import { byteSource, nextChunk } from './read-body';

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
}

/**
 * Parses a `text/event-stream` body into events, following the WHATWG event-stream rules:
 * `event:`, `id:`, `retry:`, comment lines, multi-line `data:` joined with `\n`, CRLF / LF / CR
 * line ends, a leading BOM, and chunks split at any byte (even inside a UTF-8 character).
 * Each character is scanned a fixed number of times: a line that arrives in a million chunks costs what it costs in one.
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
  const maxEventBytes = meta.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
  if (typeof maxEventBytes !== 'number' || !(maxEventBytes > 0)) {
    throw new UsageError(`must be a positive number of bytes, got ${String(maxEventBytes)}`, { argument: 'maxEventBytes' });
  }
  if (body === null || body === undefined || (typeof body !== 'object' && typeof body !== 'function')) {
    throw new EnvelopeError({ reason: 'invalid-event-stream', detail: 'there is no body to read events from', ...meta.context });
  }
  const source = byteSource(body);
  const decoder = new TextDecoder('utf-8');
  const requestId = requestIdFromHeaders(meta.headers);
  let finished = false;
  // The line still arriving, in pieces (joined once, when its end comes: never re-scanned).
  let pending: string[] = [];
  // The last chunk ended in CR: an LF at the start of the next one is the rest of that CRLF.
  let afterCr = false;
  // UTF-8 bytes of the event so far, the pending line included.
  let eventBytes = 0;
  let data: string[] = [];
  let eventType = '';
  let lastId: string | undefined;
  let retry: number | undefined;
  let sawData = false;

  const dispatch = (): ServerSentEvent<T> | undefined => {
    const type = eventType;
    eventType = '';
    if (!sawData) return undefined;
    const text = data.join('\n');
    data = [];
    sawData = false;
    const event: { event?: string; id?: string; retry?: number; data: T } = { data: decodeData(text, meta, requestId) as T };
    if (type !== '') event.event = type;
    if (lastId !== undefined) event.id = lastId;
    if (retry !== undefined) event.retry = retry;
    failOnError(event, requestId, meta);
    return event;
  };

  const field = (line: string): void => {
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'data') {
      data.push(value);
      sawData = true;
    } else if (name === 'event') eventType = value;
    else if (name === 'id') {
      if (!value.includes('\0')) lastId = value;
    } else if (name === 'retry') {
      if (/^\d+$/.test(value)) retry = Number(value);
    }
  };

  const tooLarge = () =>
    new EnvelopeError({
      reason: 'body-too-large',
      detail: `one event is larger than the ${maxEventBytes}-byte limit (maxEventBytes)`,
      requestId,
      contentType: headerValue(meta.headers, 'content-type'),
      ...meta.context,
    });

  // Line ends are found by the regex engine, not a loop in JS: per generator, as `lastIndex` is state.
  const lineEnd = /[\r\n]/g;
  const count = (piece: string): void => {
    eventBytes += utf8Length(piece);
    if (eventBytes > maxEventBytes) throw tooLarge();
  };

  try {
    for (;;) {
      const step = await nextChunk(source, { what: 'the event stream broke', requestId, context: meta.context });
      let text: string;
      if (step.done) {
        finished = true;
        text = decoder.decode();
      } else {
        text = decoder.decode(step.value, { stream: true });
      }
      let start = 0;
      if (afterCr && text.length > 0) {
        afterCr = false;
        if (text.charCodeAt(0) === 10) start = 1;
      }
      lineEnd.lastIndex = start;
      for (let end = lineEnd.exec(text); end !== null; end = lineEnd.exec(text)) {
        const at = end.index;
        let line = text.slice(start, at);
        count(line);
        if (pending.length > 0) {
          pending.push(line);
          line = pending.join('');
          pending = [];
        }
        if (text.charCodeAt(at) === 13) {
          if (at + 1 === text.length) afterCr = true;
          else if (text.charCodeAt(at + 1) === 10) lineEnd.lastIndex = at + 2;
        }
        start = lineEnd.lastIndex;
        if (line === '') {
          eventBytes = 0;
          const event = dispatch();
          if (event !== undefined) yield event;
        } else field(line);
      }
      if (start < text.length) {
        const rest = text.slice(start);
        count(rest);
        pending.push(rest);
      }
      if (finished) return;
    }
  } finally {
    if (!finished) await source.cancel();
  }
}

const NON_ASCII = /[^\x00-\x7f]/;

/** UTF-8 length of a string: its length when ASCII (checked natively), else counted; a surrogate pair counts 4. */
function utf8Length(text: string): number {
  if (!NON_ASCII.test(text)) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    bytes += ch < 0x80 ? 1 : ch < 0x800 || (ch >= 0xd800 && ch <= 0xdfff) ? 2 : 3;
  }
  return bytes;
}

function decodeData(text: string, meta: EnvelopeMeta, requestId: string | undefined): unknown {
  const first = /^\s*(.)/s.exec(text)?.[1];
  if (first !== '{' && first !== '[') return text;
  try {
    return parseJson(text, meta.integers);
  } catch (err) {
    if (err instanceof JsonLimitError) {
      throw new EnvelopeError({ reason: 'invalid-event-stream', detail: `an event's data: ${err.message}`, requestId, cause: err, ...meta.context });
    }
    if (err instanceof JsonSyntaxError) return text;
    throw err;
  }
}

/** JSON text of a parsed value for a message: bigints as digits, never a throw (cycles cannot occur; depth can). */
function jsonText(value: JsonValue): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? '';
  } catch {
    return 'the stream reported an error';
  }
}

/** An error code as text: strings and numbers as they are, anything else as its JSON. */
function codeText(value: JsonValue): string {
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'bigint' ? value.toString() : jsonText(value);
}

function failOnError(event: ServerSentEvent, requestId: string | undefined, meta: EnvelopeMeta): void {
  const data = event.data as JsonValue;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    if (event.event === 'error') {
      throw new ApiError({
        code: 'InternalError',
        serverMessage: typeof data === 'string' ? data : 'the stream reported an error',
        requestId: requestId ?? '',
        catalogs: meta.catalogs,
        locale: meta.locale,
        ...meta.context,
      });
    }
    return;
  }
  // CLS: `event: error` with a whole error envelope. Also accepted without the event name.
  const response = data['Response'];
  if (typeof response === 'object' && response !== null && !Array.isArray(response)) {
    const error = response['Error'];
    if (typeof error === 'object' && error !== null && !Array.isArray(error) && typeof error['Code'] === 'string') {
      const id = typeof response['RequestId'] === 'string' ? response['RequestId'] : (requestId ?? '');
      throw new ApiError({
        code: error['Code'],
        serverMessage: typeof error['Message'] === 'string' ? error['Message'] : '',
        requestId: id,
        catalogs: meta.catalogs,
        locale: meta.locale,
        ...meta.context,
      });
    }
  }
  // hunyuan: `ErrorMsg: { Code: 4001, Msg: "..." }` inside an event.
  const errorMsg = data['ErrorMsg'];
  if (typeof errorMsg === 'object' && errorMsg !== null && !Array.isArray(errorMsg) && errorMsg['Code'] !== undefined && errorMsg['Code'] !== 0) {
    const id = typeof data['Id'] === 'string' && requestId === undefined ? data['Id'] : (requestId ?? '');
    throw new ApiError({
      code: codeText(errorMsg['Code']!),
      serverMessage: typeof errorMsg['Msg'] === 'string' ? errorMsg['Msg'] : '',
      requestId: id,
      catalogs: meta.catalogs,
      locale: meta.locale,
      ...meta.context,
    });
  }
  if (event.event === 'error') {
    throw new ApiError({
      code: 'InternalError',
      serverMessage: jsonText(data).slice(0, 200),
      requestId: requestId ?? '',
      catalogs: meta.catalogs,
      locale: meta.locale,
      ...meta.context,
    });
  }
}
