import { NetworkError } from '@x/errors';
import { refuseConnectionHeader } from './request-headers';
import type { Sender } from './sender';

// Errors that prove nothing reached the server: safe to retry whatever the action.
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** The system error code behind a fetch failure (undici puts it on `cause`), when there is one. */
export function systemCodeOf(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/**
 * A sender on `fetch`: the global one (browsers, Workers, Deno, Bun, Node) or the user's own
 * (a proxy-aware fetch, a test double).
 */
export function fetchSender(fetchImpl: typeof fetch = globalThis.fetch): Sender {
  if (typeof fetchImpl !== 'function') {
    throw new NetworkError({
      detail: 'this runtime has no fetch; pass one in the fetch option',
      mayHaveReachedServer: false,
    });
  }
  return async (request) => {
    // Before the try: a refused header is the caller's mistake, not a network failure.
    for (const name in request.headers) refuseConnectionHeader(name);
    try {
      const init: RequestInit = {
        method: request.method,
        headers: request.headers,
        signal: request.signal,
        redirect: 'manual',
      };
      // Byte bodies are ArrayBuffer-backed (bytesOf copies SharedArrayBuffer views), which fetch accepts.
      if (request.body !== undefined && request.method === 'POST') init.body = request.body as BodyInit;
      return await fetchImpl(request.url, init);
    } catch (err) {
      if (request.signal.aborted) throw request.signal.reason;
      const systemCode = systemCodeOf(err);
      const cause = (err as { cause?: unknown }).cause;
      const detail = cause instanceof Error ? cause.message : err instanceof Error ? err.message : String(err);
      throw new NetworkError({
        detail: detail || 'the request failed',
        endpoint: new URL(request.url).origin,
        systemCode,
        // fetch refuses some ports itself ("bad port"): nothing was sent then either.
        mayHaveReachedServer: detail !== 'bad port' && (systemCode === undefined || !NOT_SENT.has(systemCode)),
        cause: err,
      });
    }
  };
}
