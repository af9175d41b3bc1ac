// The small parts of the HTTP/1.1 client, each alone: the body queue's backpressure and its
// failure rules, how an exchange ends, the NetworkError of a closed connection, the request head
// checks, and the edges of the head parser and the chunked decoder (exact messages, boundaries).
import type { Socket } from 'node:net';
import { NetworkError, UsageError } from '@x/errors';
import { describe, expect, it } from 'vitest';
import { BodyQueue, HIGH_WATER_BYTES, ResponseHeaders } from '../src/http1/body';
import { ChunkedDecoder, MAX_CHUNK_LINE_BYTES, MAX_TRAILER_BYTES } from '../src/http1/chunked';
import { chain, closedError, completeExchange, failExchange, type Exchange } from '../src/http1/exchange';
import {
  bodyFraming,
  findHeadEnd,
  keepsAlive,
  MAX_HEAD_BYTES,
  parseResponseHead,
  ProtocolError,
  serverKeepAliveMs,
} from '../src/http1/head';
import { requestHead } from '../src/http1/request';

/** A socket as the body queue sees it: pause, resume, isPaused, with a log of the calls. */
function fakeSocket() {
  const calls: string[] = [];
  let paused = false;
  const socket = {
    pause: () => (calls.push('pause'), (paused = true)),
    resume: () => (calls.push('resume'), (paused = false)),
    isPaused: () => paused,
  };
  return { socket: socket as unknown as Socket, calls };
}

const bytes = (text: string) => Buffer.from(text, 'latin1');

describe('BodyQueue', () => {
  it('pauses the socket only past the high-water mark, and resumes once the reader is back under it', async () => {
    expect(HIGH_WATER_BYTES).toBe(1024 * 1024);
    const { socket, calls } = fakeSocket();
    const queue = new BodyQueue(socket, () => calls.push('release'));
    queue.push(new Uint8Array(HIGH_WATER_BYTES)); // exactly at the mark: not past it
    expect(calls).toEqual([]);
    queue.push(new Uint8Array(1));
    expect(calls).toEqual(['pause']);
    expect((await queue.next()).value).toHaveLength(HIGH_WATER_BYTES); // 1 byte left: resume
    expect(calls).toEqual(['pause', 'resume']);
    expect((await queue.next()).value).toHaveLength(1);
    expect(calls).toEqual(['pause', 'resume']); // not paused: nothing to resume
    queue.end();
    expect(await queue.next()).toEqual({ done: true, value: undefined });
  });

  it('resumes once the unread bytes are back at the mark exactly', async () => {
    const { socket, calls } = fakeSocket();
    const queue = new BodyQueue(socket, () => undefined);
    queue.push(new Uint8Array(1));
    queue.push(new Uint8Array(HIGH_WATER_BYTES));
    expect(calls).toEqual(['pause']);
    await queue.next(); // HIGH_WATER_BYTES left: not past the mark
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('stays paused while the unread bytes are still past the mark', async () => {
    const { socket, calls } = fakeSocket();
    const queue = new BodyQueue(socket, () => undefined);
    queue.push(new Uint8Array(10));
    queue.push(new Uint8Array(HIGH_WATER_BYTES + 5));
    expect(calls).toEqual(['pause']);
    await queue.next(); // 10 bytes read: HIGH_WATER_BYTES + 5 still queued
    expect(calls).toEqual(['pause']);
    await queue.next();
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('an ended body does not resume a paused socket (the connection decides)', async () => {
    const { socket, calls } = fakeSocket();
    const queue = new BodyQueue(socket, () => undefined);
    queue.push(new Uint8Array(HIGH_WATER_BYTES + 1));
    queue.end();
    await queue.next();
    expect(calls).toEqual(['pause']);
  });

  it('a reader waiting for bytes wakes on push, end and fail', async () => {
    const { socket } = fakeSocket();
    const queue = new BodyQueue(socket, () => undefined);
    const first = queue.next();
    queue.push(bytes('a'));
    expect(Buffer.from((await first).value as Uint8Array).toString()).toBe('a');
    const second = queue.next();
    const reason = new Error('broken');
    queue.fail(reason);
    await expect(second).rejects.toBe(reason);
    await expect(queue.next()).rejects.toBe(reason); // stays failed
    const other = new BodyQueue(socket, () => undefined);
    const waiting = other.next();
    other.end();
    expect(await waiting).toEqual({ done: true, value: undefined });
  });

  it('fail() keeps the queued chunks for the reader, unless told to drop them; only the first failure counts', async () => {
    const { socket } = fakeSocket();
    const queue = new BodyQueue(socket, () => undefined);
    queue.push(bytes('kept'));
    const first = new Error('first');
    queue.fail(first);
    queue.fail(new Error('second'), true); // ignored: already failed
    expect(Buffer.from((await queue.next()).value as Uint8Array).toString()).toBe('kept');
    await expect(queue.next()).rejects.toBe(first);

    const dropped = new BodyQueue(socket, () => undefined);
    dropped.push(bytes('dropped'));
    const reason = new Error('cancelled');
    dropped.fail(reason, true);
    await expect(dropped.next()).rejects.toBe(reason);
  });

  it('dropping the queue forgets its bytes: later pushes do not pause below the mark', async () => {
    const { socket, calls } = fakeSocket();
    const queue = new BodyQueue(socket, () => undefined);
    queue.push(new Uint8Array(HIGH_WATER_BYTES));
    queue.fail(new Error('x'), true);
    queue.push(new Uint8Array(1));
    expect(calls).toEqual([]);
  });

  it('an ended body ignores a failure: the reader gets every chunk and the end', async () => {
    const { socket } = fakeSocket();
    const queue = new BodyQueue(socket, () => undefined);
    queue.push(bytes('x'));
    queue.end();
    queue.fail(new Error('late'), true);
    expect((await queue.next()).done).toBe(false);
    expect((await queue.next()).done).toBe(true);
  });

  it('return() before the end releases the connection and fails later reads; after the end it does nothing', async () => {
    const { socket } = fakeSocket();
    let released = 0;
    const queue = new BodyQueue(socket, () => released++);
    expect(queue[Symbol.asyncIterator]()).toBe(queue);
    expect(await queue.return()).toEqual({ done: true, value: undefined });
    expect(released).toBe(1);
    await expect(queue.next()).rejects.toThrow('the body was released before its end');

    const ended = new BodyQueue(socket, () => released++);
    ended.end();
    expect(await ended.return()).toEqual({ done: true, value: undefined });
    expect(released).toBe(1);
  });

  it('ResponseHeaders reads names in any case and gives null for a missing one', () => {
    const headers = new ResponseHeaders(new Map([['content-type', 'application/json']]));
    expect(headers.get('Content-Type')).toBe('application/json');
    expect(headers.get('CONTENT-TYPE')).toBe('application/json');
    expect(headers.get('x-missing')).toBeNull();
  });
});

describe('exchanges', () => {
  const exchange = (answered = false) => {
    const outcome: { rejected?: unknown; done: number } = { done: 0 };
    const value: Exchange = {
      method: 'GET',
      data: '',
      resolve: () => undefined,
      reject: (reason) => (outcome.rejected = reason),
      done: false,
      answered,
      onDone: () => void outcome.done++,
    };
    return { value, outcome };
  };

  it('an exchange without onDone or body ends and fails quietly', () => {
    const bare: Exchange = {
      method: 'GET',
      data: '',
      resolve: () => undefined,
      reject: () => undefined,
      done: false,
      answered: true,
    };
    expect(() => failExchange(bare, new Error('after an answer read whole'))).not.toThrow();
    expect(bare.done).toBe(true);
    const other: Exchange = { ...bare, done: false, answered: false };
    expect(() => completeExchange(other)).not.toThrow();
    expect(other.done).toBe(true);
  });

  it('completeExchange runs onDone once', () => {
    const { value, outcome } = exchange();
    completeExchange(value);
    completeExchange(value);
    expect(value.done).toBe(true);
    expect(outcome.done).toBe(1);
  });

  it('failExchange rejects before the answer, fails the body after it, and does nothing once done', async () => {
    const before = exchange();
    const reason = new Error('r');
    failExchange(before.value, reason);
    expect(before.outcome).toEqual({ rejected: reason, done: 1 });
    failExchange(before.value, new Error('again'));
    expect(before.outcome).toEqual({ rejected: reason, done: 1 });

    const after = exchange(true);
    const { socket } = fakeSocket();
    after.value.body = new BodyQueue(socket, () => undefined);
    failExchange(after.value, reason);
    expect(after.outcome).toEqual({ done: 1 });
    await expect(after.value.body.next()).rejects.toBe(reason);
  });

  it('chain runs the first then the second, or the second alone', () => {
    const order: string[] = [];
    chain(
      () => order.push('a'),
      () => order.push('b'),
    )();
    chain(undefined, () => order.push('c'))();
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('closedError: a cause of its own when none is given, worded by whether the head came', () => {
    const { value } = exchange();
    const unanswered = closedError(value, undefined, 'http://e', true);
    expect(unanswered).toBeInstanceOf(NetworkError);
    expect(unanswered.message).toContain('the server closed the connection without answering');
    expect(unanswered).toMatchObject({ endpoint: 'http://e', mayHaveReachedServer: true });
    expect((unanswered.cause as Error).message).toBe('the server closed the connection without answering');
    value.answered = true;
    expect(closedError(value, undefined, 'http://e', true).message).toContain(
      'the connection closed before the response body ended',
    );
  });

  it('closedError: may the request have reached the server? not before connecting, nor on a refusal', () => {
    const { value } = exchange();
    const coded = (code: string) => Object.assign(new Error(`connect ${code}`), { code });
    expect(closedError(value, coded('ECONNRESET'), 'e', true)).toMatchObject({
      mayHaveReachedServer: true,
      systemCode: 'ECONNRESET',
    });
    expect(closedError(value, coded('ECONNRESET'), 'e', false).mayHaveReachedServer).toBe(false);
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])
      expect(closedError(value, coded(code), 'e', true).mayHaveReachedServer, code).toBe(false);
    expect(closedError(value, new Error('plain'), 'e', true).mayHaveReachedServer).toBe(true);
  });

  it('closedError: the detail is the cause message, or a fixed text when it has none', () => {
    const { value } = exchange();
    expect(closedError(value, new Error('socket hang up'), 'e', true).message).toContain('socket hang up');
    const silent = closedError(value, new Error(''), 'e', true);
    expect(silent.message).toContain('the request failed');
    expect(closedError(value, 'a string', 'e', true).message).toContain('the request failed');
  });
});

describe('requestHead', () => {
  it('writes the request line, Host, the headers in order, then the extra lines and the blank line', () => {
    expect(requestHead('GET', '/p?q=1', 'h:1', { A: '1', 'b-c': 'x y\tz' }, 'Extra: 1\r\n')).toBe(
      'GET /p?q=1 HTTP/1.1\r\nHost: h:1\r\nA: 1\r\nb-c: x y\tz\r\nExtra: 1\r\n\r\n',
    );
    expect(requestHead('GET', '/', 'h', {}, '')).toBe('GET / HTTP/1.1\r\nHost: h\r\n\r\n');
  });

  it.each([
    ['a space', '/a b'],
    ['a control byte', '/a\x01'],
    ['DEL', '/a\x7f'],
    ['non-ASCII', '/é'],
    ['nothing', ''],
  ])('refuses a target with %s', (_name, target) => {
    let error: unknown;
    try {
      requestHead('GET', target, 'h', {}, '');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ argument: 'url' });
    expect((error as Error).message).toContain('the request URL has a character HTTP does not allow');
  });

  it('accepts every visible ASCII byte in the target', () => {
    const visible = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).join('');
    expect(requestHead('GET', visible, 'h', {}, '')).toContain(`GET ${visible} HTTP/1.1`);
  });

  it('a header name that is not a token is refused by name', () => {
    let error: unknown;
    try {
      requestHead('GET', '/', 'h', { 'Bad(name)': 'v' }, '');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ argument: 'headers.Bad(name)' });
    expect((error as Error).message).toContain('"Bad(name)" is not a valid HTTP header name');
  });

  it.each([
    ['DEL', 'a\x7fb'],
    ['NUL', 'a\0'],
    ['LF', 'a\nb'],
    ['non-ASCII', 'é'],
  ])('a value with %s is refused, naming the header', (_name, value) => {
    let error: unknown;
    try {
      requestHead('GET', '/', 'h', { 'X-Value': value }, '');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ argument: 'headers.X-Value' });
    expect((error as Error).message).toContain(
      'the value of the X-Value header has a character HTTP does not allow (control characters and non-ASCII are refused)',
    );
  });

  it('a framing header is refused even after many other names were checked', () => {
    expect(() => requestHead('GET', '/', 'h', { Upgrade: 'h2c' }, '')).toThrow(/framing or connection header/);
    expect(() => requestHead('GET', '/', 'h', { 'HTTP2-Settings': 'x' }, '')).toThrow(UsageError);
  });
});

describe('response heads: edges', () => {
  it('findHeadEnd: a LF as the very first byte is bare', () => {
    expect(() => findHeadEnd(bytes('\nHTTP/1.1 200 OK\r\n\r\n'), 0)).toThrow(ProtocolError);
    expect(() => findHeadEnd(bytes('\nHTTP/1.1 200 OK\r\n\r\n'), 0)).toThrow(
      'the response head has a line ending in a bare LF',
    );
  });

  it('findHeadEnd: the shortest head (CRLF CRLF) ends at 4; a CRLF alone needs more', () => {
    expect(findHeadEnd(bytes('\r\n\r\n'), 0)).toBe(4);
    expect(findHeadEnd(bytes('\r\n'), 0)).toBe(-1);
    expect(findHeadEnd(bytes('HTTP/1.1 200 OK\r\n\r\n'), 17)).toBe(19);
  });

  it('findHeadEnd: a CR just before `from` followed by a non-LF is a bare CR', () => {
    const buffer = bytes('HTTP/1.1 200 OK\rX');
    expect(() => findHeadEnd(buffer, 16)).toThrow('the response head has a bare CR');
    // A CR at the very end may still get its LF.
    expect(findHeadEnd(bytes('HTTP/1.1 200 OK\r'), 0)).toBe(-1);
    expect(findHeadEnd(bytes('\r'), 0)).toBe(-1);
    expect(() => findHeadEnd(bytes('\rX'), 0)).toThrow('the response head has a bare CR');
    // A CR two bytes before an LF is not a blank line, nor is a bare CR before a CRLF.
    expect(findHeadEnd(bytes('HTTP/1.1 200 OK\r\nY\r\n'), 0)).toBe(-1);
    expect(() => findHeadEnd(bytes('HTTP/1.1 200 OK\rX\r\n'), 0)).toThrow('the response head has a bare CR');
  });

  it('findHeadEnd: LFs scanned from `from` only (earlier ones were checked)', () => {
    const buffer = bytes('X\nHTTP/1.1 200 OK\r\n\r\n');
    expect(findHeadEnd(buffer, 2)).toBe(buffer.length);
  });

  it('findHeadEnd: a blank line needs its CR too (LF LF is a bare LF)', () => {
    expect(() => findHeadEnd(bytes('HTTP/1.1 200 OK\r\n\n'), 0)).toThrow(/bare LF/);
  });

  it('the messages name what was wrong', () => {
    const message = (text: string) => {
      try {
        parseResponseHead(text);
      } catch (err) {
        expect(err).toBeInstanceOf(ProtocolError);
        expect((err as Error).name).toBe('ProtocolError');
        return (err as Error).message;
      }
      return 'parsed';
    };
    expect(message('HTTP/1.1 2000 OK')).toBe('the server did not answer in HTTP/1.1 (status line "HTTP/1.1 2000 OK")');
    expect(message(`ICY 200 ${'x'.repeat(60)}`)).toBe(
      `the server did not answer in HTTP/1.1 (status line ${JSON.stringify(`ICY 200 ${'x'.repeat(32)}`)})`,
    );
    expect(message('HTTP/1.1 200 OK\r\n folded')).toBe('the response head has an obs-fold continuation line');
    expect(message('HTTP/1.1 200 OK\r\n\tfolded')).toBe('the response head has an obs-fold continuation line');
    expect(message('HTTP/1.1 200 OK\r\n: empty name')).toBe('the response head has a line that is not a header field');
    expect(message('HTTP/1.1 200 OK\r\nno colon')).toBe('the response head has a line that is not a header field');
    expect(message(`HTTP/1.1 200 OK\r\n${'N'.repeat(50)} x: 1`)).toBe(
      `the response has an invalid header name ${JSON.stringify(`${'N'.repeat(40)}`)}`,
    );
    expect(message('HTTP/1.1 200 OK\r\nX-Ctl: a\x01')).toBe(
      'the value of the response header X-Ctl has a control character',
    );
    expect(message('HTTP/1.1 200 OK\r\nX-Del: a\x7f')).toBe(
      'the value of the response header X-Del has a control character',
    );
    expect(message('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 1')).toBe(
      'the response has more than one Content-Length header',
    );
    expect(message(`HTTP/1.1 200 OK\r\nContent-Length: ${'9'.repeat(16)}`)).toBe(
      `the response has an invalid Content-Length ${JSON.stringify('9'.repeat(16))}`,
    );
    expect(message(`HTTP/1.1 200 OK\r\nContent-Length: ${'1'.repeat(50)}x`)).toBe(
      `the response has an invalid Content-Length ${JSON.stringify('1'.repeat(40))}`,
    );
    expect(message('HTTP/1.1 200 OK\r\nContent-Length: 1x')).toMatch(/invalid Content-Length "1x"/);
    expect(message('HTTP/1.1 200 OK\r\nContent-Length: x1')).toMatch(/invalid Content-Length "x1"/);
    expect(message('HTTP/1.1 200 OK\r\nContent-Length: ')).toMatch(/invalid Content-Length ""/);
    expect(message('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2')).toBe(
      'the response has both Content-Length and Transfer-Encoding',
    );
  });

  it('accepts what RFC 9112 allows: obs-text and HTAB in values and reasons, an empty reason, 15 digits', () => {
    const head = parseResponseHead(
      `HTTP/1.1 599 R\xe9ason\tx\r\nX-Text: caf\xe9\tau lait\r\nContent-Length: ${'9'.repeat(15)}`,
    );
    expect(head.status).toBe(599);
    expect(head.headers.get('x-text')).toBe('caf\xe9\tau lait');
    expect(head.headers.get('content-length')).toBe('9'.repeat(15));
    expect(parseResponseHead('HTTP/1.1 100 ').status).toBe(100);
    expect(parseResponseHead('HTTP/1.0 200').minor).toBe(0);
    expect(parseResponseHead('HTTP/1.1 200').minor).toBe(1);
    expect(() => parseResponseHead('HTTP/1.1 200OK')).toThrow(ProtocolError);
    expect(() => parseResponseHead('xHTTP/1.1 200 OK')).toThrow(ProtocolError);
    expect(() => parseResponseHead('HTTP/1.1 200 OK\x01')).toThrow(ProtocolError);
  });

  it('trims spaces and tabs around a value, keeps them inside', () => {
    const head = parseResponseHead('HTTP/1.1 200 OK\r\nA:\t v  w \t\r\nB:v\r\nC: \t \r\nD:x ');
    expect(Object.fromEntries(head.headers)).toEqual({ a: 'v  w', b: 'v', c: '', d: 'x' });
  });

  it('repeated fields other than Content-Length are joined in order', () => {
    const head = parseResponseHead('HTTP/1.1 200 OK\r\nVia: a\r\nVIA: b\r\nvia: c');
    expect(head.headers.get('via')).toBe('a, b, c');
  });

  it('frames 204 as empty, 205 and 200 by their headers; a transfer coding without chunked runs to the close', () => {
    const framing = (method: string, text: string) => bodyFraming(method, parseResponseHead(text));
    expect(framing('GET', 'HTTP/1.1 204 No Content\r\nContent-Length: 3')).toEqual({ kind: 'none' });
    expect(framing('GET', 'HTTP/1.1 205 Reset\r\nContent-Length: 3')).toEqual({ kind: 'length', length: 3 });
    expect(framing('GET', 'HTTP/1.1 200 OK\r\nContent-Length: 0')).toEqual({ kind: 'length', length: 0 });
    expect(framing('GET', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: CHUNKED')).toEqual({ kind: 'chunked' });
    expect(framing('GET', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip,chunked\t')).toEqual({ kind: 'chunked' });
    expect(framing('GET', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: notchunked')).toEqual({ kind: 'close' });
    expect(framing('GET', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunkedx')).toEqual({ kind: 'close' });
    expect(framing('GET', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip')).toEqual({ kind: 'close' });
  });

  it('Connection: close among other tokens, in any case; keep-alive for HTTP/1.0 the same way', () => {
    const keeps = (text: string) => keepsAlive(parseResponseHead(text));
    expect(keeps('HTTP/1.1 200 OK\r\nConnection: Upgrade, CLOSE')).toBe(false);
    expect(keeps('HTTP/1.1 200 OK\r\nConnection: close ,te')).toBe(false);
    expect(keeps('HTTP/1.1 200 OK\r\nConnection: te,close')).toBe(false);
    expect(keeps('HTTP/1.1 200 OK\r\nConnection: xclose')).toBe(true);
    expect(keeps('HTTP/1.1 200 OK\r\nConnection: close-ish')).toBe(true);
    expect(keeps('HTTP/1.0 200 OK\r\nConnection: te, Keep-Alive')).toBe(true);
    expect(keeps('HTTP/1.0 200 OK\r\nConnection: keep-alive-not')).toBe(false);
    expect(keeps('HTTP/1.0 200 OK\r\nConnection: not-keep-alive')).toBe(false);
    expect(keeps('HTTP/1.1 200 OK\r\nConnection: keep-alive')).toBe(true);
  });

  it('Keep-Alive: timeout in its spellings, seconds to ms', () => {
    const ms = (value: string) => serverKeepAliveMs(parseResponseHead(`HTTP/1.1 200 OK\r\nKeep-Alive: ${value}`));
    expect(ms('timeout=5')).toBe(5000);
    expect(ms('max=3, timeout = 7')).toBe(7000);
    expect(ms('max=3;timeout="9"')).toBe(9000);
    expect(ms('TIMEOUT=2')).toBe(2000);
    expect(ms('xtimeout=4')).toBeUndefined();
    expect(ms('timeout=')).toBeUndefined();
    expect(ms('timeout=0')).toBe(0);
  });

  it('MAX_HEAD_BYTES is 64 KiB', () => {
    expect(MAX_HEAD_BYTES).toBe(65536);
  });
});

describe('chunked decoding: edges', () => {
  const run = (wire: string, split = false) => {
    const decoder = new ChunkedDecoder();
    const out: string[] = [];
    let end = -1;
    try {
      const pieces = split ? [...bytes(wire)].map((b) => Uint8Array.of(b)) : [bytes(wire)];
      for (const piece of pieces) {
        if (decoder.done) break;
        end = decoder.write(piece, (data) => out.push(Buffer.from(data).toString('latin1')));
      }
    } catch (err) {
      expect(err).toBeInstanceOf(ProtocolError);
      return `error: ${(err as Error).message}`;
    }
    return `${decoder.done ? 'done' : 'partial'} ${end} ${out.join('')}`;
  };

  it('reads hex digits in both cases, and nothing next to them', () => {
    const data = 'x'.repeat(0xaf);
    expect(run(`aF\r\n${data}\r\n0\r\n\r\n`)).toBe(`done ${0xaf + 11} ${data}`);
    expect(run(`Af\r\n${data}\r\n0\r\n\r\n`, true)).toBe(`done 1 ${data}`);
    expect(run(`9\r\n${'y'.repeat(9)}\r\n0\r\n\r\n`)).toMatch(/^done /);
    for (const bad of ['g', 'G', '@', '`', '/', ':'])
      expect(run(`${bad}\r\n`), bad).toBe('error: the response has a chunk size that is not hexadecimal');
    expect(run('1g\r\n')).toBe('error: the response has a chunk size that is not hexadecimal');
  });

  it('extensions may hold HTAB and visible bytes, never other controls or DEL', () => {
    expect(run('2;a=\t"b"\r\n{}\r\n0\r\n\r\n')).toMatch(/^done .* \{\}$/);
    expect(run('2;a\x01\r\n')).toBe('error: a chunk-size line of the response has a control character');
    expect(run('2;a\x7f\r\n')).toBe('error: a chunk-size line of the response has a control character');
    expect(run('2\x00\r\n')).toBe('error: a chunk-size line of the response has a control character');
    expect(run('2;a\xff\r\n{}\r\n0\r\n\r\n')).toMatch(/^done /);
    expect(run('2;a;b\r\n{}\r\n0\r\n\r\n')).toMatch(/^done /);
  });

  it('an extension on one size line does not let the next line skip its check', () => {
    expect(run('2;x\r\n{}\r\n2 \r\n')).toBe('error: the response has a chunk size that is not hexadecimal');
    expect(run('2\r\n{}\r\n2x\r\n')).toBe('error: the response has a chunk size that is not hexadecimal');
  });

  it('names each broken line end exactly', () => {
    expect(run('2\n')).toBe('error: a chunk-size line of the response ends in a bare LF');
    expect(run('2;x\n')).toBe('error: a chunk-size line of the response ends in a bare LF');
    expect(run('2\rx')).toBe('error: a chunk-size line of the response has a bare CR');
    expect(run('2\r\n{}x')).toBe('error: a chunk of the response is longer than its size (no CRLF after its data)');
    expect(run('2\r\n{}\rx')).toBe('error: a chunk of the response does not end with CRLF');
    expect(run('0\r\nX: 1\rx')).toBe('error: a trailer line of the response has a bare CR');
    expect(run('0\r\nX: 1\n')).toBe('error: a trailer line of the response ends in a bare LF');
    expect(run('0\r\n\rx')).toBe('error: the chunked body of the response does not end with CRLF');
    expect(run('0\r\n(bad: 1\r\n')).toBe('error: the response has an invalid trailer field');
    expect(run('0\r\nX(: 1\r\n')).toBe('error: the response has an invalid trailer field name');
    expect(run('0\r\nX 1\r\n')).toBe('error: the response has an invalid trailer field name');
    expect(run('0\r\nX1\r\n')).toBe('error: the response has a trailer line that is not a field');
    expect(run('0\r\nX:\x01\r\n')).toBe('error: a trailer field of the response has a control character');
    expect(run('0\r\nX:\x7f\r\n')).toBe('error: a trailer field of the response has a control character');
    expect(run('0\r\nX:\t\xff(:)\r\n\r\n')).toMatch(/^done /);
  });

  it('a body ends where its terminating CRLF ends: -1 before that, the offset in the piece after', () => {
    expect(run('2\r\n{}\r\n0\r\n\r')).toBe('partial -1 {}');
    expect(run('2\r\n{}\r\n0\r\n\r\nextra')).toBe('done 12 {}');
    expect(run('0\r\n\r\n')).toBe('done 5 ');
    expect(run('0\r\nA: b\r\n\r\n')).toBe('done 11 ');
    // A decoder that is done stays done: a later write hands on nothing and ends at 0.
    const decoder = new ChunkedDecoder();
    decoder.write(bytes('0\r\n\r\n'), () => undefined);
    const seen: Uint8Array[] = [];
    expect(decoder.write(bytes('1\r\nx\r\n'), (d) => seen.push(d))).toBe(0);
    expect(seen).toEqual([]);
    expect(decoder.write(new Uint8Array(0), (d) => seen.push(d))).toBe(0);
  });

  it('a chunk split over reads is handed on piece by piece, the size counted down', () => {
    const decoder = new ChunkedDecoder();
    const seen: string[] = [];
    const push = (d: Uint8Array) => seen.push(Buffer.from(d).toString());
    expect(decoder.write(bytes('5\r\nab'), push)).toBe(-1);
    expect(decoder.write(bytes('cd'), push)).toBe(-1);
    expect(decoder.write(bytes('e\r\n0\r\n\r\n'), push)).toBe(8);
    expect(seen).toEqual(['ab', 'cd', 'e']);
  });

  it('the size line cap counts digits and the CR: 4096 bytes pass, 4097 fail', () => {
    expect(MAX_CHUNK_LINE_BYTES).toBe(4096);
    const digits = `${'0'.repeat(MAX_CHUNK_LINE_BYTES - 2)}2`; // + CR = 4096
    expect(run(`${digits}\r\n{}\r\n0\r\n\r\n`)).toMatch(/^done /);
    expect(run(`0${digits}\r\n`)).toBe('error: a chunk-size line of the response is longer than 4096 bytes');
    // Each line has its own cap: two long lines in a row pass.
    expect(run(`${digits}\r\n{}\r\n${digits}\r\n{}\r\n0\r\n\r\n`)).toMatch(/^done .* \{\}\{\}$/);
  });

  it('the trailer cap: 16 KiB of trailer bytes pass, one more fails', () => {
    expect(MAX_TRAILER_BYTES).toBe(16 * 1024);
    // One field line "X:" + value + CRLF counts every byte but the CR (CR is counted as the line's end byte).
    const field = (length: number) => `X:${'v'.repeat(length - 4)}\r\n`;
    expect(run(`0\r\n${field(MAX_TRAILER_BYTES)}\r\n`)).toMatch(/^done /);
    expect(run(`0\r\n${field(MAX_TRAILER_BYTES + 1)}\r\n`)).toBe(
      'error: the response trailers are larger than 16384 bytes',
    );
  });

  it('a size past 2^53 is refused; 2^53 - 1 is accepted', () => {
    expect(run(`${Number.MAX_SAFE_INTEGER.toString(16)}\r\nab`)).toBe('partial -1 ab');
    expect(run(`${(Number.MAX_SAFE_INTEGER + 1).toString(16)}\r\n`)).toBe(
      'error: the response has a chunk size too large to be real',
    );
  });
});
