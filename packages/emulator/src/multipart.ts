// A multipart/form-data parser for request bodies (RFC 7578 on RFC 2046), written for untrusted
// bytes: it works on a body already capped in size, scans every byte a bounded number of times
// (delimiters are found with Buffer#indexOf from where the previous search ended, each part's
// header search stays inside the part), caps parts and header sizes, and reports anything
// malformed as a MalformedMultipart, never as another exception.

/** Why a multipart body was refused; the emulator answers it as `InvalidParameter`. */
export class MalformedMultipart extends Error {
  override readonly name = 'MalformedMultipart';
}

/** Limits of {@link parseMultipart}; the body itself is capped by the request size limit. */
export interface MultipartLimits {
  /** Parts at most. */
  readonly maxParts: number;
  /** Bytes of one part's header section at most. */
  readonly maxHeaderBytes: number;
}

export const MULTIPART_LIMITS: MultipartLimits = { maxParts: 1000, maxHeaderBytes: 8 * 1024 };

/** Counts the bytes each search was allowed to look at: tests check the total stays linear. */
export interface ScanMeter {
  scanned: number;
}

// RFC 2046: 1 to 70 of these characters, the last not a space.
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const CR = 13;
const LF = 10;
const DASH = 45;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The boundary of a `multipart/form-data` Content-Type header value, or a MalformedMultipart.
 * The value is the client's: parsed in one pass, quoted strings with backslash escapes.
 */
export function boundaryOf(contentType: string): string {
  const params = headerParams(contentType, 'Content-Type');
  if (params.value.toLowerCase() !== 'multipart/form-data')
    throw new MalformedMultipart(`the content type is ${params.value}, not multipart/form-data`);
  const boundary = params.get('boundary');
  if (boundary === undefined) throw new MalformedMultipart('the Content-Type header has no boundary parameter');
  if (!BOUNDARY.test(boundary))
    throw new MalformedMultipart('the boundary must be 1 to 70 characters allowed by RFC 2046');
  return boundary;
}

/** The index of the first character at or after `i` that is not a space or tab. */
function pastWhiteSpace(text: string, i: number): number {
  while (text[i] === ' ' || text[i] === '\t') i++;
  return i;
}

/** A header value `type; name=value; name="quoted"`: the leading value and its parameters (lowercase names). */
function headerParams(header: string, what: string): { value: string; get(name: string): string | undefined } {
  const params = new Map<string, string>();
  let i = header.indexOf(';');
  const value = (i === -1 ? header : header.slice(0, i)).trim();
  while (i !== -1 && i < header.length) {
    i++; // past ';'
    i = pastWhiteSpace(header, i);
    if (i >= header.length) break; // a trailing ';'
    const eq = header.indexOf('=', i);
    if (eq === -1) throw new MalformedMultipart(`a parameter of the ${what} header has no value`);
    const name = header.slice(i, eq).trim().toLowerCase();
    if (!TOKEN.test(name)) throw new MalformedMultipart(`the ${what} header has a malformed parameter name`);
    i = eq + 1;
    // White space may stand between '=' and the value (RFC 2616's implied LWS, which RFC 6266's
    // grammar keeps): `name= "a"` is the quoted string a, as undici and busboy read it.
    i = pastWhiteSpace(header, i);
    let text = '';
    if (header[i] === '"') {
      i++;
      for (;;) {
        if (i >= header.length) throw new MalformedMultipart(`a quoted parameter of the ${what} header is not closed`);
        const c = header[i]!;
        if (c === '"') break;
        if (c === '\\' && i + 1 < header.length) i++;
        text += header[i];
        i++;
      }
      i++; // past the closing quote
      i = pastWhiteSpace(header, i);
      if (i < header.length && header[i] !== ';')
        throw new MalformedMultipart(`the ${what} header has text after a quoted parameter`);
    } else {
      const end = header.indexOf(';', i);
      text = (end === -1 ? header.slice(i) : header.slice(i, end)).trim();
      // A token has no white space: `name=a filename="f"` lacks a ';' (undici reads it as two
      // parameters, an older undici refuses it); the emulator refuses rather than guess.
      if (/[ \t]/.test(text))
        throw new MalformedMultipart(`the ${what} header has white space inside an unquoted parameter value`);
      i = end === -1 ? header.length : end;
    }
    if (params.has(name)) throw new MalformedMultipart(`the ${what} header repeats the parameter ${name}`);
    params.set(name, text);
    if (i >= header.length) break;
  }
  return { value, get: (name) => params.get(name) };
}

/** A part's value: text parts as strings, binary parts as bytes. */
export type MultipartValue = string | Uint8Array;

/**
 * Parses a multipart/form-data body into its fields, in order. A part whose Content-Type is absent
 * or `text/plain` is text (UTF-8, which must be valid); any other Content-Type, or a `filename`,
 * makes it bytes (a Uint8Array view of `body`). Each part needs `Content-Disposition: form-data;
 * name="..."`; a repeated name, a missing or unclosed delimiter, a header section over the limit,
 * a folded or malformed header line or too many parts are refused with a MalformedMultipart.
 * A preamble before the first delimiter and an epilogue after the last are ignored (RFC 2046).
 */
export function parseMultipart(
  body: Uint8Array,
  boundary: string,
  limits: MultipartLimits = MULTIPART_LIMITS,
  meter?: ScanMeter,
): [string, MultipartValue][] {
  if (!BOUNDARY.test(boundary))
    throw new MalformedMultipart('the boundary must be 1 to 70 characters allowed by RFC 2046');
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  /** The next `\r\n--boundary` at or after `from`, counted on the meter. */
  const find = (from: number): number => {
    const at = bytes.indexOf(delimiter, from);
    if (meter) meter.scanned += (at === -1 ? bytes.length : at + delimiter.length) - from;
    return at;
  };

  // The first delimiter may open the body (no leading CRLF) or follow a preamble.
  let at: number;
  if (bytes.subarray(0, delimiter.length - 2).equals(delimiter.subarray(2))) at = -2;
  else {
    at = find(0);
    if (at === -1) throw new MalformedMultipart('the body does not contain the boundary of its Content-Type');
  }
  const fields: [string, MultipartValue][] = [];
  const seen = new Set<string>();
  for (;;) {
    let i = at + delimiter.length;
    if (bytes[i] === DASH && bytes[i + 1] === DASH) return fields; // the close delimiter; the rest is epilogue
    while (bytes[i] === 0x20 || bytes[i] === 0x09) i++; // transport padding
    if (bytes[i] !== CR || bytes[i + 1] !== LF) {
      throw new MalformedMultipart(
        i >= bytes.length
          ? 'the body ends without its closing boundary'
          : 'a boundary line is followed by something other than CRLF',
      );
    }
    const start = i + 2;
    const end = find(start);
    if (end === -1) throw new MalformedMultipart('the body ends without its closing boundary');
    if (fields.length >= limits.maxParts)
      throw new MalformedMultipart(`the body has more than ${limits.maxParts} parts`);
    const [name, value] = parsePart(bytes.subarray(start, end), limits, meter);
    if (seen.has(name)) throw new MalformedMultipart(`the field ${JSON.stringify(name)} is sent twice`);
    seen.add(name);
    fields.push([name, value]);
    at = end;
  }
}

const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');

function parsePart(part: Buffer, limits: MultipartLimits, meter: ScanMeter | undefined): [string, MultipartValue] {
  const { headerEnd, contentStart } = headerSection(part, limits, meter);
  const { disposition, contentType } = partHeaders(part.subarray(0, headerEnd));
  if (disposition === undefined) throw new MalformedMultipart('a part has no Content-Disposition header');
  const params = headerParams(disposition, 'Content-Disposition');
  if (params.value.toLowerCase() !== 'form-data') {
    throw new MalformedMultipart("a part's Content-Disposition is not form-data");
  }
  const name = params.get('name');
  if (name === undefined || name === '') throw new MalformedMultipart('a part has no name in its Content-Disposition');
  const content = part.subarray(contentStart);
  const mediaType =
    contentType === undefined ? undefined : headerParams(contentType, 'Content-Type').value.toLowerCase();
  const text = params.get('filename') === undefined && (mediaType === undefined || mediaType === 'text/plain');
  if (!text) return [name, new Uint8Array(content.buffer, content.byteOffset, content.byteLength)];
  try {
    return [name, utf8.decode(content)];
  } catch {
    throw new MalformedMultipart(`the text field ${JSON.stringify(name)} is not valid UTF-8`);
  }
}

/** Where a part's header section ends and its content starts, searched within the header size limit. */
function headerSection(part: Buffer, limits: MultipartLimits, meter: ScanMeter | undefined) {
  // An empty header section: the part starts with its blank line.
  if (part[0] === CR && part[1] === LF) return { headerEnd: 0, contentStart: 2 };
  const window = part.subarray(0, limits.maxHeaderBytes + HEADER_END.length);
  const headerEnd = window.indexOf(HEADER_END);
  if (meter) meter.scanned += headerEnd === -1 ? window.length : headerEnd + HEADER_END.length;
  if (headerEnd === -1) {
    throw new MalformedMultipart(
      window.length < part.length
        ? `a part's headers exceed ${limits.maxHeaderBytes} bytes`
        : 'a part has no blank line after its headers',
    );
  }
  return { headerEnd, contentStart: headerEnd + HEADER_END.length };
}

/** The Content-Disposition and Content-Type of a part's header section (other headers are ignored). */
function partHeaders(section: Buffer): { disposition?: string; contentType?: string } {
  let headerText: string;
  try {
    headerText = utf8.decode(section);
  } catch {
    throw new MalformedMultipart("a part's headers are not valid UTF-8");
  }
  const found: { disposition?: string; contentType?: string } = {};
  for (const line of headerText === '' ? [] : headerText.split('\r\n')) {
    // On the whole line, before any trimming: a bare CR or LF (or a form feed, which trim() would
    // drop) inside a header section is not a line end to guess at.
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(line)) throw new MalformedMultipart('a part header has a control character');
    const colon = line.indexOf(':');
    const name = colon === -1 ? '' : line.slice(0, colon).toLowerCase();
    if (!TOKEN.test(name)) {
      const folded = line.startsWith(' ') || line.startsWith('\t');
      throw new MalformedMultipart(folded ? 'a part has a folded header line' : 'a part has a malformed header line');
    }
    const value = line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    const field = name === 'content-disposition' ? 'disposition' : name === 'content-type' ? 'contentType' : undefined;
    if (field === undefined) continue;
    if (found[field] !== undefined) throw new MalformedMultipart(`a part repeats its ${name} header`);
    found[field] = value;
  }
  return found;
}
