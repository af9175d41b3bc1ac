// The keep-alive connections to one endpoint (through one proxy, if any): which connection serves
// a request, how long an idle one may wait, and when one is too stale to trust.
import type { Socket } from 'node:net';
import type { ConnectionOptions, SecureContext } from 'node:tls';
import { NetworkError } from '@x/errors';
import { systemCodeOf } from '../fetch-sender';
import { nodeNet, nodeTls } from '../node-builtins';
import { Connection, type ConnectionOwner } from './connection';
import { chain, failExchange, type Exchange } from './exchange';
import { openTunnel } from './tunnel';

/**
 * Kept-alive connections are dropped this long before the server's announced `Keep-Alive:
 * timeout`: a request sent just as the server closes is lost on the wire.
 */
export const SERVER_KEEP_ALIVE_MARGIN_MS = 1000;
/**
 * A connection idle at least this long is checked once more, one event-loop turn later, before a
 * request goes on it: a FIN the server sent meanwhile is read first, so the request goes on a
 * fresh connection instead of into a closing socket (a busy pool, reusing sockets at once, pays
 * nothing).
 */
export const STALE_CHECK_IDLE_MS = 5;

/** Where and how the sockets of one pool connect. */
export interface PoolTarget {
  /** Origin the errors name (the API endpoint, never the proxy's credentials). */
  readonly endpoint: string;
  readonly https: boolean;
  /** Host name (brackets removed from IPv6) and port of the API endpoint. */
  readonly host: string;
  readonly port: number;
  /** The http:// proxy to go through: CONNECT tunnel for https, absolute-form requests for http. */
  readonly proxy?: URL | undefined;
  /** The trusted roots (Node's plus the user's `ca`), when the user gave a `ca`. */
  readonly secureContext?: SecureContext | undefined;
}

export interface PoolOptions {
  readonly maxSockets: number;
  readonly keepAliveMs: number;
  readonly idleTimeoutMs: number;
}

export class Pool implements ConnectionOwner {
  private readonly idle: Connection[] = [];
  private readonly waiting: Exchange[] = [];
  private open = 0;
  private session: Buffer | undefined;
  private sweeper: ReturnType<typeof setInterval> | undefined;
  private closed = false;
  readonly endpoint: string;
  readonly idleTimeoutMs: number;

  constructor(
    readonly target: PoolTarget,
    private readonly options: PoolOptions,
  ) {
    this.endpoint = target.endpoint;
    this.idleTimeoutMs = options.idleTimeoutMs;
  }

  /** How long `connection` may stay idle before it is dropped. */
  private keepFor(connection: Connection): number {
    return Math.min(this.options.keepAliveMs, connection.serverKeepAliveMs - SERVER_KEEP_ALIVE_MARGIN_MS);
  }

  /** Sends the exchange on an idle connection, a new one, or once one is free. */
  dispatch(exchange: Exchange): void {
    const now = performance.now();
    for (let connection = this.idle.pop(); connection !== undefined; connection = this.idle.pop()) {
      const idleMs = now - connection.idleSince;
      // Stryker disable next-line EqualityOperator: the boundary is one instant of a sub-millisecond clock
      if (!connection.usable || idleMs >= this.keepFor(connection)) {
        connection.destroy();
        continue;
      }
      // Stryker disable next-line EqualityOperator: a connection idle exactly that long may take either path; both are safe
      if (idleMs < STALE_CHECK_IDLE_MS) return connection.start(exchange);
      // Let the event loop read what the socket got while idle (a FIN, a reset) before using it:
      // two turns, because a FIN the server sends in this turn is only polled in the next.
      return void setImmediate(() =>
        setImmediate(() => {
          if (exchange.done) return this.release(connection); // cancelled meanwhile
          if (connection.usable) return connection.start(exchange);
          connection.destroy();
          this.dispatch(exchange); // nothing was written: any connection will do
        }),
      );
    }
    if (this.open < this.options.maxSockets) return this.connect(exchange);
    this.waiting.push(exchange);
  }

  /** A reused connection failed before any answer: send again on a new connection (or the next free one). */
  replay(exchange: Exchange): void {
    if (exchange.done) return;
    if (this.open < this.options.maxSockets) return this.connect(exchange);
    this.waiting.unshift(exchange);
  }

  /** Takes a not-yet-sent exchange out of the queue (it was cancelled). */
  withdraw(exchange: Exchange): void {
    const index = this.waiting.indexOf(exchange);
    if (index >= 0) this.waiting.splice(index, 1);
  }

  release(connection: Connection): void {
    if (!connection.usable) return connection.destroy();
    const next = this.waiting.shift();
    if (next !== undefined) return connection.start(next);
    if (this.closed) return connection.destroy();
    connection.idleSince = performance.now();
    // Idle sockets must not keep a process alive (node:http's agent does the same).
    connection.socket.unref();
    this.idle.push(connection);
    this.sweeper ??= setInterval(
      () => this.sweep(),
      // Stryker disable next-line MethodExpression,ArithmeticOperator: the sweeper's period only decides when idle sockets close; dispatch drops expired ones itself
      Math.min(2 ** 31 - 1, Math.max(1000, this.options.keepAliveMs / 2)),
    );
    // Stryker disable next-line OptionalChaining: Node's timers have unref (the `?.` is for other runtimes)
    this.sweeper.unref?.();
  }

  /** A connection closed: it leaves the pool, and a waiting exchange may open a new one. */
  forget(connection: Connection): void {
    this.open--;
    const index = this.idle.indexOf(connection);
    // Stryker disable next-line EqualityOperator: `> 0` leaves a closed connection at index 0 in the idle list, which dispatch drops (not `usable`)
    if (index >= 0) this.idle.splice(index, 1);
    const next = this.waiting.shift();
    if (next !== undefined) this.connect(next);
  }

  close(): void {
    this.closed = true;
    for (const exchange of this.waiting.splice(0)) {
      failExchange(
        exchange,
        new NetworkError({ detail: 'the sender was closed', endpoint: this.endpoint, mayHaveReachedServer: false }),
      );
    }
    for (const connection of this.idle.splice(0)) connection.destroy();
    // Stryker disable next-line ConditionalExpression,EqualityOperator: clearInterval(undefined) does nothing, and a sweeper left running stops itself at its next turn (no idle connection)
    if (this.sweeper !== undefined) clearInterval(this.sweeper);
    this.sweeper = undefined;
  }

  private sweep(): void {
    const now = performance.now();
    for (const connection of [...this.idle]) {
      // Stryker disable next-line EqualityOperator: the boundary is one instant of a sub-millisecond clock
      if (now - connection.idleSince >= this.keepFor(connection)) connection.destroy();
    }
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: stopping the sweeper early or late changes when idle sockets close, not which request goes where (dispatch checks expiry)
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
      failExchange(
        exchange,
        new NetworkError({
          detail: `the connection could not be opened: ${String(err)}`,
          endpoint: this.endpoint,
          mayHaveReachedServer: false,
          cause: err,
        }),
      );
    }
  }

  private tlsOptions(socket?: Socket): ConnectionOptions {
    const { target } = this;
    return {
      host: target.host,
      port: target.port,
      ...(socket === undefined ? {} : { socket }),
      ...(nodeNet().isIP(target.host) === 0 ? { servername: target.host } : {}),
      ...(target.secureContext === undefined ? {} : { secureContext: target.secureContext }),
      ...(this.session === undefined ? {} : { session: this.session }),
      // Say which protocol this client speaks, as undici does: a server offering h2 first must not pick it.
      ALPNProtocols: ['http/1.1'],
    };
  }

  private adopt(socket: Socket): Connection {
    if (this.target.https) socket.on('session', (session: Buffer) => (this.session = session));
    socket.setKeepAlive(true, 1000);
    return new Connection(socket, this, this.target.https ? 'secureConnect' : 'connect');
  }

  private openSocket(exchange: Exchange): void {
    const { target } = this;
    if (target.proxy === undefined || !target.https) {
      // Stryker disable next-line Regex: a parsed hostname holds brackets only around an IPv6 literal, at both ends
      const host = target.proxy === undefined ? target.host : target.proxy.hostname.replace(/^\[|\]$/g, '');
      const port = target.proxy === undefined ? target.port : Number(target.proxy.port || 80);
      const socket = target.https ? nodeTls().connect(this.tlsOptions()) : nodeNet().connect({ host, port });
      return this.adopt(socket).start(exchange);
    }
    // https through a proxy: a CONNECT tunnel, then TLS inside it.
    const tunnel = openTunnel(target.proxy, target.host, target.port, {
      open: (socket) => {
        if (exchange.done) {
          // Cancelled while the tunnel was being built: keep nothing open.
          socket.destroy();
          this.open--;
          return;
        }
        this.adopt(nodeTls().connect(this.tlsOptions(socket))).start(exchange);
      },
      fail: (detail, cause) => {
        this.open--;
        failExchange(
          exchange,
          new NetworkError({
            detail,
            endpoint: this.endpoint,
            systemCode: systemCodeOf(cause),
            mayHaveReachedServer: false,
            cause,
          }),
        );
        const next = this.waiting.shift();
        if (next !== undefined) this.connect(next);
      },
    });
    exchange.onDone = chain(exchange.onDone, () => {
      if (exchange.connection === undefined) tunnel.destroy();
    });
  }
}
