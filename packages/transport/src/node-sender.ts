import { UsageError } from '@x/errors';
import type { ResponseLike } from '@x/envelope';
import { failExchange, Pool, proxyAuthorization, requestHead, type Exchange } from './http1';
import { proxyFor, type ProxyEnvironment } from './proxy';
import type { Sender } from './sender';

export interface NodeSenderOptions {
  /** Sockets per host. Default 64. */
  readonly maxSockets?: number;
  /** Keep idle sockets this long. Default 30 s. */
  readonly keepAliveMs?: number;
  /** Where HTTPS_PROXY / HTTP_PROXY / NO_PROXY are read. Default `process.env`, read once. */
  readonly env?: ProxyEnvironment;
  /** Extra trusted CA certificates (PEM) for https endpoints, e.g. a private gateway's. */
  readonly ca?: string | readonly string[];
}

/** A sender that can release its sockets. */
export interface ClosableSender extends Sender {
  /** Destroys the idle keep-alive sockets and fails the requests still waiting for one; requests in flight finish. Later requests open new sockets. */
  close(): void;
}

/**
 * The Node fast path: HTTP/1.1 keep-alive connections on node:net / node:tls (see http1.ts for why
 * not node:http), one pool per endpoint, reused by every request of the sender. Honours
 * HTTPS_PROXY, HTTP_PROXY and NO_PROXY: https targets through a CONNECT tunnel, http targets in
 * absolute form.
 */
export function nodeSender(options: NodeSenderOptions = {}): ClosableSender {
  const maxSockets = options.maxSockets ?? 64;
  const keepAliveMs = options.keepAliveMs ?? 30_000;
  if (!Number.isInteger(maxSockets) || maxSockets < 1) throw new UsageError(`must be a positive integer, got ${String(maxSockets)}`, { argument: 'maxSockets' });
  if (!(keepAliveMs >= 0)) throw new UsageError(`must be a number of milliseconds ≥ 0, got ${String(keepAliveMs)}`, { argument: 'keepAliveMs' });
  const ca = options.ca === undefined ? undefined : typeof options.ca === 'string' ? options.ca : [...options.ca];
  const env = options.env ?? ((globalThis as { process?: { env?: ProxyEnvironment } }).process?.env ?? {});

  interface Target {
    readonly pool: Pool;
    readonly host: string;
    /** Requests through an HTTP proxy name the whole URL and carry the proxy's credentials. */
    readonly absoluteForm: boolean;
    readonly extraHead: string;
  }
  // Parsed origins, their proxies and pools, per sender: every call to an endpoint looks the same.
  const targets = new Map<string, Target>();
  const targetOf = (origin: string): Target => {
    let target = targets.get(origin);
    if (target === undefined) {
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        throw new UsageError(`is not a valid URL: ${JSON.stringify(origin)}`, { argument: 'endpoint' });
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new UsageError(`must be an http: or https: URL, got ${JSON.stringify(url.protocol)}`, { argument: 'endpoint' });
      }
      const https = url.protocol === 'https:';
      const proxy = proxyFor(url, env);
      const authorization = proxy !== undefined && !https ? proxyAuthorization(proxy) : undefined;
      target = {
        pool: new Pool(
          {
            endpoint: url.origin,
            https,
            host: url.hostname.replace(/^\[|\]$/g, ''),
            port: Number(url.port || (https ? 443 : 80)),
            proxy,
            ca,
          },
          { maxSockets, keepAliveMs },
        ),
        host: url.host,
        absoluteForm: proxy !== undefined && !https,
        extraHead: authorization === undefined ? '' : `Proxy-Authorization: ${authorization}\r\n`,
      };
      targets.set(origin, target);
    }
    return target;
  };

  const send: Sender = (request) =>
    new Promise<ResponseLike>((resolve, reject) => {
      const { signal } = request;
      if (signal.aborted) return reject(signal.reason);
      const { url } = request;
      const authority = url.indexOf('//') + 2;
      let cut = authority;
      while (cut < url.length && url[cut] !== '/' && url[cut] !== '?' && url[cut] !== '#') cut++;
      const target = targetOf(url.slice(0, cut));
      const hash = url.indexOf('#', cut);
      const rest = hash < 0 ? url.slice(cut) : url.slice(cut, hash);
      const path = rest.startsWith('/') ? rest : `/${rest}`;
      const body = request.method === 'POST' ? (request.body ?? '') : undefined;
      const head = requestHead(
        request.method,
        target.absoluteForm ? `${url.slice(0, cut)}${path}` : path,
        target.host,
        request.headers,
        body === undefined ? target.extraHead : `${target.extraHead}Content-Length: ${typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength}\r\n`,
      );
      const exchange: Exchange = { method: request.method, data: body === undefined ? head : typeof body === 'string' ? head + body : Buffer.concat([Buffer.from(head), body]), resolve, reject, done: false, answered: false };
      const cancel = (reason: unknown) => {
        if (exchange.done) return;
        const { connection } = exchange;
        failExchange(exchange, reason);
        if (connection === undefined) target.pool.withdraw(exchange);
        else connection.destroy();
      };
      // Through the transport's onAbort when offered (a signal listener costs several µs a request).
      if (request.onAbort === undefined) {
        const onAbort = () => cancel(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        exchange.onDone = () => signal.removeEventListener('abort', onAbort);
      } else {
        request.onAbort(cancel);
      }
      target.pool.dispatch(exchange);
    });

  return Object.assign(send, {
    close() {
      for (const target of targets.values()) target.pool.close();
      targets.clear();
    },
  });
}
