// The chunked transfer coding (RFC 9112 §7.1), decoded as a byte-level state machine: the result
// never depends on how the bytes were split into reads, every line has a cap that counts its
// bytes whatever the splitting, and each byte is looked at once (linear cost).
import { ProtocolError } from './head';

/** Longest chunk-size line (size and extensions) accepted. */
export const MAX_CHUNK_LINE_BYTES = 4096;
/** Most bytes of trailer fields accepted after the last chunk (node:http allows 16 KiB of head). */
export const MAX_TRAILER_BYTES = 16 * 1024;

const enum State {
  /** Reading the hex digits of a chunk size. */
  Size,
  /** After the size: extensions (after ';') or CR. */
  SizeRest,
  /** Read CR of the size line, LF must follow. */
  SizeLf,
  Data,
  /** After a chunk's data: CR, then LF. */
  DataCr,
  DataLf,
  /** Start of a trailer line (CR here is the final empty line). */
  TrailerStart,
  TrailerLine,
  TrailerLf,
  FinalLf,
  Done,
}

const CR = 0x0d;
const LF = 0x0a;
const TOKEN_BYTE = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]$/;

function hexValue(byte: number): number {
  // Stryker disable next-line ConditionalExpression: without `byte >= 0x30`, a lower byte gives a negative value, read as not hexadecimal too
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
  return -1;
}

/** Decodes one chunked body; feed it the bytes as they come. Trailer fields are checked, then dropped. */
export class ChunkedDecoder {
  private state = State.Size;
  private size = 0;
  private digits = 0;
  private lineBytes = 0;
  private trailerBytes = 0;
  /** In a trailer line: whether the colon was seen, and whether the name so far is a token. */
  // Stryker disable next-line BooleanLiteral: set to false at the start of every trailer line, before it is read
  private trailerColon = false;
  /** In a chunk-size line: whether the extensions (after ';') began. */
  private extension = false;

  /** Whether the terminating empty line was read. */
  get done(): boolean {
    return this.state === State.Done;
  }

  /**
   * Decodes `chunk`, handing each piece of body data to `onData` (subarrays of `chunk`). Returns
   * the offset just past the end of the body when it ends in this chunk (bytes after it are not
   * part of the body), else -1. Throws a ProtocolError on anything RFC 9112 does not allow.
   */
  write(chunk: Uint8Array, onData: (data: Uint8Array) => void): number {
    let i = 0;
    const length = chunk.length;
    while (i < length) {
      const state = this.state;
      if (state === State.Data) {
        i += this.data(chunk, i, onData);
      } else if (state === State.Done) {
        return i;
      } else if (state === State.Size || state === State.SizeRest) {
        // A byte that ends the size is looked at again in SizeRest, and counted there.
        if (!this.sizeLineByte(chunk[i]!)) continue;
        // Size and SizeRest bytes count against the line cap, however the line was split.
        if (++this.lineBytes > MAX_CHUNK_LINE_BYTES)
          throw new ProtocolError(`a chunk-size line of the response is longer than ${MAX_CHUNK_LINE_BYTES} bytes`);
        i++;
      } else if (state === State.TrailerStart || state === State.TrailerLine) {
        // The first byte of a field is looked at again in TrailerLine.
        if (this.trailerByte(chunk[i]!)) i++;
      } else {
        this.lineEndByte(chunk[i]!);
        i++;
        // Stryker disable next-line ConditionalExpression: without this return the next turn of the loop returns the same i (state Done)
        if (this.state === State.Done) return i;
      }
    }
    return this.state === State.Done ? i : -1;
  }

  /** Hands on as much of the current chunk's data as `chunk` holds from `at`; returns how many bytes that was. */
  private data(chunk: Uint8Array, at: number, onData: (data: Uint8Array) => void): number {
    const take = Math.min(this.size, chunk.length - at);
    onData(chunk.subarray(at, at + take));
    this.size -= take;
    if (this.size === 0) this.state = State.DataCr;
    return take;
  }

  /** One byte of a chunk-size line before its CR (Size, SizeRest). False when the byte must be looked at again. */
  private sizeLineByte(byte: number): boolean {
    if (this.state === State.Size) {
      const value = hexValue(byte);
      if (value < 0) {
        if (this.digits === 0) throw new ProtocolError('the response has a chunk size that is not hexadecimal');
        this.state = State.SizeRest;
        return false;
      }
      this.size = this.size * 16 + value;
      // Leading zeros are fine; a size past 2^53 cannot be a real body.
      if (this.size > Number.MAX_SAFE_INTEGER)
        throw new ProtocolError('the response has a chunk size too large to be real');
      // Stryker disable next-line UpdateOperator: digits is only compared with 0 (no digit yet), which counting down tells apart too
      this.digits++;
      return true;
    }
    if (byte === CR) this.state = State.SizeLf;
    else if (byte === LF) throw new ProtocolError('a chunk-size line of the response ends in a bare LF');
    else if (byte < 0x20 ? byte !== 0x09 : byte === 0x7f)
      throw new ProtocolError('a chunk-size line of the response has a control character');
    else if (!this.extension) {
      // RFC 9112 allows whitespace before ';', but node:http and undici refuse it: so do we.
      if (byte === 0x3b) this.extension = true;
      else throw new ProtocolError('the response has a chunk size that is not hexadecimal');
    }
    return true;
  }

  /** The byte that must end a line (SizeLf, DataCr, DataLf, TrailerLf, FinalLf). */
  private lineEndByte(byte: number): void {
    switch (this.state) {
      case State.SizeLf:
        if (byte !== LF) throw new ProtocolError('a chunk-size line of the response has a bare CR');
        this.lineBytes = 0;
        this.digits = 0;
        this.extension = false;
        this.state = this.size === 0 ? State.TrailerStart : State.Data;
        return;
      case State.DataCr:
        if (byte !== CR)
          throw new ProtocolError('a chunk of the response is longer than its size (no CRLF after its data)');
        this.state = State.DataLf;
        return;
      case State.DataLf:
        if (byte !== LF) throw new ProtocolError('a chunk of the response does not end with CRLF');
        this.state = State.Size;
        return;
      case State.TrailerLf:
        if (byte !== LF) throw new ProtocolError('a trailer line of the response has a bare CR');
        this.countTrailerByte();
        this.state = State.TrailerStart;
        return;
      default: // State.FinalLf
        if (byte !== LF) throw new ProtocolError('the chunked body of the response does not end with CRLF');
        this.state = State.Done;
    }
  }

  /** One byte of the trailer section (TrailerStart, TrailerLine). False when the byte must be looked at again. */
  private trailerByte(byte: number): boolean {
    if (this.state === State.TrailerStart) {
      if (byte === CR) {
        this.state = State.FinalLf;
        return true;
      }
      if (!TOKEN_BYTE.test(String.fromCharCode(byte)))
        throw new ProtocolError('the response has an invalid trailer field');
      this.trailerColon = false;
      this.state = State.TrailerLine;
      return false;
    }
    if (byte === CR) {
      if (!this.trailerColon) throw new ProtocolError('the response has a trailer line that is not a field');
      this.state = State.TrailerLf;
    } else if (byte === LF) {
      throw new ProtocolError('a trailer line of the response ends in a bare LF');
    } else if (!this.trailerColon) {
      if (byte === 0x3a) this.trailerColon = true;
      else if (!TOKEN_BYTE.test(String.fromCharCode(byte)))
        throw new ProtocolError('the response has an invalid trailer field name');
    } else if (byte < 0x20 ? byte !== 0x09 : byte === 0x7f) {
      throw new ProtocolError('a trailer field of the response has a control character');
    }
    this.countTrailerByte();
    return true;
  }

  private countTrailerByte(): void {
    if (++this.trailerBytes > MAX_TRAILER_BYTES)
      throw new ProtocolError(`the response trailers are larger than ${MAX_TRAILER_BYTES} bytes`);
  }
}
