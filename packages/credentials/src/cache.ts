import type { CredentialProvider, Credentials } from './credentials';

/** How a provider of temporary credentials caches them (see {@link cachedProvider}). */
export interface CacheOptions {
  /** Refresh this long before `expiresAt`. Default 5 minutes. */
  readonly refreshMarginMs?: number;
  /** The clock, in ms since the epoch. Injectable for tests. Default `Date.now`. */
  readonly now?: () => number;
}

/** Refresh temporary credentials this long before they expire: 5 minutes. */
export const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Wraps a provider of temporary credentials:
 * - credentials are reused until `refreshMarginMs` before they expire (or half their remaining
 *   life, when they were issued for less than twice the margin), then fetched again;
 * - however many callers ask at once, one fetch runs and all of them share its result;
 * - a failed fetch is never cached: the next call tries again. While the old credentials have not
 *   actually expired, a failed early refresh falls back to them instead of failing the request.
 * Credentials without `expiresAt` are kept for good.
 */
export function cachedProvider(provider: CredentialProvider, options: CacheOptions = {}): CredentialProvider {
  const margin = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  const now = options.now ?? Date.now;
  let current: Credentials | undefined;
  let refreshAt = Number.POSITIVE_INFINITY;
  let inflight: Promise<Credentials> | undefined;

  const refresh = (): Promise<Credentials> => {
    inflight ??= provider()
      .then(
        (fresh) => {
          current = fresh;
          const at = now();
          refreshAt =
            fresh.expiresAt === undefined
              ? Number.POSITIVE_INFINITY
              : fresh.expiresAt - Math.min(margin, Math.max(0, (fresh.expiresAt - at) / 2));
          return fresh;
        },
        (err: unknown) => {
          if (current?.expiresAt !== undefined && now() < current.expiresAt) return current;
          throw err;
        },
      )
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };

  return () => (current !== undefined && now() < refreshAt ? Promise.resolve(current) : refresh());
}
