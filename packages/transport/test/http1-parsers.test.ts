// The pure parts of the HTTP/1.1 client alone: the strict response-head parser and the chunked
// decoder (fed byte by byte), with fuzz tests written from the attacker's side.
import fc from 'fast-check';
import { fuzzRuns } from '@x/test-support';
import { describe, expect, it } from 'vitest';
import { ChunkedDecoder, MAX_CHUNK_LINE_BYTES, MAX_TRAILER_BYTES } from '../src/http1/chunked';
import {
  bodyFraming,
  findHeadEnd,
  keepsAlive,
  parseResponseHead,
  ProtocolError,
  serverKeepAliveMs,
} from '../src/http1/head';

/** 10k runs take about a second each; generous for a loaded machine (this is hang detection, not timing). */
const FUZZ_TIMEOUT_MS = 60_000;
const bytes = (text: string) => Buffer.from(text, 'latin1');

/** Decodes `pieces` in order; returns the body and the offset past its end in the last piece (or an error). */
function decode(pieces: Uint8Array[]): { body: string; end: number } | { error: unknown } {
  const decoder = new ChunkedDecoder();
  const out: Buffer[] = [];
  let end = -1;
  try {
    for (const piece of pieces) {
      if (decoder.done) break;
      end = decoder.write(piece, (data) => out.push(Buffer.from(data)));
    }
  } catch (error) {
    return { error };
  }
  return { body: Buffer.concat(out).toString('latin1'), end };
}
const byteByByte = (text: string) => [...bytes(text)].map((byte) => Uint8Array.of(byte));
/** The outcome as comparable text, whatever the splitting. */
const outcomeOf = (result: ReturnType<typeof decode>) =>
  'error' in result
    ? `error ${(result.error as Error).message}`
    : result.end >= 0
      ? `body ${result.body}`
      : `partial ${result.body}`;

/** Finds a head's end feeding `pieces` as reads (the way the connection does); the end offset in the whole, or an error. */
function headEndIncremental(pieces: Uint8Array[]): number | string {
  let buffer = Buffer.alloc(0);
  try {
    for (const piece of pieces) {
      const from = Math.max(0, buffer.length - 3);
      buffer = Buffer.concat([buffer, piece]);
      const end = findHeadEnd(buffer, from);
      if (end >= 0) return end;
    }
    return -1;
  } catch (err) {
    return err instanceof ProtocolError ? 'error' : `foreign ${String(err)}`;
  }
}

describe('parseResponseHead (strict RFC 9112)', () => {
  const parse = (text: string) => parseResponseHead(text);
  it('parses a status line and fields; repeated fields are joined, names lower-cased, OWS trimmed', () => {
    const head = parse(
      'HTTP/1.1 200 OK\r\nContent-Type:  application/json \r\nSet-Cookie: a\r\nset-cookie: b\r\nX-Empty:',
    );
    expect(head).toMatchObject({ minor: 1, status: 200 });
    expect(Object.fromEntries(head.headers)).toEqual({
      'content-type': 'application/json',
      'set-cookie': 'a, b',
      'x-empty': '',
    });
    expect(parse('HTTP/1.0 404').status).toBe(404);
  });

  it.each([
    ['row 1: status 000', 'HTTP/1.1 000 OK\r\nContent-Length: 2'],
    ['row 1: status 099', 'HTTP/1.1 099 OK\r\nContent-Length: 2'],
    ['status 600', 'HTTP/1.1 600 OK'],
    ['status 2x0', 'HTTP/1.1 2x0 OK'],
    ['HTTP/2', 'HTTP/2 200 OK'],
    ['row 4: a bare CR inside a header line', 'HTTP/1.1 200 OK\r\nX-A: 1\rContent-Length: 2'],
    ['row 5: a space before the colon', 'HTTP/1.1 200 OK\r\nContent-Length : 2'],
    ['row 5: \\xa0 before the colon', 'HTTP/1.1 200 OK\r\nContent-Length\xa0: 2'],
    ['row 5: obs-fold', 'HTTP/1.1 200 OK\r\nX-A: 1\r\n  folded'],
    [
      'row 6: "Transfer-Encoding :" with Content-Length',
      'HTTP/1.1 200 OK\r\nTransfer-Encoding : chunked\r\nContent-Length: 2',
    ],
    [
      'row 7: Content-Length with Transfer-Encoding',
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked',
    ],
    ['row 8: NUL in a value', 'HTTP/1.1 200 OK\r\nX-A: a\0b'],
    ['row 8: a bare CR in a value', 'HTTP/1.1 200 OK\r\nX-A: a\rb'],
    ['two Content-Length fields', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 2'],
    ['Content-Length: +2', 'HTTP/1.1 200 OK\r\nContent-Length: +2'],
    ['Content-Length: 2, 2', 'HTTP/1.1 200 OK\r\nContent-Length: 2, 2'],
  ])('refuses %s', (_name, text) => {
    expect(() => parse(text)).toThrow(ProtocolError);
  });

  it('rows 3 and 4: findHeadEnd fails at the first bare LF, before any blank line arrives', () => {
    expect(() => findHeadEnd(bytes('HTTP/1.1 200 OK\nContent-Length: 2\n'), 0)).toThrow(/bare LF/);
    expect(() => findHeadEnd(bytes('HTTP/1.1 200 OK\r\nX-A: 1\nContent-Length: 2\r\n\r\n{}'), 0)).toThrow(/bare LF/);
    expect(() => findHeadEnd(bytes('HTTP/1.1 200 OK\r\nX-A: 1\rX'), 0)).toThrow(/bare CR/);
    expect(findHeadEnd(bytes('HTTP/1.1 200 OK\r\nX: 1\r'), 0)).toBe(-1); // the LF may still come
    expect(findHeadEnd(bytes('HTTP/1.1 200 OK\r\n\r\n{}\n'), 0)).toBe(19); // body bytes are not the head's
  });

  it('frames bodies as RFC 9112 §6.3 says', () => {
    const framing = (method: string, text: string) => bodyFraming(method, parse(text));
    expect(framing('POST', 'HTTP/1.1 200 OK\r\nContent-Length: 5')).toEqual({ kind: 'length', length: 5 });
    expect(framing('POST', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked')).toEqual({ kind: 'chunked' });
    expect(framing('POST', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, identity')).toEqual({ kind: 'close' });
    expect(framing('POST', 'HTTP/1.1 200 OK')).toEqual({ kind: 'close' });
    expect(framing('HEAD', 'HTTP/1.1 200 OK\r\nContent-Length: 5')).toEqual({ kind: 'none' });
    expect(framing('POST', 'HTTP/1.1 304 Not Modified\r\nContent-Length: 5')).toEqual({ kind: 'none' });
  });

  it('reads Connection and Keep-Alive', () => {
    expect(keepsAlive(parse('HTTP/1.1 200 OK'))).toBe(true);
    expect(keepsAlive(parse('HTTP/1.1 200 OK\r\nConnection: Close'))).toBe(false);
    expect(keepsAlive(parse('HTTP/1.1 200 OK\r\nConnection: closed'))).toBe(true); // not the close token
    expect(keepsAlive(parse('HTTP/1.0 200 OK'))).toBe(false);
    expect(keepsAlive(parse('HTTP/1.0 200 OK\r\nConnection: keep-alive'))).toBe(true);
    expect(serverKeepAliveMs(parse('HTTP/1.1 200 OK\r\nKeep-Alive: timeout=5, max=100'))).toBe(5000);
    expect(serverKeepAliveMs(parse('HTTP/1.1 200 OK\r\nKeep-Alive: max=100'))).toBeUndefined();
  });

  it(
    'fuzz: any bytes, however split into reads, either end a head at one offset or fail with a ProtocolError',
    () => {
      const head = fc.oneof(
        fc.uint8Array({ maxLength: 120 }),
        // Near-valid heads: the attacker's favourite (mixed line ends, spaces, controls in places).
        fc
          .array(
            fc.constantFrom(
              'HTTP/1.1 200 OK',
              'X-A: 1',
              'Content-Length: 2',
              ' ',
              '\t',
              ':',
              '\r',
              '\n',
              '\r\n',
              '\0',
              'a',
              '\x7f',
              '\xff',
            ),
            { maxLength: 20 },
          )
          .map((parts) => new Uint8Array(bytes(parts.join('')))),
      );
      fc.assert(
        fc.property(head, fc.array(fc.nat(), { maxLength: 6 }), (input, cuts) => {
          const points = [...new Set(cuts.map((cut) => cut % (input.length + 1)))].sort((a, b) => a - b);
          const pieces = [0, ...points, input.length]
            .slice(0, -1)
            .map((start, i, all) => input.subarray(start, all[i + 1] ?? input.length));
          const whole = headEndIncremental([input]);
          const split = headEndIncremental(pieces);
          for (const outcome of [whole, split]) if (typeof outcome === 'string') expect(outcome).toBe('error');
          if (typeof whole !== 'number' || whole < 0) return;
          let parsed = true;
          try {
            parseResponseHead(Buffer.from(input).toString('latin1', 0, whole - 4));
          } catch (err) {
            expect(err).toBeInstanceOf(ProtocolError);
            parsed = false;
          }
          // Split into reads, the same head ends at the same offset; only a head that fails to
          // parse anyway (a bare CR seen early) may fail sooner.
          if (parsed) expect(split).toBe(whole);
          else expect([whole, 'error']).toContain(split);
        }),
        { numRuns: fuzzRuns(10_000) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'fuzz: valid heads built from tokens and field values parse back to what was sent',
    () => {
      const token = fc
        .stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}$/)
        .filter((name) => !/^(content-length|transfer-encoding)$/i.test(name));
      const value = fc.stringMatching(/^[\x21-\x7e\x80-\xff]([\x20-\x7e\x80-\xff]{0,20}[\x21-\x7e\x80-\xff])?$/);
      fc.assert(
        fc.property(
          fc.integer({ min: 100, max: 599 }),
          fc.uniqueArray(fc.tuple(token, value), { maxLength: 8, selector: ([name]) => name.toLowerCase() }),
          (status, fields) => {
            const text =
              `HTTP/1.1 ${status} Reason\r\n${fields.map(([name, v]) => `${name}:  ${v} `).join('\r\n')}`.replace(
                /\r\n$/,
                '',
              );
            const head = parseResponseHead(fields.length === 0 ? `HTTP/1.1 ${status} Reason` : text);
            expect(head.status).toBe(status);
            expect(Object.fromEntries(head.headers)).toEqual(
              Object.fromEntries(fields.map(([name, v]) => [name.toLowerCase(), v])),
            );
          },
        ),
        { numRuns: fuzzRuns(10_000) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});

describe('ChunkedDecoder (fed byte by byte)', () => {
  it('decodes sizes, extensions and trailers, and says where the body ended', () => {
    const wire = '2;ext=1\r\n{}\r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\nNEXT';
    expect(decode([bytes(wire)])).toEqual({ body: '{}0123456789', end: wire.length - 4 });
    expect(outcomeOf(decode(byteByByte(wire)))).toBe('body {}0123456789');
  });

  it('row 11: zero-padded sizes are accepted; past 2^53 and 18 x f are refused', () => {
    expect(outcomeOf(decode(byteByByte('0000000000000002\r\n{}\r\n0\r\n\r\n')))).toBe('body {}');
    expect(outcomeOf(decode(byteByByte('20000000000001\r\n')))).toMatch(/too large/);
    expect(outcomeOf(decode(byteByByte(`${'f'.repeat(18)}\r\n`)))).toMatch(/too large/);
  });

  it.each([
    ['row 2: bare-LF lines', '2\n{}\n0\n\n', /bare LF/],
    ['a bare CR after the size', '2\r{}\r\n', /bare CR/],
    ['an empty size', '\r\n', /not hexadecimal/],
    ['a 0x prefix', '0x2\r\n{}\r\n', /not hexadecimal/],
    ['a negative size', '-2\r\n', /not hexadecimal/],
    ['a space before the extension', '2 ;a\r\n', /not hexadecimal/],
    ['data longer than its size', '2\r\n{}x\r\n', /longer than its size/],
    ['a trailer without a colon', '0\r\nbroken\r\n\r\n', /not a field/],
    ['a control byte in a trailer', '0\r\nX: a\0\r\n\r\n', /control character/],
    ['no CRLF after the last line', '0\r\n\rX', /does not end with CRLF/],
  ])('refuses %s, byte by byte as in one read', (_name, wire, message) => {
    expect(outcomeOf(decode(byteByByte(wire)))).toMatch(message);
    expect(outcomeOf(decode([bytes(wire)]))).toMatch(message);
  });

  it('caps a chunk-size line at 4 KiB however it is split (the old cap only held across reads)', () => {
    const line = `2;${'e'.repeat(MAX_CHUNK_LINE_BYTES)}\r\n`;
    expect(outcomeOf(decode([bytes(line)]))).toMatch(/longer than 4096/);
    expect(outcomeOf(decode(byteByByte(line)))).toMatch(/longer than 4096/);
    expect(outcomeOf(decode([bytes(`2;${'e'.repeat(MAX_CHUNK_LINE_BYTES - 4)}\r\n{}\r\n0\r\n\r\n`)]))).toBe('body {}');
  });

  it('row 9: caps the trailers at 16 KiB (endless trailer lines fail, they are never read to the end)', () => {
    const decoder = new ChunkedDecoder();
    decoder.write(bytes('2\r\n{}\r\n0\r\n'), () => undefined);
    const line = bytes(`X-Trailer: ${'t'.repeat(100)}\r\n`);
    let fed = 0;
    expect(() => {
      for (;;) {
        decoder.write(line, () => undefined);
        fed += line.length;
      }
    }).toThrow(/trailers are larger than 16384/);
    expect(fed).toBeLessThanOrEqual(MAX_TRAILER_BYTES);
  });

  it(
    'fuzz: a valid encoding decodes to its body whatever the reads',
    () => {
      const chunk = fc.tuple(
        fc.uint8Array({ minLength: 1, maxLength: 40 }),
        fc.constantFrom('', ';a', ';a=b;c="d e"'),
        fc.nat(3),
      );
      fc.assert(
        fc.property(
          fc.array(chunk, { maxLength: 6 }),
          fc.constantFrom('', 'X-T: 1\r\n', 'A: b\r\nC:\r\n'),
          fc.array(fc.nat(), { maxLength: 8 }),
          (chunks, trailers, cuts) => {
            const wire = Buffer.concat([
              ...chunks.map(([data, ext, pad]) =>
                Buffer.concat([bytes(`${'0'.repeat(pad)}${data.length.toString(16)}${ext}\r\n`), data, bytes('\r\n')]),
              ),
              bytes(`0\r\n${trailers}\r\n`),
            ]);
            const points = [...new Set(cuts.map((cut) => cut % (wire.length + 1)))].sort((a, b) => a - b);
            const pieces = [0, ...points].map((start, i, all) => wire.subarray(start, all[i + 1] ?? wire.length));
            const expected = Buffer.concat(chunks.map(([data]) => data)).toString('latin1');
            expect(outcomeOf(decode(pieces))).toBe(`body ${expected}`);
          },
        ),
        { numRuns: fuzzRuns(10_000) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'fuzz: hostile bytes give the same outcome in one read and byte by byte, and only ProtocolErrors',
    () => {
      const hostile = fc.oneof(
        fc.uint8Array({ maxLength: 80 }),
        fc
          .array(
            fc.constantFrom(
              '0',
              '2',
              'f',
              'F',
              'x',
              '-',
              ' ',
              ';',
              '=',
              '"',
              '\r',
              '\n',
              '\r\n',
              '{}',
              'X-T: 1',
              ':',
              '\0',
            ),
            { maxLength: 30 },
          )
          .map((parts) => new Uint8Array(bytes(parts.join('')))),
      );
      fc.assert(
        fc.property(hostile, (input) => {
          const whole = decode([input]);
          const single = decode([...input].map((byte) => Uint8Array.of(byte)));
          for (const result of [whole, single])
            if ('error' in result) expect(result.error).toBeInstanceOf(ProtocolError);
          expect(outcomeOf(single)).toBe(outcomeOf(whole));
        }),
        { numRuns: fuzzRuns(10_000) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
