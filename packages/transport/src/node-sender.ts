// Why our own HTTP/1.1 client rather than node:http: on the benchmark machine node:http's
// ClientRequest / IncomingMessage / Agent machinery costs ~90 µs of CPU per keep-alive request,
// while writing the request with one socket.write and parsing the answer in http1/ costs ~35 µs
// (bench/README.md); undici would add ~100 ms to a cold import and 167 KB gzip to a Node bundle.
// API 3.0 answers are small JSON bodies or SSE streams, so the client does exactly: keep-alive
// pools, Content-Length, chunked and close-delimited bodies, interim 1xx answers, TLS, http://
// proxies. No pipelining, upgrades or request streaming, on purpose. test/http1-differential
// holds it to node:http and undici on hostile servers.
import type * as tls from 'node:tls';
import { NetworkError, UsageError } from '@x/errors';
import { nodeTls } from './node-builtins';
import type { OpenSender } from './http1/sender';
import type { ProxyEnvironment } from './proxy';
import type { Sender } from './sender';

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
export interface SenderSettings {
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

/** The origin of a request's URL for an error's `endpoint` (the URL itself when it is not one). */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * The Node fast path: HTTP/1.1 keep-alive connections on node:net / node:tls (see http1/connection.ts
 * and the package README for why not node:http), one pool per endpoint, reused by every request of the sender. Honours
 * HTTPS_PROXY, HTTP_PROXY and NO_PROXY: https targets through a CONNECT tunnel, http targets in
 * absolute form. A caller that passes `onAbort` is heard through it alone (its `signal` is not read).
 */
export function nodeSender(options: NodeSenderOptions = {}): ClosableSender {
  const settings = settingsOf(options);
  // The HTTP/1.1 client is loaded and its pools opened at the first request (http1/sender.ts): an
  // import that never sends, or sends through a user's fetch, does not compile it.
  let open: OpenSender | undefined;
  let opening: Promise<OpenSender> | undefined;
  const opened = () =>
    (opening ??= import('./http1/sender').then(
      (module) => (open = module.openSender(settings)),
      (err: unknown) => {
        opening = undefined; // a failed load (a missing file) may succeed later
        throw err;
      },
    ));

  // close() fails the requests still waiting, as the pools fail those waiting for a socket: a
  // request made before a close() and still waiting for the load is failed when the load ends.
  let closes = 0;
  const send: Sender = (request) => {
    if (open !== undefined) return open.send(request);
    const closesBefore = closes;
    return opened().then((sender) => {
      if (closes === closesBefore) return sender.send(request);
      throw new NetworkError({
        detail: 'the sender was closed',
        endpoint: originOf(request.url),
        mayHaveReachedServer: false,
      });
    });
  };

  return Object.assign(send, {
    // Stryker disable next-line BooleanLiteral: without it the transport passes a signal instead of the hook: the same cancellation, only dearer (see cancelOnAbort)
    usesOnAbort: true,
    close() {
      // Stryker disable next-line UpdateOperator: a request compares the count before and after, so `--` marks a close as well
      closes++;
      open?.close();
    },
  });
}
