// A lean HTTP/1.1 client on node:net / node:tls sockets, used by the Node sender.
//
// Why not node:http: on the benchmark machine node:http's ClientRequest / IncomingMessage /
// Agent machinery costs ~90 µs of CPU per keep-alive request, while writing the request with one
// socket.write and parsing the answer here costs ~35 µs (bench/README.md). API 3.0 answers are
// small JSON bodies or SSE streams, so the client needs exactly: keep-alive pools, Content-Length,
// chunked and close-delimited bodies, interim 1xx answers, TLS, proxies. Nothing else (no
// pipelining, no upgrades, no request streaming) is implemented, on purpose.
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';
import { NetworkError, UsageError } from '@x/errors';
import type { ResponseLike } from '@x/envelope';
import { systemCodeOf } from './fetch-sender';

/** Longest response head accepted (status line and headers). */
const MAX_HEAD_BYTES = 64 * 1024;
/** Past this many unread body bytes the socket is paused until the reader catches up. */
const HIGH_WATER_BYTES = 1024 * 1024;
const HEAD_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: |$)/;
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const BAD_VALUE = /[^\t\x20-\x7e]/;
/** Errors that prove the request never left this machine (the connection was never made). */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

type ResponseHeaders = ResponseLike['headers'] & { get(name: string): string | null };

/** Where and how the sockets of one pool connect. */
export interface PoolTarget {
  /** Origin the errors name (the API endpoint, never the proxy's credentials). */
  readonly endpoint: string;
  readonly https: boolean;
  /** Host name (brackets removed from IPv6) and port of the API endpoint. */
  readonly host: string;
  readonly port: number;
  /** The HTTP proxy to go through: CONNECT tunnel for https, absolute-form requests for http. */
  readonly proxy?: URL | undefined;
  readonly ca?: string | string[] | undefined;
}

export interface PoolOptions {
  readonly maxSockets: number;
  readonly keepAliveMs: number;
}

/** What a pool needs of one request: where its answer goes. */
interface Exchange {
  readonly method: string;
  /** The request bytes (head and body). */
  readonly data: string | Uint8Array;
  readonly reject: (reason: unknown) => void;
  readonly resolve: (response: ResponseLike) => void;
  /** Set once the exchange is over (answered and read, failed, or cancelled). */
  done: boolean;
  /** Whether the response head was handed out (failures go to the body from then on). */
  answered: boolean;
  connection?: Connection | undefined;
  body?: BodyQueue | undefined;
  /** Called once when the exchange is over, whatever the outcome. */
  onDone?: (() => void) | undefined;
}

const decode = (part: string): string => {
  try {
    return decodeURIComponent(part);
  } catch {
    return part; // a stray '%' in a raw password: send it as written
  }
};
const proxyAuthorization = (proxy: URL): string | undefined =>
  proxy.username ? `Basic ${Buffer.from(`${decode(proxy.username)}:${decode(proxy.password)}`, 'utf8').toString('base64')}` : undefined;


/** The chunks of one response body, handed to the reader as an async iterable. */
class BodyQueue implements AsyncIterable<Uint8Array> {
  private readonly chunks: Uint8Array[] = [];
  private queued = 0;
  private ended = false;
  private failure: unknown;
  private hasFailed = false;
  private wake: (() => void) | undefined;

  constructor(private readonly connection: Connection) {}

  push(chunk: Uint8Array): void {
    this.chunks.push(chunk);
    this.queued += chunk.byteLength;
    if (this.queued > HIGH_WATER_BYTES) this.connection.socket.pause();
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  fail(reason: unknown): void {
    if (this.ended || this.hasFailed) return;
    this.hasFailed = true;
    this.failure = reason;
    this.wake?.();
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: async () => {
        for (;;) {
          const chunk = this.chunks.shift();
          if (chunk !== undefined) {
            this.queued -= chunk.byteLength;
            if (!this.ended && this.queued <= HIGH_WATER_BYTES && this.connection.socket.isPaused()) this.connection.socket.resume();
            return { done: false, value: chunk };
          }
          if (this.ended) return { done: true, value: undefined };
          if (this.hasFailed) throw this.failure;
          await new Promise<void>((resolve) => (this.wake = resolve));
          this.wake = undefined;
        }
      },
      // Leaving early (a capped body, a stream the caller stopped) closes the connection: the
      // rest of the body is never read, so the socket cannot serve another request.
      return: async () => {
        if (!this.ended) {
          this.fail(new Error('the body was released before its end'));
          this.connection.destroy();
        }
        return { done: true, value: undefined };
      },
    };
  }
}

/** Parses `Name: value` lines; duplicates are joined with ", " like fetch's Headers. */
function parseHeaderLines(lines: string[]): Map<string, string> | undefined {
  const headers = new Map<string, string>();
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const previous = headers.get(name);
    headers.set(name, previous === undefined ? value : `${previous}, ${value}`);
  }
  return headers;
}

type Framing =
  | { readonly kind: 'none' }
  | { readonly kind: 'close' }
  | { readonly kind: 'length'; remaining: number }
  | { readonly kind: 'chunked'; state: 'size' | 'data' | 'data-end' | 'trailer'; remaining: number; line: string };

/** One keep-alive connection: serves one exchange at a time. */
class Connection {
  exchange: Exchange | undefined;
  /** True once the socket is connected (and TLS is up): from then on bytes may reach the server. */
  private connected = false;
  /** Idle since (performance.now()), for the pool's expiry sweep. */
  idleSince = 0;
  /** The server's own keep-alive limit (Keep-Alive: timeout=N), in ms. */
  serverKeepAliveMs = Infinity;
  private head: Buffer | undefined;
  private framing: Framing = { kind: 'none' };
  private reusable = true;
  private error: unknown;
  private closed = false;

  constructor(
    readonly socket: Socket,
    private readonly pool: Pool,
    /** The event after which request bytes can reach the server: 'connect', or 'secureConnect' for TLS. */
    readyEvent: 'connect' | 'secureConnect',
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => (this.error ??= err));
    socket.on('close', () => this.onClose());
    socket.once(readyEvent, () => (this.connected = true));
  }

  /** Sends the exchange's request on this connection. */
  start(exchange: Exchange): void {
    this.exchange = exchange;
    exchange.connection = this;
    this.head = undefined;
    this.socket.ref();
    this.socket.write(exchange.data);
  }

  destroy(): void {
    this.reusable = false;
    this.socket.destroy();
  }

  private fail(detail: string): void {
    this.error ??= new Error(detail);
    this.destroy();
  }

  private onData(chunk: Buffer): void {
    const exchange = this.exchange;
    // Bytes nobody asked for: the connection's state is unknown, never reuse it.
    if (exchange === undefined || exchange.done) return this.destroy();
    if (exchange.answered) return this.onBody(exchange, chunk);
    const buffer = this.head === undefined ? chunk : Buffer.concat([this.head, chunk]);
    const end = buffer.indexOf(HEAD_END, this.head === undefined ? 0 : Math.max(0, this.head.length - 3));
    if (end < 0) {
      if (buffer.length > MAX_HEAD_BYTES) return this.fail(`the response head is larger than ${MAX_HEAD_BYTES} bytes`);
      this.head = buffer;
      return;
    }
    this.head = undefined;
    if (end > MAX_HEAD_BYTES) return this.fail(`the response head is larger than ${MAX_HEAD_BYTES} bytes`);
    const lines = buffer.toString('latin1', 0, end).split('\r\n');
    const status = STATUS_LINE.exec(lines[0]!);
    const headers = status === null ? undefined : parseHeaderLines(lines);
    if (status === null || headers === undefined) return this.fail('the server did not answer in HTTP/1.1');
    const code = Number(status[2]);
    const rest = buffer.subarray(end + 4);
    if (code < 200) {
      // 100 Continue and 103 Early Hints come before the real answer; anything else is a switch
      // of protocol nobody asked for.
      if (code === 101) return this.fail('the server switched protocols');
      if (rest.length > 0) this.onData(rest);
      return;
    }
    const connection = headers.get('connection')?.toLowerCase() ?? '';
    this.reusable &&= status[1] === '1' ? !/\bclose\b/.test(connection) : /\bkeep-alive\b/.test(connection);
    const keepAlive = headers.get('keep-alive');
    if (keepAlive !== undefined) {
      const timeout = /timeout=(\d+)/i.exec(keepAlive);
      if (timeout) this.serverKeepAliveMs = Number(timeout[1]) * 1000;
    }
    const transferEncoding = headers.get('transfer-encoding');
    const contentLength = headers.get('content-length');
    if (exchange.method === 'HEAD' || code === 204 || code === 304) {
      this.framing = { kind: 'none' };
    } else if (transferEncoding !== undefined) {
      this.framing = /(?:^|,)\s*chunked\s*$/i.test(transferEncoding) ? { kind: 'chunked', state: 'size', remaining: 0, line: '' } : { kind: 'close' };
    } else if (contentLength !== undefined) {
      if (!/^\d{1,15}$/.test(contentLength)) return this.fail(`the response has an invalid Content-Length "${contentLength}"`);
      this.framing = { kind: 'length', remaining: Number(contentLength) };
    } else {
      this.framing = { kind: 'close' };
    }
    if (this.framing.kind === 'close') this.reusable = false;
    const body = new BodyQueue(this);
    exchange.body = body;
    exchange.answered = true;
    exchange.resolve({ status: code, headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null } satisfies ResponseHeaders, body });
    if (this.framing.kind === 'none' || (this.framing.kind === 'length' && this.framing.remaining === 0)) {
      if (rest.length > 0) this.reusable = false;
      return this.finish(exchange);
    }
    if (rest.length > 0) this.onBody(exchange, rest);
  }

  private onBody(exchange: Exchange, chunk: Buffer): void {
    const framing = this.framing;
    const body = exchange.body!;
    if (framing.kind === 'close') return body.push(chunk);
    if (framing.kind === 'length') {
      if (chunk.length < framing.remaining) {
        framing.remaining -= chunk.length;
        return body.push(chunk);
      }
      // More bytes than announced: the connection is out of step, do not reuse it.
      if (chunk.length > framing.remaining) this.reusable = false;
      if (framing.remaining > 0) body.push(chunk.length === framing.remaining ? chunk : chunk.subarray(0, framing.remaining));
      framing.remaining = 0;
      return this.finish(exchange);
    }
    if (framing.kind === 'chunked') {
      let offset = 0;
      while (offset < chunk.length) {
        if (framing.state === 'data') {
          const take = Math.min(framing.remaining, chunk.length - offset);
          body.push(chunk.subarray(offset, offset + take));
          offset += take;
          framing.remaining -= take;
          if (framing.remaining === 0) {
            framing.state = 'data-end';
            framing.line = '';
          }
          continue;
        }
        // The size line, the CRLF after each chunk's data and the trailer lines are read as text;
        // a line may be split across reads, even between its CR and its LF.
        let line: string;
        if (framing.line.endsWith('\r') && chunk[offset] === 0x0a) {
          line = framing.line.slice(0, -1);
          offset += 1;
        } else {
          const eol = chunk.indexOf(CRLF, offset);
          const piece = chunk.toString('latin1', offset, eol < 0 ? chunk.length : eol);
          if (eol < 0) {
            framing.line += piece;
            if (framing.line.length > 4096) return this.fail('a chunk header of the response is too long');
            break;
          }
          line = framing.line + piece;
          offset = eol + 2;
        }
        framing.line = '';
        if (framing.state === 'data-end') {
          if (line !== '') return this.fail('a chunk of the response does not end with CRLF');
          framing.state = 'size';
        } else if (framing.state === 'size') {
          const size = /^([0-9a-fA-F]{1,12})\s*(?:;.*)?$/.exec(line);
          if (size === null) return this.fail(`the response has an invalid chunk size "${line.slice(0, 20)}"`);
          framing.remaining = parseInt(size[1]!, 16);
          framing.state = framing.remaining === 0 ? 'trailer' : 'data';
        } else if (line === '') {
          if (offset < chunk.length) this.reusable = false;
          return this.finish(exchange);
        }
      }
    }
  }

  /** The answer is complete: hand the connection back (or close it). */
  private finish(exchange: Exchange): void {
    exchange.body?.end();
    this.exchange = undefined;
    completeExchange(exchange);
    if (this.socket.isPaused()) this.socket.resume();
    if (this.reusable && !this.closed) this.pool.release(this);
    else this.destroy();
  }

  private onClose(): void {
    this.closed = true;
    this.pool.forget(this);
    const exchange = this.exchange;
    this.exchange = undefined;
    if (exchange === undefined || exchange.done) return;
    if (exchange.answered && this.framing.kind === 'close' && this.error === undefined) {
      exchange.body?.end();
      completeExchange(exchange);
      return;
    }
    const cause = this.error ?? new Error(exchange.answered ? 'the connection closed before the response body ended' : 'the server closed the connection without answering');
    const code = systemCodeOf(cause);
    failExchange(
      exchange,
      new NetworkError({
        detail: cause instanceof Error && cause.message ? cause.message : 'the request failed',
        endpoint: this.pool.target.endpoint,
        systemCode: code,
        mayHaveReachedServer: this.connected && (code === undefined || !NOT_SENT.has(code)),
        cause,
      }),
    );
  }
}

function completeExchange(exchange: Exchange): void {
  if (exchange.done) return;
  exchange.done = true;
  exchange.onDone?.();
}

/** Ends an exchange with a failure: the promise rejects, or the body throws once read. */
export function failExchange(exchange: Exchange, reason: unknown): void {
  if (exchange.done) return;
  if (exchange.answered) exchange.body?.fail(reason);
  else exchange.reject(reason);
  completeExchange(exchange);
}

/** The keep-alive connections to one endpoint (through one proxy, if any). */
export class Pool {
  private readonly idle: Connection[] = [];
  private readonly waiting: Exchange[] = [];
  private open = 0;
  private session: Buffer | undefined;
  private sweeper: ReturnType<typeof setInterval> | undefined;
  private closed = false;

  constructor(
    readonly target: PoolTarget,
    private readonly options: PoolOptions,
  ) {}

  /** Sends the exchange on an idle connection, a new one, or once one is free. */
  dispatch(exchange: Exchange): void {
    const now = performance.now();
    for (let connection = this.idle.pop(); connection !== undefined; connection = this.idle.pop()) {
      if (now - connection.idleSince < Math.min(this.options.keepAliveMs, connection.serverKeepAliveMs - 1000)) {
        return connection.start(exchange);
      }
      connection.destroy();
    }
    if (this.open < this.options.maxSockets) return this.connect(exchange);
    this.waiting.push(exchange);
  }

  /** Takes a not-yet-sent exchange out of the queue (it was cancelled). */
  withdraw(exchange: Exchange): void {
    const index = this.waiting.indexOf(exchange);
    if (index >= 0) this.waiting.splice(index, 1);
  }

  release(connection: Connection): void {
    const next = this.waiting.shift();
    if (next !== undefined) return connection.start(next);
    if (this.closed) return connection.destroy();
    connection.idleSince = performance.now();
    // Idle sockets must not keep a process alive (node:http's agent does the same).
    connection.socket.unref();
    this.idle.push(connection);
    this.sweeper ??= setInterval(() => this.sweep(), Math.min(2 ** 31 - 1, Math.max(1000, this.options.keepAliveMs / 2)));
    this.sweeper.unref?.();
  }

  /** A connection closed: it leaves the pool, and a waiting exchange may open a new one. */
  forget(connection: Connection): void {
    this.open--;
    const index = this.idle.indexOf(connection);
    if (index >= 0) this.idle.splice(index, 1);
    const next = this.waiting.shift();
    if (next !== undefined) this.connect(next);
  }

  close(): void {
    this.closed = true;
    for (const exchange of this.waiting.splice(0)) {
      failExchange(exchange, new NetworkError({ detail: 'the sender was closed', endpoint: this.target.endpoint, mayHaveReachedServer: false }));
    }
    for (const connection of this.idle.splice(0)) connection.destroy();
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  private sweep(): void {
    const now = performance.now();
    for (const connection of [...this.idle]) {
      if (now - connection.idleSince >= Math.min(this.options.keepAliveMs, connection.serverKeepAliveMs - 1000)) connection.destroy();
    }
    if (this.idle.length === 0 && this.sweeper !== undefined) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  private connect(exchange: Exchange): void {
    this.open++;
    try {
      this.openSocket(exchange);
    } catch (err) {
      this.open--;
      failExchange(exchange, new NetworkError({ detail: `the connection could not be opened: ${String(err)}`, endpoint: this.target.endpoint, mayHaveReachedServer: false, cause: err }));
    }
  }

  private openSocket(exchange: Exchange): void {
    const { target } = this;
    const tlsOptions = (socket?: Socket): ConnectionOptions => ({
      host: target.host,
      port: target.port,
      ...(socket === undefined ? {} : { socket }),
      ...(isIP(target.host) === 0 ? { servername: target.host } : {}),
      ...(target.ca === undefined ? {} : { ca: target.ca }),
      ...(this.session === undefined ? {} : { session: this.session }),
    });
    const adopt = (socket: Socket): Connection => {
      if (target.https) socket.on('session', (session: Buffer) => (this.session = session));
      socket.setKeepAlive(true, 1000);
      return new Connection(socket, this, target.https ? 'secureConnect' : 'connect');
    };
    if (target.proxy === undefined || !target.https) {
      const host = target.proxy === undefined ? target.host : target.proxy.hostname.replace(/^\[|\]$/g, '');
      const port = target.proxy === undefined ? target.port : Number(target.proxy.port || 80);
      const socket = target.https ? tlsConnect(tlsOptions()) : netConnect({ host, port });
      return adopt(socket).start(exchange);
    }
    // https through a proxy: a CONNECT tunnel, then TLS inside it.
    const proxy = target.proxy;
    const authority = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
    const tunnel = netConnect({ host: proxy.hostname.replace(/^\[|\]$/g, ''), port: Number(proxy.port || 80) });
    const authorization = proxyAuthorization(proxy);
    tunnel.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${authorization ? `Proxy-Authorization: ${authorization}\r\n` : ''}\r\n`);
    let received = Buffer.alloc(0);
    let settled = false;
    const refuse = (detail: string, cause?: unknown) => {
      if (settled) return;
      settled = true;
      tunnel.destroy();
      this.open--;
      failExchange(exchange, new NetworkError({ detail, endpoint: target.endpoint, systemCode: systemCodeOf(cause), mayHaveReachedServer: false, cause }));
      const next = this.waiting.shift();
      if (next !== undefined) this.connect(next);
    };
    const onError = (err: Error) => refuse(`the proxy ${proxy.host} could not be reached: ${err.message}`, err);
    const onClose = () => refuse(`the proxy ${proxy.host} closed the connection before the tunnel was open`);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf(HEAD_END);
      if (end < 0) {
        if (received.length > MAX_HEAD_BYTES) refuse(`the proxy ${proxy.host} sent an oversized answer to CONNECT`);
        return;
      }
      const status = STATUS_LINE.exec(received.toString('latin1', 0, end));
      if (status === null || status[2] !== '200') {
        return refuse(`the proxy ${proxy.host} refused the tunnel: ${status === null ? 'not an HTTP answer' : `HTTP ${status[2]}`}`);
      }
      settled = true;
      tunnel.off('data', onData);
      tunnel.off('error', onError);
      tunnel.off('close', onClose);
      if (exchange.done) {
        // Cancelled while the tunnel was being built: keep nothing open.
        tunnel.destroy();
        this.open--;
        return;
      }
      adopt(tlsConnect(tlsOptions(tunnel))).start(exchange);
    };
    tunnel.on('data', onData);
    tunnel.on('error', onError);
    tunnel.on('close', onClose);
    exchange.onDone = chain(exchange.onDone, () => {
      if (exchange.connection === undefined) tunnel.destroy();
    });
  }
}

function chain(first: (() => void) | undefined, second: () => void): () => void {
  return first === undefined ? second : () => (first(), second());
}

/**
 * Serialises a request head; header names and values are checked (a CR or LF in a value would
 * let it inject headers of its own).
 */
export function requestHead(method: string, target: string, host: string, headers: Readonly<Record<string, string>>, extra: string): string {
  if (!/^[\x21-\x7e]+$/.test(target)) throw new UsageError('the request URL has a character HTTP does not allow in a request target (space, control or non-ASCII)', { argument: 'url' });
  let head = `${method} ${target} HTTP/1.1\r\nHost: ${host}\r\n`;
  for (const name in headers) {
    const value = headers[name]!;
    if (!TOKEN.test(name)) throw new UsageError(`${JSON.stringify(name)} is not a valid HTTP header name`, { argument: `headers.${name}` });
    if (BAD_VALUE.test(value)) {
      throw new UsageError(`the value of the ${name} header has a character HTTP does not allow (control characters and non-ASCII are refused)`, {
        argument: `headers.${name}`,
      });
    }
    head += `${name}: ${value}\r\n`;
  }
  return `${head}${extra}\r\n`;
}

export type { Exchange };
export { proxyAuthorization };
