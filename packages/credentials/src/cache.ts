import { untilAborted } from '@x/transport';
import type { CredentialProvider, CredentialsRequest, Credentials } from './credentials';

/** How a provider of temporary credentials caches them (see {@link cachedProvider}). */
export interface CacheOptions {
  /** Refresh this long before `expiresAt`. Default 5 minutes. */
  readonly refreshMarginMs?: number;
  /** The clock, in ms since the epoch. Injectable for tests. Default `Date.now`. */
  readonly now?: () => number;
}

/** Refresh temporary credentials this long before they expire: 5 minutes. */
export const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;

/** The wait after a failed background refresh: 1 s, doubled after each failure up to 1 minute. */
export const REFRESH_BACKOFF_MS = { first: 1_000, max: 60_000 } as const;

/**
 * Wraps a provider of temporary credentials:
 * - credentials are reused until `refreshMarginMs` before they expire (or half their remaining
 *   life, when they were issued for less than twice the margin);
 * - from then until they expire, callers get them at once while one refresh runs in the
 *   background: a slow or failing STS costs no call any latency. A failed background refresh is
 *   tried again after a backoff (1 s, doubling up to 1 minute), never on every call;
 * - once they have expired (or before the first credentials), callers wait for the refresh, and
 *   however many ask at once, one fetch runs and all of them share its result. A failure is never
 *   cached: the next call tries again;
 * - a caller's `signal` ends that caller's wait (with the signal's reason), not the shared refresh.
 * Credentials without `expiresAt` are kept for good.
 */
export function cachedProvider(provider: CredentialProvider, options: CacheOptions = {}): CredentialProvider {
  const margin = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  const now = options.now ?? Date.now;
  let current: Credentials | undefined;
  let refreshAt = Number.POSITIVE_INFINITY;
  let inflight: Promise<Credentials> | undefined;
  let failures = 0;
  let retryAt = 0;

  const refresh = (): Promise<Credentials> => {
    inflight ??= Promise.resolve()
      .then(() => provider())
      .then(
        (fresh) => {
          current = fresh;
          failures = 0;
          retryAt = 0;
          const at = now();
          refreshAt =
            fresh.expiresAt === undefined
              ? Number.POSITIVE_INFINITY
              : fresh.expiresAt - Math.min(margin, Math.max(0, (fresh.expiresAt - at) / 2));
          return fresh;
        },
        (err: unknown) => {
          failures++;
          retryAt = now() + Math.min(REFRESH_BACKOFF_MS.max, REFRESH_BACKOFF_MS.first * 2 ** (failures - 1));
          throw err;
        },
      )
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };

  return (request?: CredentialsRequest) => {
    const at = now();
    if (current !== undefined && at < refreshAt) return Promise.resolve(current);
    if (current?.expiresAt !== undefined && at < current.expiresAt) {
      // Still valid: answer now, refresh behind the caller's back (its failure is only counted).
      if (inflight === undefined && at >= retryAt) refresh().catch(() => undefined);
      return Promise.resolve(current);
    }
    const pending = refresh();
    return request?.signal ? untilAborted(pending, request.signal) : pending;
  };
}
