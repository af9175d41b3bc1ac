/* eslint-disable max-lines -- under 300 lines without the equivalent-mutant marks (a comment line each, with its reason) */
// One keep-alive connection: writes a request, reads its answer (interim 1xx answers skipped,
// then a head and a body framed by Content-Length, chunks or the close), serves one exchange
// at a time, and decides whether it may serve another.
import type { Socket } from 'node:net';
import { TimeoutError } from '@x/errors';
import { BodyQueue, ResponseHeaders } from './body';
import { ChunkedDecoder } from './chunked';
import { closedError, completeExchange, failExchange, type Exchange } from './exchange';
import {
  bodyFraming,
  findHeadEnd,
  keepsAlive,
  MAX_HEAD_BYTES,
  parseResponseHead,
  ProtocolError,
  serverKeepAliveMs,
  type ResponseHead,
} from './head';

/** What a connection needs of its pool. */
export interface ConnectionOwner {
  readonly endpoint: string;
  /** How long a response body may go without a byte once its head came (ms). */
  readonly idleTimeoutMs: number;
  /** The answer was read and the connection may serve another request. */
  release(connection: Connection): void;
  /** The socket closed: the connection leaves the pool. */
  forget(connection: Connection): void;
  /** Sends the exchange again, on a fresh connection. */
  replay(exchange: Exchange): void;
}

type Framing =
  | { readonly kind: 'none' }
  | { readonly kind: 'close' }
  | { readonly kind: 'length'; remaining: number }
  | { readonly kind: 'chunked'; readonly decoder: ChunkedDecoder };

export class Connection {
  exchange: Exchange | undefined;
  /** Idle since (performance.now()), for the pool's expiry. */
  idleSince = 0;
  /** The server's own keep-alive limit (Keep-Alive: timeout=N), in ms. */
  serverKeepAliveMs = Infinity;
  /** Requests this connection answered in full. */
  served = 0;
  /** True once the socket is connected (and TLS is up): from then on bytes may reach the server. */
  private connected = false;
  /** The bytes of a head not complete yet, their length, and the last 3 of them. */
  // Stryker disable next-line ArrayDeclaration: start() empties it before any byte is read
  private head: Buffer[] = [];
  private headLength = 0;
  private headTail: Buffer | undefined;
  /** Whether a byte of the current exchange's answer arrived. */
  // Stryker disable next-line BooleanLiteral: start() sets it before any byte is read
  private responded = false;
  // Stryker disable next-line ObjectLiteral,StringLiteral: onHead sets it before onBody or onClose reads it (both only for an answered exchange)
  private framing: Framing = { kind: 'none' };
  private reusable = true;
  /** Why the connection failed: a cause for a NetworkError, or the typed error to report as is. */
  private error: unknown;
  private typedError: Error | undefined;
  private closed = false;
  /** Whether the socket's idle timer is armed (a body is being read). */
  private watching = false;

  constructor(
    readonly socket: Socket,
    private readonly owner: ConnectionOwner,
    /** The event after which request bytes can reach the server: 'connect', or 'secureConnect' for TLS. */
    readyEvent: 'connect' | 'secureConnect',
  ) {
    // Stryker disable next-line BooleanLiteral: Nagle only delays a request written in pieces; each request is one write
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => {
      this.error ??= err;
      // Stryker disable next-line BooleanLiteral: Node destroys a socket after 'error', and `usable` reads socket.destroyed
      this.reusable = false;
    });
    socket.on('close', () => this.onClose());
    // The server closed its side: nothing more may be sent here. An idle connection goes at once
    // (so the pool never hands it a request); a busy one ends its close-delimited body.
    // Stryker disable next-line StringLiteral,BlockStatement: with allowHalfOpen false (the default) Node ends our side itself when the server's FIN comes, and `usable` reads readableEnded: this only makes the close prompt
    socket.on('end', () => {
      // Stryker disable next-line BooleanLiteral: `usable` reads readableEnded, true from this event on
      this.reusable = false;
      // Stryker disable next-line ConditionalExpression,EqualityOperator: Node closes the socket after the FIN anyway (allowHalfOpen false); a busy exchange then ends in onClose either way
      if (this.exchange === undefined) this.socket.destroy();
    });
    socket.once(readyEvent, () => (this.connected = true));
    // The idle timer runs only while a body is being read (see watchBody).
    socket.on('timeout', () => this.onIdle());
  }

  /** Whether another request may be sent on this connection. */
  get usable(): boolean {
    return this.reusable && !this.closed && !this.socket.destroyed && !this.socket.readableEnded;
  }

  /** Sends the exchange's request on this connection. */
  start(exchange: Exchange): void {
    this.exchange = exchange;
    exchange.connection = this;
    this.head = [];
    this.headLength = 0;
    this.headTail = undefined;
    this.responded = false;
    this.socket.ref();
    this.socket.write(exchange.data);
  }

  destroy(): void {
    // Stryker disable next-line BooleanLiteral: a destroyed socket is not `usable` anyway
    this.reusable = false;
    this.socket.destroy();
  }

  private fail(error: unknown): void {
    if (error instanceof ProtocolError) this.error ??= error;
    else this.typedError ??= error as Error;
    this.destroy();
  }

  /** The socket went quiet for idleTimeoutMs: fatal only for a body being read. */
  private onIdle(): void {
    const exchange = this.exchange;
    // Before the head, the caller's attempt timeout rules; a socket we paused is waiting for
    // its reader, not for the server.
    if (exchange === undefined || exchange.done || !exchange.answered || this.socket.isPaused()) return;
    this.fail(new TimeoutError({ scope: 'attempt', timeoutMs: this.owner.idleTimeoutMs, mayHaveReachedServer: true }));
  }

  private onData(chunk: Buffer): void {
    const exchange = this.exchange;
    // Bytes nobody asked for: the connection's state is unknown, never reuse it.
    if (exchange === undefined || exchange.done) return this.destroy();
    this.responded = true;
    try {
      if (exchange.answered) this.onBody(exchange, chunk);
      else this.onHead(exchange, chunk);
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      this.fail(err);
    }
  }

  /** Keeps an incomplete head's bytes as a list (no copy per read: a head trickled byte by byte costs linear time). */
  private stash(piece: Buffer): void {
    this.head.push(piece);
    this.headLength += piece.length;
    // Stryker disable next-line EqualityOperator: a head stashed at exactly the limit ends in a later read, past the limit, where onHead refuses it with the same error
    if (this.headLength > MAX_HEAD_BYTES)
      throw new ProtocolError(`the response head is larger than ${MAX_HEAD_BYTES} bytes`);
    this.headTail =
      // Stryker disable next-line EqualityOperator: for a piece of exactly 3 bytes the last 3 of the concatenation are the piece
      (piece.length >= 3 || this.headTail === undefined ? piece : Buffer.concat([this.headTail, piece])).subarray(-3);
  }

  private onHead(exchange: Exchange, chunk: Buffer): void {
    // Only the new bytes are scanned, behind the last 3 bytes already seen (a CRLF CRLF may straddle reads).
    const tail = this.headTail;
    let end = tail === undefined ? findHeadEnd(chunk, 0) : findHeadEnd(Buffer.concat([tail, chunk]), tail.length);
    // Stryker disable next-line EqualityOperator: findHeadEnd returns the index after a CRLF CRLF, never 0
    if (end < 0) return this.stash(chunk);
    let buffer = this.head.length === 0 ? chunk : Buffer.concat([...this.head, chunk]);
    end += this.headLength - (tail?.length ?? 0);
    this.head = [];
    this.headLength = 0;
    this.headTail = undefined;
    let head: ResponseHead;
    // Interim answers (100 Continue, 103 Early Hints) come before the real one, any number of them.
    for (;;) {
      if (end > MAX_HEAD_BYTES) throw new ProtocolError(`the response head is larger than ${MAX_HEAD_BYTES} bytes`);
      head = parseResponseHead(buffer.toString('latin1', 0, end - 4));
      buffer = buffer.subarray(end);
      if (head.status >= 200) break;
      // Any other 1xx is a switch of protocol nobody asked for.
      if (head.status === 101) throw new ProtocolError('the server switched protocols');
      if (buffer.length === 0) return;
      end = findHeadEnd(buffer, 0);
      // Stryker disable next-line EqualityOperator: findHeadEnd returns the index after a CRLF CRLF, never 0
      if (end < 0) return this.stash(buffer);
    }
    const framing = bodyFraming(exchange.method, head);
    // Stryker disable next-line StringLiteral: a close-delimited answer ends with its connection (onClose), never in finish(), where `reusable` is read
    this.reusable &&= keepsAlive(head) && framing.kind !== 'close';
    const keepAliveMs = serverKeepAliveMs(head);
    if (keepAliveMs !== undefined) this.serverKeepAliveMs = keepAliveMs;
    this.framing =
      framing.kind === 'chunked'
        ? { kind: 'chunked', decoder: new ChunkedDecoder() }
        : framing.kind === 'length'
          ? { kind: 'length', remaining: framing.length }
          : framing;
    // Stryker disable next-line EqualityOperator: a length of 0, or a buffer of exactly the length, reads the same through the queue as through answerWhole
    if (this.framing.kind === 'length' && this.framing.remaining > 0 && buffer.length >= this.framing.remaining)
      return this.answerWhole(exchange, head, buffer, this.framing.remaining);
    const body = new BodyQueue(this.socket, () => this.destroy());
    exchange.body = body;
    exchange.answered = true;
    exchange.resolve({ status: head.status, headers: new ResponseHeaders(head.headers), body });
    if (this.framing.kind === 'none' || (this.framing.kind === 'length' && this.framing.remaining === 0)) {
      // A 204, a 304 or a HEAD answer with a body: the server and we disagree on the framing.
      if (buffer.length > 0 && this.framing.kind === 'none')
        throw new ProtocolError(`the server sent a body with a ${head.status} answer, which has none`);
      if (buffer.length > 0) this.reusable = false;
      return this.finish(exchange);
    }
    // Stryker disable next-line EqualityOperator: onBody of no bytes pushes an empty chunk or none; the body reads the same
    if (buffer.length > 0) this.onBody(exchange, buffer);
    if (this.exchange === exchange) this.watchBody(true);
  }

  /**
   * The whole body came with the head (the common case for API answers): it is handed over as
   * one chunk in an array, which the envelope reader takes in one turn, with no queue to wait on.
   */
  private answerWhole(exchange: Exchange, head: ResponseHead, buffer: Buffer, length: number): void {
    // More bytes than announced: the connection is out of step, do not reuse it.
    if (buffer.length > length) this.reusable = false;
    // Stryker disable next-line BooleanLiteral: the exchange is completed in this same turn; `answered` is read only for exchanges not done
    exchange.answered = true;
    const body = [buffer.length === length ? buffer : buffer.subarray(0, length)];
    exchange.resolve({ status: head.status, headers: new ResponseHeaders(head.headers), body });
    this.finish(exchange);
  }

  /**
   * Arms (or disarms) the socket's idle timer, which Node refreshes on every read: only while a
   * body is still to come, because refreshing it costs on every read and write, and an answer
   * read whole with its head (the common case) never needs it.
   */
  private watchBody(on: boolean): void {
    if (on === this.watching) return;
    this.watching = on;
    this.socket.setTimeout(on ? this.owner.idleTimeoutMs : 0);
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
      // Stryker disable next-line EqualityOperator: pushing an empty chunk changes nothing the body reader returns
      if (framing.remaining > 0)
        body.push(chunk.length === framing.remaining ? chunk : chunk.subarray(0, framing.remaining));
      framing.remaining = 0;
      return this.finish(exchange);
    }
    if (framing.kind === 'chunked') {
      const end = framing.decoder.write(chunk, (data) => body.push(data));
      // Stryker disable next-line EqualityOperator: the decoder returns the index after the last chunk's CRLF, never 0
      if (end < 0) return;
      // Bytes after the last chunk: the connection is out of step, do not reuse it.
      if (end < chunk.length) this.reusable = false;
      return this.finish(exchange);
    }
    // framing 'none' and bytes still came: nothing may follow an empty answer.
    this.destroy();
  }

  /** The answer is complete: hand the connection back (or close it). */
  private finish(exchange: Exchange): void {
    exchange.body?.end();
    this.exchange = undefined;
    this.served++;
    // Stryker disable next-line BooleanLiteral: the timer then also runs on the idle connection, where onIdle ignores it (no exchange)
    this.watchBody(false);
    completeExchange(exchange);
    if (this.socket.isPaused()) this.socket.resume();
    if (this.usable) this.owner.release(this);
    else this.destroy();
  }

  private onClose(): void {
    // Stryker disable next-line BooleanLiteral: after 'close' the socket is destroyed, which `usable` reads too
    this.closed = true;
    this.owner.forget(this);
    const exchange = this.exchange;
    this.exchange = undefined;
    if (exchange === undefined || exchange.done) return;
    if (
      exchange.answered &&
      this.framing.kind === 'close' &&
      this.error === undefined &&
      this.typedError === undefined
    ) {
      // Stryker disable next-line OptionalChaining: an answered exchange that is not done reads its body from a queue
      exchange.body?.end();
      completeExchange(exchange);
      return;
    }
    if (this.typedError !== undefined) return failExchange(exchange, this.typedError);
    // A reused connection the server had already given up on: not one byte of answer came. The
    // request is sent again once, on a fresh connection, when repeating it is harmless (GET,
    // HEAD); a POST may have been acted on and is the caller's call (its retry policy).
    if (
      !this.responded &&
      this.served > 0 &&
      !exchange.replayed &&
      (exchange.method === 'GET' || exchange.method === 'HEAD') &&
      !(this.error instanceof ProtocolError)
    ) {
      // Stryker disable next-line BooleanLiteral: the replay goes out on a new connection (served 0), which never replays
      exchange.replayed = true;
      exchange.connection = undefined;
      return this.owner.replay(exchange);
    }
    failExchange(exchange, closedError(exchange, this.error, this.owner.endpoint, this.connected));
  }
}
