// Why our own HTTP/1.1 client rather than node:http: on the benchmark machine node:http's
// ClientRequest / IncomingMessage / Agent machinery costs ~90 µs of CPU per keep-alive request,
// while writing the request with one socket.write and parsing the answer in http1/ costs ~35 µs
// (bench/README.md); undici would add ~100 ms to a cold import and 167 KB gzip to a Node bundle.
// API 3.0 answers are small JSON bodies or SSE streams, so the client does exactly: keep-alive
// pools, Content-Length, chunked and close-delimited bodies, interim 1xx answers, TLS, http://
// proxies. No pipelining, upgrades or request streaming, on purpose. test/http1-differential
// holds it to node:http and undici on hostile servers.
import type * as tls from 'node:tls';
import { UsageError } from '@x/errors';
import { nodeTls } from './node-builtins';
import type { ResponseLike } from '@x/envelope';
import { failExchange, type Exchange } from './http1/exchange';
import { Pool } from './http1/pool';
import { requestHead } from './http1/request';
import { proxyAuthorization, proxyFor, type ProxyEnvironment } from './proxy';
import type { Sender, SendRequest } from './sender';

export interface NodeSenderOptions {
  /** Sockets per host. Default 64. */
  readonly maxSockets?: number;
  /** Keep idle sockets this long. Default 30 s. */
  readonly keepAliveMs?: number;
  /** Where HTTPS_PROXY / HTTP_PROXY / NO_PROXY are read. Default `process.env`, read once. */
  readonly env?: ProxyEnvironment;
  /**
   * Extra trusted CA certificates (PEM) for https endpoints, e.g. a private gateway's. They are
   * added to Node's bundled Mozilla roots (tls.rootCertificates), which stay trusted.
   */
  readonly ca?: string | readonly string[];
  /**
   * How long a response body (an event stream included) may go without a byte once its head
   * came, in ms; past it the read fails with a TimeoutError. Default 300 000 (5 min, as
   * undici's bodyTimeout behind Node's fetch).
   */
  readonly idleTimeoutMs?: number;
}

/** Default idle timeout of a response body (ms): undici's bodyTimeout, so both senders agree. */
export const DEFAULT_IDLE_TIMEOUT_MS = 300_000;

/** Node's default roots (with NODE_EXTRA_CA_CERTS where Node can list them) plus `extra`. */
export function trustedCertificates(extra: string | readonly string[]): string[] {
  const loaded = nodeTls();
  const listed =
    'getCACertificates' in loaded
      ? (loaded as unknown as { getCACertificates?: (type: 'default') => string[] }).getCACertificates
      : undefined;
  const defaults = typeof listed === 'function' ? listed('default') : loaded.rootCertificates;
  return [...defaults, ...(typeof extra === 'string' ? [extra] : extra)];
}

/** A sender that can release its sockets. */
export interface ClosableSender extends Sender {
  /** Destroys the idle keep-alive sockets and fails the requests still waiting for one; requests in flight finish. Later requests open new sockets. */
  close(): void;
}

/** The sender's options, checked, with their defaults. */
interface SenderSettings {
  readonly maxSockets: number;
  readonly keepAliveMs: number;
  readonly idleTimeoutMs: number;
  /** Where the proxy variables are read. */
  readonly env: ProxyEnvironment;
  /** The trusted roots for https endpoints when the user gave a `ca` (created once, on first use). */
  readonly trust: () => tls.SecureContext | undefined;
}

function settingsOf(options: NodeSenderOptions): SenderSettings {
  const maxSockets = options.maxSockets ?? 64;
  const keepAliveMs = options.keepAliveMs ?? 30_000;
  if (!Number.isInteger(maxSockets) || maxSockets < 1)
    throw new UsageError(`must be a positive integer, got ${String(maxSockets)}`, { argument: 'maxSockets' });
  if (!(keepAliveMs >= 0))
    throw new UsageError(`must be a number of milliseconds ≥ 0, got ${String(keepAliveMs)}`, {
      argument: 'keepAliveMs',
    });
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  if (!(idleTimeoutMs > 0 && idleTimeoutMs <= 2 ** 31 - 1)) {
    throw new UsageError(
      `must be a number of milliseconds between 1 and ${2 ** 31 - 1}, got ${String(idleTimeoutMs)}`,
      { argument: 'idleTimeoutMs' },
    );
  }
  const env = options.env ?? (globalThis as { process?: { env?: ProxyEnvironment } }).process?.env ?? {};
  return { maxSockets, keepAliveMs, idleTimeoutMs, env, trust: trustOf(options.ca) };
}

/** The secure context holding Node's roots plus `ca`, made on first use; undefined without a `ca`. */
function trustOf(ca: NodeSenderOptions['ca']): () => tls.SecureContext | undefined {
  if (ca === undefined) return () => undefined;
  const extraCa = typeof ca === 'string' ? [ca] : [...ca];
  if (extraCa.some((pem) => typeof pem !== 'string' || !pem.includes('-----BEGIN CERTIFICATE-----'))) {
    throw new UsageError('must be PEM certificates ("-----BEGIN CERTIFICATE-----...")', { argument: 'ca' });
  }
  // tls.connect's own `ca` would replace Node's roots: one context per sender keeps them and adds the user's.
  let secureContext: tls.SecureContext | undefined;
  return () => {
    try {
      return (secureContext ??= nodeTls().createSecureContext({ ca: trustedCertificates(extraCa) }));
    } catch (err) {
      throw new UsageError(
        `is not a valid PEM certificate (or list of them): ${err instanceof Error ? err.message : String(err)}`,
        { argument: 'ca' },
      );
    }
  };
}

/** One endpoint of a sender: its pool and what every request to it carries. */
interface Target {
  readonly pool: Pool;
  readonly host: string;
  /** Requests through an HTTP proxy name the whole URL and carry the proxy's credentials. */
  readonly absoluteForm: boolean;
  readonly extraHead: string;
}

/** Parses an origin, finds its proxy and opens its pool: a UsageError for a bad endpoint or proxy setting. */
function targetOf(origin: string, settings: SenderSettings): Target {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new UsageError(`is not a valid URL: ${JSON.stringify(origin)}`, { argument: 'endpoint' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`must be an http: or https: URL, got ${JSON.stringify(url.protocol)}`, {
      argument: 'endpoint',
    });
  }
  const https = url.protocol === 'https:';
  const proxy = proxyFor(url, settings.env);
  const authorization = proxy !== undefined && !https ? proxyAuthorization(proxy) : undefined;
  const { maxSockets, keepAliveMs, idleTimeoutMs } = settings;
  const pool = new Pool(
    {
      endpoint: url.origin,
      https,
      // Stryker disable next-line Regex: a parsed hostname holds brackets only around an IPv6 literal, at both ends, so any of the anchored forms strips the same
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || (https ? 443 : 80)),
      proxy,
      secureContext: https ? settings.trust() : undefined,
    },
    { maxSockets, keepAliveMs, idleTimeoutMs },
  );
  return {
    pool,
    host: url.host,
    absoluteForm: proxy !== undefined && !https,
    extraHead: authorization === undefined ? '' : `Proxy-Authorization: ${authorization}\r\n`,
  };
}

/** Where the origin of an absolute URL ends (its path, query or fragment begins). */
function originEnd(url: string): number {
  let cut = url.indexOf('//') + 2;
  // Stryker disable next-line EqualityOperator: at cut === url.length url[cut] is undefined, so `<=` steps one past the end, and slice() reads the same
  while (cut < url.length && url[cut] !== '/' && url[cut] !== '?' && url[cut] !== '#') cut++;
  return cut;
}

/** The bytes of one request to `target` (the URL's origin ends at `cut`): head and body in one piece, for one socket write. */
function requestBytes(request: SendRequest, target: Target, cut: number): string | Uint8Array {
  const { url } = request;
  const hash = url.indexOf('#', cut);
  // Stryker disable next-line EqualityOperator: a '#' is searched from `cut`, past the scheme, so hash is never 0
  const rest = hash < 0 ? url.slice(cut) : url.slice(cut, hash);
  const path = rest.startsWith('/') ? rest : `/${rest}`;
  const body = request.method === 'POST' ? (request.body ?? '') : undefined;
  const head = requestHead(
    request.method,
    target.absoluteForm ? `${url.slice(0, cut)}${path}` : path,
    target.host,
    request.headers,
    body === undefined
      ? target.extraHead
      : `${target.extraHead}Content-Length: ${typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength}\r\n`,
  );
  if (body === undefined) return head;
  return typeof body === 'string' ? head + body : Buffer.concat([Buffer.from(head), body]);
}

/** Ends the exchange when the request is cancelled: through the transport's onAbort when offered, else a signal listener. */
function cancelOnAbort(request: SendRequest, exchange: Exchange, pool: Pool): void {
  const cancel = (reason: unknown) => {
    if (exchange.done) return;
    const { connection } = exchange;
    // Bytes already received are dropped: the reader's next read fails at once.
    // Stryker disable next-line OptionalChaining: an exchange answered with its whole body is done already (returned above); one answered with a stream has its body set
    if (exchange.answered) exchange.body?.fail(reason, true);
    failExchange(exchange, reason);
    if (connection === undefined) pool.withdraw(exchange);
    else connection.destroy();
  };
  // The transport's hook costs nothing; a signal listener costs several µs a request on Node 20,
  // and reading `signal` from the transport's request would create it (see usesOnAbort).
  if (request.onAbort !== undefined) return request.onAbort(cancel);
  const { signal } = request;
  const onAbort = () => cancel(signal.reason);
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: onDone removes the listener when the exchange ends, which an abort also does; `once` only says so twice
  signal.addEventListener('abort', onAbort, { once: true });
  exchange.onDone = () => signal.removeEventListener('abort', onAbort);
}

/**
 * The Node fast path: HTTP/1.1 keep-alive connections on node:net / node:tls (see http1/connection.ts
 * and the package README for why not node:http), one pool per endpoint, reused by every request of the sender. Honours
 * HTTPS_PROXY, HTTP_PROXY and NO_PROXY: https targets through a CONNECT tunnel, http targets in
 * absolute form. A caller that passes `onAbort` is heard through it alone (its `signal` is not read).
 */
export function nodeSender(options: NodeSenderOptions = {}): ClosableSender {
  const settings = settingsOf(options);
  // Parsed origins, their proxies and pools, per sender: every call to an endpoint looks the same.
  const targets = new Map<string, Target>();

  const send: Sender = (request) =>
    new Promise<ResponseLike>((resolve, reject) => {
      if (request.onAbort === undefined && request.signal.aborted) return reject(request.signal.reason);
      const cut = originEnd(request.url);
      const origin = request.url.slice(0, cut);
      let target = targets.get(origin);
      if (target === undefined) targets.set(origin, (target = targetOf(origin, settings)));
      const exchange: Exchange = {
        method: request.method,
        data: requestBytes(request, target, cut),
        resolve,
        reject,
        done: false,
        answered: false,
      };
      cancelOnAbort(request, exchange, target.pool);
      // An attempt already aborted calls its hook at once: the exchange failed without being sent.
      if (!exchange.done) target.pool.dispatch(exchange);
    });

  return Object.assign(send, {
    // Stryker disable next-line BooleanLiteral: without it the transport passes a signal instead of the hook: the same cancellation, only dearer (see cancelOnAbort)
    usesOnAbort: true,
    close() {
      for (const target of targets.values()) target.pool.close();
      targets.clear();
    },
  });
}
