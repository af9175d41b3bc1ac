import { EnvelopeError } from '@x/errors';
import type { JsonModule } from './envelope-shape';
import { headerValue } from './headers';
import { decodeData, failOnError, thrownError } from './event-errors';
import type { EventStreamOptions, ServerSentEvent } from './event-stream';

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

/**
 * The WHATWG event-stream rules over decoded text, chunk by chunk. Each character is scanned a
 * fixed number of times: a line that arrives in a million chunks costs what it costs in one.
 * `feed` returns the events the chunk completed; an error it met (an event too large, an error
 * event) is kept until those events are handed out, then thrown by `throwIfFailed`.
 */
export class EventParser<T> {
  /** The line still arriving, in pieces (joined once, when its end comes: never re-scanned). */
  private pending: string[] = [];
  /** The last chunk ended in CR: an LF at the start of the next one is the rest of that CRLF. */
  private afterCr = false;
  /** UTF-8 bytes of the event so far, the pending line included. */
  private eventBytes = 0;
  private data: string[] = [];
  private sawData = false;
  private eventType = '';
  private lastId: string | undefined;
  private retry: number | undefined;
  private readonly ready: ServerSentEvent<T>[] = [];
  private failure: { readonly error: unknown } | undefined;
  // Line ends are found by the regex engine, not a loop in JS: per parser, as `lastIndex` is state.
  private readonly lineEnd = /[\r\n]/g;

  constructor(
    private readonly meta: EventStreamOptions,
    private readonly maxEventBytes: number,
    private readonly requestId: string | undefined,
    private readonly json: JsonModule,
  ) {}

  /** The events this text completes (the same array each time: read it before the next feed). */
  feed(text: string): ServerSentEvent<T>[] {
    this.ready.length = 0;
    try {
      this.scan(text);
    } catch (error) {
      this.failure = { error };
    }
    return this.ready;
  }

  async throwIfFailed(): Promise<void> {
    if (this.failure !== undefined) throw await thrownError(this.failure.error);
  }

  private scan(text: string): void {
    let start = 0;
    if (this.afterCr && text.length > 0) {
      this.afterCr = false;
      if (text.charCodeAt(0) === 10) start = 1;
    }
    const lineEnd = this.lineEnd;
    lineEnd.lastIndex = start;
    for (let end = lineEnd.exec(text); end !== null; end = lineEnd.exec(text)) {
      const at = end.index;
      let line = text.slice(start, at);
      this.count(line);
      if (this.pending.length > 0) {
        this.pending.push(line);
        line = this.pending.join('');
        this.pending = [];
      }
      if (text.charCodeAt(at) === 13) {
        if (at + 1 === text.length) this.afterCr = true;
        else if (text.charCodeAt(at + 1) === 10) lineEnd.lastIndex = at + 2;
      }
      start = lineEnd.lastIndex;
      if (line === '') this.dispatch();
      else this.field(line);
    }
    if (start < text.length) {
      const rest = text.slice(start);
      this.count(rest);
      this.pending.push(rest);
    }
  }

  private count(piece: string): void {
    this.eventBytes += utf8Length(piece);
    if (this.eventBytes > this.maxEventBytes) {
      throw new EnvelopeError({
        reason: 'body-too-large',
        detail: `one event is larger than the ${this.maxEventBytes}-byte limit (maxEventBytes)`,
        requestId: this.requestId,
        contentType: headerValue(this.meta.headers, 'content-type'),
        ...this.meta.context,
      });
    }
  }

  private field(line: string): void {
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const name = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'data') {
      this.data.push(value);
      this.sawData = true;
    } else if (name === 'event') this.eventType = value;
    else if (name === 'id') {
      if (!value.includes('\0')) this.lastId = value;
    } else if (name === 'retry') {
      if (/^\d+$/.test(value)) this.retry = Number(value);
    }
  }

  private dispatch(): void {
    this.eventBytes = 0;
    const type = this.eventType;
    this.eventType = '';
    if (!this.sawData) return;
    const text = this.data.join('\n');
    this.data = [];
    this.sawData = false;
    const event: { event?: string; id?: string; retry?: number; data: T } = {
      data: decodeData(text, this.meta, this.requestId, this.json) as T,
    };
    if (type !== '') event.event = type;
    if (this.lastId !== undefined) event.id = this.lastId;
    if (this.retry !== undefined) event.retry = this.retry;
    failOnError(event.event, event.data, this.requestId, this.meta);
    this.ready.push(event);
  }
}
