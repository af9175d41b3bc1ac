// The response head (status line and header fields) of an HTTP/1.1 answer, parsed strictly by
// RFC 9112: what one parser accepts and another refuses is how responses get smuggled, so every
// deviation is an error here (the connection is then closed, never reused).

/** Longest response head accepted (status line and headers, final CRLF CRLF included). */
export const MAX_HEAD_BYTES = 64 * 1024;

/** Bytes of a response that break HTTP/1.1: the connection carrying them cannot be trusted. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

export interface ResponseHead {
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  readonly minor: 0 | 1;
  readonly status: number;
  /** Lower-case names; repeated fields joined with ", " (as fetch's Headers does). */
  readonly headers: Map<string, string>;
}

const LF = 0x0a;
const CR = 0x0d;
const STATUS_LINE = /^HTTP\/1\.([01]) ([1-5]\d\d)(?:$| [\t\x20-\x7e\x80-\xff]*$)/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A field value may hold HTAB, SP, VCHAR and obs-text: never NUL, CR, LF or other controls. */
const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;

/**
 * Finds the end of a response head in `buffer`, looking from `from` (bytes before it were
 * already checked). Returns the index just past the blank line, or -1 when more bytes are
 * needed. Throws a ProtocolError at once on a bare LF or a bare CR, so a head with wrong line
 * ends fails fast instead of waiting for a CRLF CRLF that will never come.
 */
export function findHeadEnd(buffer: Uint8Array, from: number): number {
  for (let i = buffer.indexOf(LF, from); i >= 0; i = buffer.indexOf(LF, i + 1)) {
    // Stryker disable next-line ConditionalExpression: `i === 0` is a shortcut: buffer[-1] is undefined, not CR, so the LF is bare either way
    if (i === 0 || buffer[i - 1] !== CR) throw new ProtocolError('the response head has a line ending in a bare LF');
    if (i >= 3 && buffer[i - 2] === LF && buffer[i - 3] === CR) return i + 1;
  }
  // A CR must be followed by LF: look for a CR that is not (the last byte may still get its LF;
  // the byte before `from` may be a CR whose LF is the first new byte).
  for (
    let i = buffer.indexOf(CR, Math.max(0, from - 1));
    i >= 0 && i < buffer.length - 1;
    i = buffer.indexOf(CR, i + 1)
  ) {
    if (buffer[i + 1] !== LF) throw new ProtocolError('the response head has a bare CR');
  }
  return -1;
}

/**
 * Header names already checked, raw spelling to lower case: a server sends the same dozen names
 * on every answer, so the token check and the lower-casing run once per name, not per answer.
 * Bounded (a server inventing names cannot grow it past this).
 */
const checkedNames = new Map<string, string>();
const MAX_CHECKED_NAMES = 512;

/** The lower-case form of a response header name, or a ProtocolError when it is not a token. */
function headerName(name: string): string {
  const known = checkedNames.get(name);
  // Stryker disable next-line ConditionalExpression: a cache; checking the name again gives the same answer
  if (known !== undefined) return known;
  if (!TOKEN.test(name))
    throw new ProtocolError(`the response has an invalid header name ${JSON.stringify(name.slice(0, 40))}`);
  const lower = name.toLowerCase();
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the bound only limits the cache's memory; every name is checked either way
  if (checkedNames.size < MAX_CHECKED_NAMES) checkedNames.set(name, lower);
  return lower;
}

/** `line` from `start`, without the spaces and tabs around the value (RFC 9110 §5.5 OWS). */
function fieldValue(line: string, start: number): string {
  let from = start;
  let to = line.length;
  // Stryker disable next-line EqualityOperator,ConditionalExpression: without the `from < to` bound the loop still stops (NaN past the end) and the slice is the same
  while (from < to && (line.charCodeAt(from) === 0x20 || line.charCodeAt(from) === 0x09)) from++;
  // Stryker disable next-line EqualityOperator,ConditionalExpression: without the `to > from` bound the loop still stops (at the colon) and the slice is the same
  while (to > from && (line.charCodeAt(to - 1) === 0x20 || line.charCodeAt(to - 1) === 0x09)) to--;
  // Stryker disable next-line ConditionalExpression: slicing the whole line returns an equal string (the test saves the copy)
  return from === 0 && to === line.length ? line : line.slice(from, to);
}

/**
 * Parses a complete head (as Latin-1 text, final CRLF CRLF excluded): status 100-599, token
 * field names with no whitespace before the colon, no obs-fold, values free of control bytes,
 * one Content-Length of digits only, no Content-Length beside Transfer-Encoding.
 */
export function parseResponseHead(text: string): ResponseHead {
  const lines = text.split('\r\n');
  const status = STATUS_LINE.exec(lines[0]!);
  if (status === null)
    throw new ProtocolError(
      `the server did not answer in HTTP/1.1 (status line ${JSON.stringify(lines[0]!.slice(0, 40))})`,
    );
  const headers = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) {
      throw new ProtocolError(
        line[0] === ' ' || line[0] === '\t'
          ? 'the response head has an obs-fold continuation line'
          : 'the response head has a line that is not a header field',
      );
    }
    const name = line.slice(0, colon);
    const lower = headerName(name);
    // The whole line is checked: the name part is a token already, so a hit is in the value.
    if (BAD_VALUE.test(line))
      throw new ProtocolError(`the value of the response header ${name} has a control character`);
    const value = fieldValue(line, colon + 1);
    const previous = headers.get(lower);
    if (previous !== undefined && lower === 'content-length')
      throw new ProtocolError(`the response has more than one ${name} header`);
    headers.set(lower, previous === undefined ? value : `${previous}, ${value}`);
  }
  const contentLength = headers.get('content-length');
  if (contentLength !== undefined) {
    if (!/^\d{1,15}$/.test(contentLength))
      throw new ProtocolError(
        `the response has an invalid Content-Length ${JSON.stringify(contentLength.slice(0, 40))}`,
      );
    if (headers.has('transfer-encoding'))
      throw new ProtocolError('the response has both Content-Length and Transfer-Encoding');
  }
  return { minor: status[1] === '1' ? 1 : 0, status: Number(status[2]), headers };
}

/** How the body of an answer is delimited (RFC 9112 §6.3). */
export type BodyFraming =
  | { readonly kind: 'none' }
  | { readonly kind: 'close' }
  | { readonly kind: 'length'; readonly length: number }
  | { readonly kind: 'chunked' };

/** The framing of a final (non-1xx) answer to `method`. */
export function bodyFraming(method: string, head: ResponseHead): BodyFraming {
  if (method === 'HEAD' || head.status === 204 || head.status === 304) return { kind: 'none' };
  const transferEncoding = head.headers.get('transfer-encoding');
  if (transferEncoding !== undefined) {
    // chunked as the final coding: chunked framing; any other final coding: the body runs to
    // the close (RFC 9112 §6.3), as node:http and undici read it.
    return /(?:^|,)[\t ]*chunked[\t ]*$/i.test(transferEncoding) ? { kind: 'chunked' } : { kind: 'close' };
  }
  const contentLength = head.headers.get('content-length');
  if (contentLength !== undefined) return { kind: 'length', length: Number(contentLength) };
  return { kind: 'close' };
}

/** Whether a Connection header value says `close` (or, for HTTP/1.0, `keep-alive`): the last value seen is remembered, servers repeat it. */
let lastConnection = { value: '', close: false, keepAlive: false };

/** Whether the connection may carry another request after this answer (framing aside). */
export function keepsAlive(head: ResponseHead): boolean {
  // Stryker disable next-line StringLiteral: any default without the close or keep-alive token reads as no Connection header
  const value = head.headers.get('connection') ?? '';
  // Stryker disable next-line ConditionalExpression: a cache of the last value; parsing again gives the same answer
  if (value !== lastConnection.value) {
    const lower = value.toLowerCase();
    lastConnection = {
      value,
      close: /(?:^|,)\s*close\s*(?:,|$)/.test(lower),
      keepAlive: /(?:^|,)\s*keep-alive\s*(?:,|$)/.test(lower),
    };
  }
  return head.minor === 1 ? !lastConnection.close : lastConnection.keepAlive;
}

let lastKeepAlive: { readonly value: string; readonly ms: number | undefined } = { value: '', ms: undefined };

/** The server's idle limit from `Keep-Alive: timeout=N` (ms), or undefined. */
export function serverKeepAliveMs(head: ResponseHead): number | undefined {
  const keepAlive = head.headers.get('keep-alive');
  // Stryker disable next-line ConditionalExpression: without the header the regex finds no timeout either, so the answer is undefined both ways
  if (keepAlive === undefined) return undefined;
  // Stryker disable next-line ConditionalExpression: a cache of the last value; parsing again gives the same answer
  if (keepAlive !== lastKeepAlive.value) {
    const timeout = /(?:^|[,;\s])timeout\s*=\s*"?(\d{1,9})"?/i.exec(keepAlive);
    lastKeepAlive = { value: keepAlive, ms: timeout === null ? undefined : Number(timeout[1]) * 1000 };
  }
  return lastKeepAlive.ms;
}
