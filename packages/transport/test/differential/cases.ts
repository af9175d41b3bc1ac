// The hostile answers of the differential suite. Names starting "row N" are the rows of issue 17's
// table (where @x did worse before); the rest cover the list of hostile servers.
import type { Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { pump, type Script } from './hostile-server';

export interface HostileCase extends Script {
  readonly name: string;
  /** Hang detection for this case (ms). */
  readonly timeoutMs?: number;
  /** Why @x may refuse an answer that both oracles accept (a documented choice). */
  readonly stricter?: string;
  /** Wait this long after the case before the follow-up (for servers that act later). */
  readonly pauseMs?: number;
}

const H = 'HTTP/1.1 200 OK\r\n';
const ok = (body = '{}', extra = '') =>
  `${H}Content-Type: application/json\r\n${extra}Content-Length: ${Buffer.byteLength(body, 'latin1')}\r\n\r\n${body}`;
const CHUNKED = `${H}Transfer-Encoding: chunked\r\n\r\n`;
const chunked = (body: string) => `${CHUNKED}${body}`;

/** Writes `pieces` one per timer tick (each its own read on the client), stopping if the socket closes. */
const trickle =
  (pieces: string[], every = 2) =>
  (socket: Socket) => {
    let index = 0;
    const timer = setInterval(() => {
      if (socket.destroyed || index >= pieces.length) return clearInterval(timer);
      socket.write(pieces[index++]!, 'latin1');
    }, every);
    socket.on('close', () => clearInterval(timer));
  };
/** Writes `piece` every `ms` until the socket closes. */
const forever = (first: string, piece: string, ms: number) => (socket: Socket) => {
  socket.write(first, 'latin1');
  const timer = setInterval(() => (socket.destroyed ? clearInterval(timer) : socket.write(piece, 'latin1')), ms);
  socket.on('close', () => clearInterval(timer));
};
const later = (ms: number, bytes: string) => (socket: Socket) => {
  const timer = setTimeout(() => socket.destroyed || socket.write(bytes, 'latin1'), ms);
  socket.on('close', () => clearTimeout(timer));
};

const MB = 1024 * 1024;
const STATUS_RANGE = 'RFC 9110 §15 status codes are 100-599: anything else is not an HTTP answer @x could act on';
const gzipped = gzipSync('{"Response":{"RequestId":"r-1"}}');

export const CASES: readonly HostileCase[] = [
  // The table of issue 17.
  { name: 'row 1: status 000 with Content-Length', answer: 'HTTP/1.1 000 OK\r\nContent-Length: 2\r\n\r\n{}' },
  { name: 'row 1: status 099 with Content-Length', answer: 'HTTP/1.1 099 OK\r\nContent-Length: 2\r\n\r\n{}' },
  { name: 'row 2: chunked body with bare-LF lines', answer: chunked('2\n{}\n0\n\n') },
  { name: 'row 3: head with bare LF line ends', answer: 'HTTP/1.1 200 OK\nContent-Length: 2\n\n{}' },
  {
    name: 'row 4: a bare LF inside the head (Content-Length after it)',
    answer: `${H}X-A: 1\nContent-Length: 2\r\n\r\n{}`,
  },
  { name: 'row 4: a bare CR inside a header line', answer: `${H}X-A: 1\rContent-Length: 2\r\n\r\n{}` },
  { name: 'row 5: whitespace before the colon', answer: `${H}Content-Length : 2\r\n\r\n{}` },
  { name: 'row 5: \\xa0 before the colon', answer: `${H}Content-Length\xa0: 2\r\n\r\n{}` },
  { name: 'row 5: obs-fold continuation line', answer: `${H}X-A: 1\r\n  folded\r\nContent-Length: 2\r\n\r\n{}` },
  {
    name: 'row 6: "Transfer-Encoding : chunked" with Content-Length',
    answer: `${H}Transfer-Encoding : chunked\r\nContent-Length: 2\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
  },
  {
    name: 'row 7: Content-Length and Transfer-Encoding: chunked together',
    answer: `${H}Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
  },
  { name: 'row 8: NUL in a header value', answer: `${H}X-A: a\0b\r\nContent-Length: 2\r\n\r\n{}` },
  { name: 'row 8: bare CR in a header value', answer: `${H}X-A: a\rb\r\nContent-Length: 2\r\n\r\n{}` },
  {
    name: 'row 9: "0\\r\\n" then endless trailer lines',
    answer: (socket) => {
      socket.write(chunked('2\r\n{}\r\n0\r\n'), 'latin1');
      pump(socket, Buffer.from(`X-Trailer: ${'t'.repeat(1000)}\r\n`), 50 * MB);
    },
    timeoutMs: 8000,
  },
  { name: 'row 11: zero-padded chunk size 0000000000000002', answer: chunked('0000000000000002\r\n{}\r\n0\r\n\r\n') },

  // Status lines.
  { name: 'status 999', answer: 'HTTP/1.1 999 OK\r\nContent-Length: 2\r\n\r\n{}', stricter: STATUS_RANGE },
  { name: 'status 600', answer: 'HTTP/1.1 600 OK\r\nContent-Length: 2\r\n\r\n{}', stricter: STATUS_RANGE },
  { name: 'status 2x0', answer: 'HTTP/1.1 2x0 OK\r\nContent-Length: 2\r\n\r\n{}' },
  { name: 'HTTP/2 200 status line', answer: 'HTTP/2 200 OK\r\nContent-Length: 2\r\n\r\n{}' },
  { name: 'lower-case http/1.1', answer: 'http/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}' },
  { name: 'no reason phrase, no space', answer: 'HTTP/1.1 200\r\nContent-Length: 2\r\n\r\n{}' },
  { name: 'no reason phrase, with its space', answer: 'HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\n{}' },
  { name: 'two spaces before the status', answer: 'HTTP/1.1  200 OK\r\nContent-Length: 2\r\n\r\n{}' },
  { name: 'status glued to the reason', answer: 'HTTP/1.1 200OK\r\nContent-Length: 2\r\n\r\n{}' },
  { name: 'reason phrase with obs-text', answer: 'HTTP/1.1 200 \xd6K\r\nContent-Length: 2\r\n\r\n{}' },
  { name: 'not HTTP at all', answer: 'SSH-2.0-OpenSSH_9.6\r\n\r\n' },
  { name: '404 with a JSON body', answer: 'HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\n{}' },
  {
    name: '500 with a chunked body',
    answer: `HTTP/1.1 500 Internal Server Error\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
  },

  // HTTP/1.0 and interim answers.
  { name: 'HTTP/1.0 with Content-Length, no keep-alive', answer: 'HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}' },
  {
    name: 'HTTP/1.0 with Connection: keep-alive',
    answer: 'HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}',
  },
  { name: 'HTTP/1.0 close-delimited', answer: 'HTTP/1.0 200 OK\r\n\r\n{"a":1}', then: 'end' },
  { name: '100 Continue then 200', answer: `HTTP/1.1 100 Continue\r\n\r\n${ok()}` },
  { name: '103 Early Hints then 200', answer: `HTTP/1.1 103 Early Hints\r\nLink: </a>; rel=preload\r\n\r\n${ok()}` },
  { name: '100 Continue in its own read, then 200', answer: trickle(['HTTP/1.1 100 Continue\r\n\r\n', ok()]) },
  {
    name: '65k interim answers then 200',
    answer: `${'HTTP/1.1 100 Continue\r\n\r\n'.repeat(65536)}${ok()}`,
    timeoutMs: 8000,
  },
  {
    name: '101 Switching Protocols',
    answer: 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n',
  },
  { name: '102 Processing then 200', answer: `HTTP/1.1 102 Processing\r\n\r\n${ok()}` },

  // Header syntax.
  { name: 'header name with a space', answer: `${H}X A: 1\r\nContent-Length: 2\r\n\r\n{}` },
  { name: 'header name with a non-token character', answer: `${H}X(A): 1\r\nContent-Length: 2\r\n\r\n{}` },
  { name: 'empty header name', answer: `${H}: 1\r\nContent-Length: 2\r\n\r\n{}` },
  { name: 'header line without a colon', answer: `${H}broken\r\nContent-Length: 2\r\n\r\n{}` },
  { name: 'tab before the colon', answer: `${H}Content-Length\t: 2\r\n\r\n{}` },
  { name: 'DEL in a header value', answer: `${H}X-A: a\x7fb\r\nContent-Length: 2\r\n\r\n{}` },
  { name: 'obs-text in a header value', answer: `${H}X-A: caf\xe9\r\nContent-Length: 2\r\n\r\n{}` },
  { name: 'empty header value', answer: `${H}X-A:\r\nContent-Length: 2\r\n\r\n{}` },
  { name: 'whitespace line before the headers', answer: `${H} \r\nContent-Length: 2\r\n\r\n{}` },
  { name: 'status line ending in a bare LF', answer: 'HTTP/1.1 200 OK\nContent-Length: 2\r\n\r\n{}' },
  { name: 'head ending in LF CR LF', answer: `${H}Content-Length: 2\n\r\n{}` },

  // Content-Length.
  { name: 'duplicate Content-Length, equal', answer: `${H}Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}` },
  { name: 'duplicate Content-Length, different', answer: `${H}Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}x` },
  { name: 'Content-Length: +2', answer: `${H}Content-Length: +2\r\n\r\n{}` },
  { name: 'Content-Length: 2, 2', answer: `${H}Content-Length: 2, 2\r\n\r\n{}` },
  { name: 'Content-Length: -1', answer: `${H}Content-Length: -1\r\n\r\n{}` },
  { name: 'Content-Length: 0x2', answer: `${H}Content-Length: 0x2\r\n\r\n{}` },
  {
    name: 'Content-Length with 20 digits',
    answer: `${H}Content-Length: 00000000000000000002\r\n\r\n{}`,
    stricter: 'more than 15 digits is refused whatever its value (a cheap cap on absurd lengths)',
  },
  { name: 'Content-Length of 20 significant digits', answer: `${H}Content-Length: 12345678901234567890\r\n\r\n{}` },
  { name: 'Content-Length padded with spaces', answer: `${H}Content-Length:    2   \r\n\r\n{}` },
  { name: 'empty Content-Length', answer: `${H}Content-Length:\r\n\r\n{}` },
  { name: 'Content-Length shorter than the body', answer: `${H}Content-Length: 2\r\n\r\n{}xx` },
  { name: 'Content-Length longer than the body, then close', answer: `${H}Content-Length: 10\r\n\r\n{}`, then: 'end' },
  { name: 'Content-Length longer than the body, kept open', answer: `${H}Content-Length: 10\r\n\r\n{}` },
  { name: 'Content-Length: 0 then stray bytes', answer: `${H}Content-Length: 0\r\n\r\nxyz` },

  // Transfer-Encoding and chunks.
  { name: 'chunked, valid', answer: chunked('2\r\n{}\r\n0\r\n\r\n') },
  {
    name: 'chunked, one byte per read',
    answer: trickle([...chunked('7\r\n{"a":1}\r\n0\r\n\r\n')], 1),
    timeoutMs: 4000,
  },
  { name: 'chunked, 1000 one-byte chunks', answer: chunked(`${'1\r\nx\r\n'.repeat(1000)}0\r\n\r\n`) },
  { name: 'chunk extensions', answer: chunked('2;name=value\r\n{}\r\n0;last\r\n\r\n') },
  { name: 'chunk extension with a quoted string', answer: chunked('2;a="b c"\r\n{}\r\n0\r\n\r\n') },
  { name: 'chunk extension after a space', answer: chunked('2 ;a=b\r\n{}\r\n0\r\n\r\n') },
  { name: 'trailers', answer: chunked('2\r\n{}\r\n0\r\nX-Checksum: abc\r\n\r\n') },
  { name: 'trailer line without a colon', answer: chunked('2\r\n{}\r\n0\r\nbroken\r\n\r\n') },
  { name: 'upper-case hex size', answer: chunked(`A\r\n${'x'.repeat(10)}\r\n0\r\n\r\n`) },
  { name: 'invalid size characters', answer: chunked('zz\r\n{}\r\n0\r\n\r\n') },
  { name: '0x prefix on a chunk size', answer: chunked('0x2\r\n{}\r\n0\r\n\r\n') },
  { name: 'negative chunk size', answer: chunked('-2\r\n{}\r\n0\r\n\r\n') },
  { name: 'chunk size of 18 x f (overflow)', answer: chunked(`${'f'.repeat(18)}\r\n{}\r\n0\r\n\r\n`) },
  { name: 'chunk size 20000000000001 (past 2^53)', answer: chunked('20000000000001\r\n{}\r\n0\r\n\r\n') },
  { name: 'empty chunk size line', answer: chunked('\r\n{}\r\n0\r\n\r\n') },
  {
    name: 'chunk size line longer than 4 KiB in one read',
    answer: chunked(`2;${'e'.repeat(5000)}\r\n{}\r\n0\r\n\r\n`),
    stricter:
      'chunk-size lines (extensions included) are capped at 4 KiB, so a server cannot make the client buffer a line without end',
  },
  { name: 'chunk data longer than its size', answer: chunked('2\r\n{}xx\r\n0\r\n\r\n') },
  { name: 'chunk data shorter than its size, then close', answer: chunked('5\r\n{}\r\n0\r\n\r\n'), then: 'end' },
  { name: 'chunk size line with a bare CR', answer: chunked('2\r{}\r\n0\r\n\r\n') },
  { name: 'missing final CRLF, then close', answer: chunked('2\r\n{}\r\n0\r\n'), then: 'end' },
  { name: 'missing final CRLF, kept open', answer: chunked('2\r\n{}\r\n0\r\n') },
  { name: 'bytes after the last chunk', answer: chunked('2\r\n{}\r\n0\r\n\r\nHTTP/1.1 200 OK\r\n') },
  {
    name: 'Transfer-Encoding: gzip, chunked',
    answer: `${H}Transfer-Encoding: gzip, chunked\r\n\r\n${gzipped.length.toString(16)}\r\n${gzipped.toString('latin1')}\r\n0\r\n\r\n`,
  },
  {
    name: 'Transfer-Encoding: chunked, identity',
    answer: `${H}Transfer-Encoding: chunked, identity\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
    then: 'end',
  },
  {
    name: 'Transfer-Encoding: chunked, chunked',
    answer: `${H}Transfer-Encoding: chunked, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
  },
  {
    name: 'Transfer-Encoding: chunked twice as header lines',
    answer: `${H}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
  },
  { name: 'Transfer-Encoding: identity, then close', answer: `${H}Transfer-Encoding: identity\r\n\r\n{}`, then: 'end' },
  {
    name: 'chunked close-delimited (connection closed after the last chunk)',
    answer: chunked('2\r\n{}\r\n0\r\n\r\n'),
    then: 'end',
  },

  // Empty answers and framing.
  { name: '204 with a body', answer: 'HTTP/1.1 204 No Content\r\n\r\n{}' },
  { name: '304 with a body', answer: 'HTTP/1.1 304 Not Modified\r\nContent-Length: 2\r\n\r\n{}' },
  { name: '204, clean', answer: 'HTTP/1.1 204 No Content\r\n\r\n' },
  { name: 'no framing, then close', answer: `${H}Content-Type: application/json\r\n\r\n{"a":1}`, then: 'end' },
  { name: 'no framing, kept open', answer: `${H}Content-Type: application/json\r\n\r\n{"a":1}` },
  { name: 'Connection: close, socket kept open', answer: ok('{}', 'Connection: close\r\n') },
  { name: 'Keep-Alive: timeout=1', answer: ok('{}', 'Keep-Alive: timeout=1\r\n') },
  {
    name: 'gzip Content-Encoding',
    answer: Buffer.concat([
      Buffer.from(`${H}Content-Encoding: gzip\r\nContent-Length: ${gzipped.length}\r\n\r\n`),
      gzipped,
    ]),
  },

  // Unsolicited answers.
  {
    name: 'an unsolicited response on the idle connection',
    answer: (socket) => (socket.write(ok(), 'latin1'), later(20, ok('{"stray":1}'))(socket)),
    pauseMs: 60,
  },
  { name: 'two responses to one request (racing the next)', answer: `${ok()}${ok('{"second":1}')}` },
  { name: 'a response before the request', onAccept: (socket) => socket.write(ok('{"early":1}')) },

  // Closes and resets.
  { name: 'close on accept', onAccept: (socket) => socket.end() },
  { name: 'RST on accept', onAccept: (socket) => socket.resetAndDestroy() },
  { name: 'close mid-head', answer: `${H}Content-Len`, then: 'end' },
  { name: 'RST mid-head', answer: `${H}Content-Len`, then: 'reset' },
  { name: 'close mid-body', answer: `${H}Content-Length: 10\r\n\r\n{"a"`, then: 'end' },
  { name: 'RST mid-body', answer: `${H}Content-Length: 10\r\n\r\n{"a"`, then: 'reset' },
  { name: 'close mid-chunk', answer: chunked('a\r\n{"a"'), then: 'end' },
  { name: 'close without answering', answer: '', then: 'end' },
  { name: 'RST without answering', answer: '', then: 'reset' },
  { name: 'FIN right after a response', answer: ok(), then: 'end' },

  // Sizes and slowness.
  { name: 'slowloris head (a byte every 50 ms)', answer: forever(H, 'X', 50) },
  { name: '1 MB of headers', answer: `${H}X-Big: ${'a'.repeat(MB)}\r\nContent-Length: 2\r\n\r\n{}` },
  { name: '50k header lines', answer: `${H}${'X-N: 1\r\n'.repeat(50_000)}Content-Length: 2\r\n\r\n{}` },
  {
    name: 'a 100 MB body',
    answer: (socket) => {
      socket.write(`${H}Content-Length: ${100 * MB}\r\n\r\n`);
      pump(socket, Buffer.alloc(MB, 0x61), 100 * MB);
    },
    timeoutMs: 20_000,
  },
];
