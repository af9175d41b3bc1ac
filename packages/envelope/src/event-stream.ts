import { ApiError, EnvelopeError } from '@x/errors';
import { requestIdFromHeaders } from './headers';
import { JsonSyntaxError, parseJson, type JsonValue } from './json';
import type { EnvelopeMeta } from './parse-envelope';
import { byteSource, nextChunk } from './read-body';

/** One Server-Sent Event. `data` is JSON-parsed when it is JSON, else the text. */
export interface ServerSentEvent<T = unknown> {
  readonly event?: string;
  readonly id?: string;
  readonly retry?: number;
  readonly data: T;
}

/**
 * Parses a `text/event-stream` body into events, following the WHATWG event-stream rules:
 * `event:`, `id:`, `retry:`, comment lines, multi-line `data:` joined with `\n`, CRLF / LF / CR
 * line ends, a leading BOM, and chunks split at any byte (even inside a UTF-8 character).
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
  meta: EnvelopeMeta = {},
): AsyncGenerator<ServerSentEvent<T>, void, undefined> {
  if (body === null || body === undefined || (typeof body !== 'object' && typeof body !== 'function')) {
    throw new EnvelopeError({ reason: 'invalid-event-stream', detail: 'there is no body to read events from', ...meta.context });
  }
  const source = byteSource(body);
  const decoder = new TextDecoder('utf-8');
  const requestId = requestIdFromHeaders(meta.headers);
  let finished = false;
  let buffer = '';
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
    const event: { event?: string; id?: string; retry?: number; data: T } = { data: decodeData(text, meta) as T };
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

  try {
    for (;;) {
      const step = await nextChunk(source, { what: 'the event stream broke', requestId, context: meta.context });
      if (step.done) {
        finished = true;
        buffer += decoder.decode();
      } else {
        buffer += typeof step.value === 'string' ? step.value : decoder.decode(step.value, { stream: true });
      }
      // Split complete lines. A CR at the very end may be the first half of a CRLF: keep it
      // for the next chunk unless the stream is over.
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const ch = buffer.charCodeAt(i);
        if (ch !== 10 && ch !== 13) continue;
        if (ch === 13 && i === buffer.length - 1 && !finished) break;
        const line = buffer.slice(start, i);
        if (ch === 13 && buffer.charCodeAt(i + 1) === 10) i++;
        start = i + 1;
        if (line === '') {
          const event = dispatch();
          if (event !== undefined) yield event;
        } else field(line);
      }
      buffer = buffer.slice(start);
      if (finished) return;
    }
  } finally {
    if (!finished) await source.cancel();
  }
}

function decodeData(text: string, meta: EnvelopeMeta): unknown {
  const first = text.trimStart()[0];
  if (first !== '{' && first !== '[') return text;
  try {
    return parseJson(text, meta.integers);
  } catch (err) {
    if (err instanceof JsonSyntaxError) return text;
    throw err;
  }
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
      code: String(errorMsg['Code']),
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
      serverMessage: JSON.stringify(data).slice(0, 200),
      requestId: requestId ?? '',
      catalogs: meta.catalogs,
      locale: meta.locale,
      ...meta.context,
    });
  }
}
