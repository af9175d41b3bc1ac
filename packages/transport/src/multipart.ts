import { UsageError } from '@x/errors';

/** The Content-Type of a raw request body. */
export const OCTET_STREAM_CONTENT_TYPE = 'application/octet-stream';

/** A multipart/form-data body, its boundary and the Content-Type header that announces it. */
export interface MultipartBody {
  /** ArrayBuffer-backed: what fetch takes as a body. */
  readonly body: Uint8Array<ArrayBuffer>;
  readonly boundary: string;
  /** `multipart/form-data; boundary=<boundary>`: sent and signed as it is. */
  readonly contentType: string;
}

export interface EncodeMultipartOptions {
  /**
   * A fixed boundary (for reproducible output). Default: a fresh random one, drawn again should it
   * occur in a part. 1 to 70 characters of `0-9 a-z ' + _ . -`: lowercase, because TC3 signs the
   * Content-Type header lowercased, and token characters, so the header never needs quoting.
   */
  readonly boundary?: string | undefined;
  /** Refuse a body larger than this many bytes (checked before the body is assembled). Default: no limit. */
  readonly maxBytes?: number | undefined;
}

const BOUNDARY = /^[0-9a-z'+_.-]{1,70}$/;
// Param names go into `name="..."` unescaped, as the official SDK writes them: only printable
// ASCII without the quote and backslash can be written there unambiguously.
const PART_NAME = /^[\x21\x23-\x5b\x5d-\x7e]+$/;
const MAX_BOUNDARY_DRAWS = 16;

const encoder = new TextEncoder();

/** A fresh boundary: 128 random bits, so no part can contain it unless it was chosen to. */
export function randomBoundary(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return `x-transport-${hex}`;
}

/**
 * The bytes of a binary value (`Uint8Array`, any other ArrayBuffer view, `ArrayBuffer`), as a
 * view that shares its memory; undefined for anything else. Views of a SharedArrayBuffer are
 * copied: fetch refuses them, and another thread could change them between hashing and sending.
 */
export function bytesOf(value: unknown): Uint8Array<ArrayBuffer> | undefined {
  let bytes: Uint8Array;
  if (value instanceof Uint8Array) bytes = value;
  else if (ArrayBuffer.isView(value)) bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  // toString, not instanceof: an ArrayBuffer from another realm (a worker, an iframe) counts too.
  else if (Object.prototype.toString.call(value) === '[object ArrayBuffer]')
    return new Uint8Array(value as ArrayBuffer);
  else return undefined;
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice();
}

/** Whether UTF-8 can encode the text: encodeURIComponent throws on a lone surrogate, in every runtime. */
function wellFormed(text: string): boolean {
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

type Part =
  | { readonly name: string; readonly text: string; readonly bytes?: undefined }
  | { readonly name: string; readonly bytes: Uint8Array };

/** Turns one top-level param into a part, or refuses it naming the param. */
function partOf(name: string, value: unknown): Part | undefined {
  const path = `params.${name}`;
  switch (typeof value) {
    case 'undefined':
      return undefined;
    case 'string':
      if (!wellFormed(value))
        throw new UsageError('contains a lone UTF-16 surrogate, which UTF-8 cannot encode', { argument: path });
      return { name, text: value };
    case 'number':
      if (!Number.isFinite(value)) throw new UsageError(`${String(value)} cannot be sent`, { argument: path });
      return { name, text: String(value) };
    case 'bigint':
    case 'boolean':
      return { name, text: String(value) };
    case 'object': {
      if (value === null) return undefined;
      const bytes = bytesOf(value);
      if (bytes !== undefined) return { name, bytes };
      if (typeof Blob === 'function' && value instanceof Blob) {
        throw new UsageError('is a Blob: pass its bytes, new Uint8Array(await blob.arrayBuffer())', { argument: path });
      }
      const what = Array.isArray(value) ? 'an array' : 'an object';
      throw new UsageError(
        `is ${what}: multipart params are strings, numbers, booleans, bigints or bytes, not nested`,
        { argument: path },
      );
    }
    default:
      throw new UsageError(`a ${typeof value} cannot be sent`, { argument: path });
  }
}

/** Whether `needle` (ASCII) occurs in `haystack`: native indexOf finds each candidate first byte. */
function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  const first = needle[0]!;
  // Stryker disable next-line ArithmeticOperator: a later bound only tries matches that run past the end, which fail on the first missing byte
  const last = haystack.length - needle.length;
  // Stryker disable next-line ConditionalExpression: the same: past `last` a match cannot complete
  for (let at = haystack.indexOf(first); at !== -1 && at <= last; at = haystack.indexOf(first, at + 1)) {
    let i = 1;
    while (i < needle.length && haystack[at + i] === needle[i]) i++;
    if (i === needle.length) return true;
  }
  return false;
}

function occursIn(parts: readonly Part[], boundary: string): boolean {
  const needle = encoder.encode(boundary);
  // An ASCII needle occurs in UTF-8 bytes exactly where it occurs in the string.
  return parts.some((part) =>
    part.bytes === undefined ? part.text.includes(boundary) : containsBytes(part.bytes, needle),
  );
}

/**
 * Encodes params as a multipart/form-data body, byte for byte what the official SDKs send and
 * hash: one part per top-level param in property order, `Content-Disposition: form-data;
 * name="<param>"`, bytes with `Content-Type: application/octet-stream`, CRLF line ends, and the
 * closing `--<boundary>--\r\n`. Strings are UTF-8; numbers, booleans and bigints their decimal
 * text; `null` and `undefined` are left out. Refuses, with a UsageError naming the param, nested
 * objects and arrays, names that cannot be written in the header, and a chosen boundary that
 * occurs in a part.
 */
export function encodeMultipart(params: unknown, options: EncodeMultipartOptions = {}): MultipartBody {
  return encodeMultipartDrawing(params, options, randomBoundary);
}

/** {@link encodeMultipart} with its source of boundaries as an argument (tests force a collision with it). */
export function encodeMultipartDrawing(
  params: unknown,
  options: EncodeMultipartOptions,
  draw: () => string,
): MultipartBody {
  const parts = partsOf(params);
  const boundary = chooseBoundary(parts, options, draw);

  // The pieces in order, then one allocation of the exact size.
  const delimiter = encoder.encode(`--${boundary}`);
  const crlf = encoder.encode('\r\n');
  const pieces: Uint8Array[] = [delimiter];
  for (const part of parts) {
    const binary = part.bytes !== undefined;
    pieces.push(
      encoder.encode(
        `\r\nContent-Disposition: form-data; name="${part.name}"\r\n${binary ? `Content-Type: ${OCTET_STREAM_CONTENT_TYPE}\r\n` : ''}\r\n`,
      ),
      binary ? part.bytes : encoder.encode(part.text),
      crlf,
      delimiter,
    );
  }
  pieces.push(encoder.encode('--\r\n'));
  let size = 0;
  for (const piece of pieces) size += piece.byteLength;
  // Stryker disable next-line ConditionalExpression: `size > undefined` is false anyway; the test says what is meant
  if (options.maxBytes !== undefined && size > options.maxBytes) {
    throw new UsageError(`the multipart body is ${size} bytes; the API accepts at most ${options.maxBytes}`, {
      argument: 'params',
    });
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const piece of pieces) {
    body.set(piece, offset);
    offset += piece.byteLength;
  }
  return { body, boundary, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** The parts of the params, in order; refuses what is not an object of params and unwritable names. */
function partsOf(params: unknown): Part[] {
  if (
    params !== undefined &&
    params !== null &&
    (typeof params !== 'object' || Array.isArray(params) || bytesOf(params) !== undefined)
  ) {
    throw new UsageError('must be an object of request parameters', { argument: 'params' });
  }
  const parts: Part[] = [];
  for (const [name, value] of Object.entries((params ?? {}) as Record<string, unknown>)) {
    const part = partOf(name, value);
    if (part === undefined) continue;
    if (!PART_NAME.test(name)) {
      throw new UsageError('is not a multipart field name (printable ASCII but space, " and \\)', {
        argument: `params.${JSON.stringify(name)}`,
      });
    }
    parts.push(part);
  }
  return parts;
}

/** The chosen boundary, checked, or a drawn one that occurs in no part. */
function chooseBoundary(parts: readonly Part[], options: EncodeMultipartOptions, draw: () => string): string {
  let boundary: string;
  if (options.boundary !== undefined) {
    boundary = options.boundary;
    if (typeof boundary !== 'string' || !BOUNDARY.test(boundary)) {
      throw new UsageError(`must be 1 to 70 characters of 0-9 a-z ' + _ . -, got ${JSON.stringify(boundary)}`, {
        argument: 'boundary',
      });
    }
    if (occursIn(parts, boundary)) throw new UsageError('occurs inside a part', { argument: 'boundary' });
  } else {
    let draws = 0;
    do {
      if (++draws > MAX_BOUNDARY_DRAWS)
        throw new UsageError(`no boundary absent from the parts in ${MAX_BOUNDARY_DRAWS} draws`, {
          argument: 'params',
        });
      boundary = draw();
    } while (!BOUNDARY.test(boundary) || occursIn(parts, boundary));
  }
  return boundary;
}
