import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { NetworkError } from '@x/errors';
import type { ResponseLike } from '@x/envelope';
import { proxyFor, TunnelAgent, type ProxyEnvironment } from './proxy';
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
  /** Destroys the sockets kept alive; later requests open new ones. */
  close(): void;
}

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * The body as an async iterable of chunks, on 'data'/'end' events: much cheaper than Readable's
 * own async iterator for the one or two chunks of a typical API answer. `return()` destroys the
 * message, releasing the connection.
 */
function bodyOf(message: IncomingMessage): AsyncIterable<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let ended = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  message.on('data', (chunk: Uint8Array) => {
    chunks.push(chunk);
    wake?.();
  });
  message.once('end', () => {
    ended = true;
    wake?.();
  });
  message.once('error', (err) => {
    failure = err;
    wake?.();
  });
  message.once('close', () => {
    if (!ended && failure === undefined) failure = new Error('the connection closed before the response body ended');
    wake?.();
  });
  const iterator: AsyncIterator<Uint8Array> = {
    async next() {
      for (;;) {
        const chunk = chunks.shift();
        if (chunk !== undefined) return { done: false, value: chunk };
        if (ended) return { done: true, value: undefined };
        if (failure !== undefined) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    },
    async return() {
      if (!ended) message.destroy();
      return { done: true, value: undefined };
    },
  };
  return { [Symbol.asyncIterator]: () => iterator };
}

function headersOf(message: IncomingMessage): { get(name: string): string | null } {
  return {
    get(name) {
      const value = message.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/**
 * The Node fast path: node:http / node:https with keep-alive agents (one set per sender, reused
 * by every request), ~3-4x less CPU per request than Node 20's fetch. Honours HTTPS_PROXY,
 * HTTP_PROXY and NO_PROXY: https targets through a CONNECT tunnel, http targets in absolute form.
 */
export function nodeSender(options: NodeSenderOptions = {}): ClosableSender {
  const agentOptions = {
    keepAlive: true,
    keepAliveMsecs: 1000,
    maxSockets: options.maxSockets ?? 64,
    timeout: options.keepAliveMs ?? 30_000,
    scheduling: 'lifo' as const,
    ...(options.ca === undefined ? {} : { ca: typeof options.ca === 'string' ? options.ca : [...options.ca] }),
  };
  const httpAgent = new HttpAgent(agentOptions);
  const httpsAgent = new HttpsAgent(agentOptions);
  const tunnels = new Map<string, TunnelAgent>();
  const env = options.env ?? ((globalThis as { process?: { env?: ProxyEnvironment } }).process?.env ?? {});

  // Parsed origins and their proxies, per sender: every call to an endpoint looks the same.
  const targets = new Map<string, { url: URL; proxy: URL | undefined }>();
  const targetOf = (origin: string) => {
    let target = targets.get(origin);
    if (target === undefined) {
      const url = new URL(origin);
      target = { url, proxy: proxyFor(url, env) };
      if (targets.size < 256) targets.set(origin, target);
    }
    return target;
  };

  const send: Sender = (request) =>
    new Promise<ResponseLike>((resolve, reject) => {
      const { signal } = request;
      if (signal.aborted) return reject(signal.reason);
      const slash = request.url.indexOf('/', request.url.indexOf('//') + 2);
      const path = slash < 0 ? '/' : request.url.slice(slash);
      const { url, proxy } = targetOf(slash < 0 ? request.url : request.url.slice(0, slash));
      const https = url.protocol === 'https:';
      const headers: Record<string, string> = { ...request.headers };
      if (request.body !== undefined && request.method === 'POST') headers['Content-Length'] = String(Buffer.byteLength(request.body));
      let req;
      if (proxy && https) {
        let agent = tunnels.get(proxy.href);
        if (!agent) tunnels.set(proxy.href, (agent = new TunnelAgent(proxy, agentOptions)));
        req = httpsRequest({ host: url.hostname, port: url.port || 443, path, method: request.method, headers, agent });
      } else if (proxy) {
        headers['Host'] = url.host;
        req = httpRequest({ host: proxy.hostname, port: proxy.port || 80, method: request.method, path: request.url, headers, agent: httpAgent });
      } else {
        req = (https ? httpsRequest : httpRequest)({
          host: url.hostname,
          port: url.port || (https ? 443 : 80),
          path,
          method: request.method,
          headers,
          agent: https ? httpsAgent : httpAgent,
        });
      }
      const onAbort = () => req.destroy(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
      // Through the transport's onAbort when offered (a signal listener costs several µs a request).
      const listen = request.onAbort === undefined;
      if (listen) signal.addEventListener('abort', onAbort, { once: true });
      else request.onAbort?.(onAbort);
      req.once('response', (message) => {
        if (listen) message.once('close', () => signal.removeEventListener('abort', onAbort));
        resolve({ status: message.statusCode ?? 0, headers: headersOf(message), body: bodyOf(message) });
      });
      req.once('error', (err: NodeJS.ErrnoException) => {
        if (listen) signal.removeEventListener('abort', onAbort);
        if (signal.aborted) return reject(signal.reason);
        reject(
          new NetworkError({
            detail: err.message || 'the request failed',
            endpoint: url.origin,
            systemCode: err.code,
            mayHaveReachedServer: err.code === undefined || !NOT_SENT.has(err.code),
            cause: err,
          }),
        );
      });
      req.end(request.method === 'POST' ? request.body : undefined);
    });

  return Object.assign(send, {
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
      for (const agent of tunnels.values()) agent.destroy();
      tunnels.clear();
    },
  });
}
