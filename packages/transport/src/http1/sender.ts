// The part of the Node sender that opens sockets: its pools, one per endpoint, and the bytes of each
// request. node-sender.ts loads it by import() at the first request: @x/client's Node entry keeps it
// as a file of its own, so an import of the client does not compile the HTTP/1.1 client (~40 KB
// of source) before it is used (this package's one-file dist/node build inlines it).
import type { ResponseLike } from '@x/envelope';
import { UsageError } from '@x/errors';
import type { SenderSettings } from '../node-sender';
import { proxyAuthorization, proxyFor } from '../proxy';
import type { SendRequest } from '../sender';
import { failExchange, type Exchange } from './exchange';
import { Pool } from './pool';
import { requestHead } from './request';

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

/** The sockets of one sender: `send` opens or reuses them, `close` releases them. */
export interface OpenSender {
  send(request: SendRequest): Promise<ResponseLike>;
  close(): void;
}

/** Opens the pools of one sender (see nodeSender): one per endpoint, made at its first request. */
export function openSender(settings: SenderSettings): OpenSender {
  // Parsed origins, their proxies and pools, per sender: every call to an endpoint looks the same.
  const targets = new Map<string, Target>();
  return {
    send: (request) =>
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
      }),
    close() {
      for (const target of targets.values()) target.pool.close();
      targets.clear();
    },
  };
}
