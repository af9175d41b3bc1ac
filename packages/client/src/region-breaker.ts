import { UsageError, brandOf, isApiError } from '@x/errors';
import type { Middleware } from '@x/transport';

/** `closed`: calls go to the region's endpoint; `open`: to the backup; `half-open`: to the region again, the next result decides. */
export type BreakerState = 'closed' | 'open' | 'half-open';

/** Options of region failover (`createClient(..., { regionFailover })`); the defaults are the Go SDK's constants. */
export interface RegionFailoverOptions {
  /**
   * Where calls go while the breaker is open: a URL (`https://cvm.ap-guangzhou.tencentcloudapi.com`,
   * a local emulator), or a domain as the Go SDK's `BackupEndpoint` takes it
   * (`ap-guangzhou.tencentcloudapi.com` → `https://<service>.ap-guangzhou.tencentcloudapi.com`).
   * Default `ap-guangzhou.tencentcloudapi.com`.
   */
  readonly backupEndpoint?: string;
  /** Counters of a closed breaker reset when this window (ms) ends. Default 60 000. */
  readonly windowMs?: number;
  /** Open after at least this many failures in the window... Default 5. */
  readonly minFailures?: number;
  /** ...at this failure rate or more (0..1). Default 0.75. */
  readonly failureRate?: number;
  /** Also open after more than this many failures in a row. Default 5. */
  readonly maxConsecutiveFailures?: number;
  /** How long (ms) calls go to the backup before a half-open probe of the region. Default 60 000. */
  readonly openMs?: number;
  /** Told of every change of state (log it, count it). */
  readonly onStateChange?: (from: BreakerState, to: BreakerState) => void;
  /** The clock (ms), for tests. */
  readonly now?: () => number;
}

type Settings = Required<Omit<RegionFailoverOptions, 'backupEndpoint' | 'onStateChange' | 'now'>>;

const DEFAULTS: Settings = {
  windowMs: 60_000,
  minFailures: 5,
  failureRate: 0.75,
  maxConsecutiveFailures: 5,
  openMs: 60_000,
};

/**
 * The region breaker of the Go and Python SDKs. Closed, it counts requests and failures in a
 * window; it opens after `minFailures` failures at `failureRate` or more, or after more than
 * `maxConsecutiveFailures` in a row. Open, calls go to the backup endpoint for `openMs`; then
 * half-open, calls go to the region again: the first success closes it, any failure re-opens it.
 * Each change of state starts a new generation, and results of calls started in an earlier one
 * are ignored (a slow call must not reopen a breaker that has moved on).
 */
export class RegionBreaker {
  private current: BreakerState = 'closed';
  private generation = 0;
  private expiry: number;
  private requests = 0;
  private failures = 0;
  private consecutive = 0;
  private readonly settings: Settings;
  private readonly now: () => number;

  constructor(private readonly options: RegionFailoverOptions = {}) {
    this.settings = { ...DEFAULTS, ...definedOnly(options) };
    const { windowMs, openMs, minFailures, maxConsecutiveFailures, failureRate } = this.settings;
    for (const [name, value] of Object.entries({ windowMs, openMs, minFailures, maxConsecutiveFailures })) {
      if (!Number.isInteger(value) || value < 1)
        throw new UsageError(`must be a positive integer, got ${String(value)}`, {
          argument: `regionFailover.${name}`,
        });
    }
    if (!(failureRate > 0 && failureRate <= 1))
      throw new UsageError(`must be in (0, 1], got ${String(failureRate)}`, { argument: 'regionFailover.failureRate' });
    this.now = options.now ?? Date.now;
    // Stryker disable next-line ArithmeticOperator: equivalent: an expiry in the past only starts a new window (counters at 0) at the first tick
    this.expiry = this.now() + windowMs;
  }

  /** The state now (an expired open period turns half-open, an expired window resets the counters). */
  get state(): BreakerState {
    this.tick(this.now());
    return this.current;
  }

  /** Called as a call starts: its generation, and whether it goes to the backup. */
  before(): { readonly generation: number; readonly useBackup: boolean } {
    const state = this.state;
    if (state !== 'open') this.requests++;
    return { generation: this.generation, useBackup: state === 'open' };
  }

  /** Called as a call ends; ignored when the breaker has moved on since it started. */
  after(generation: number, success: boolean): void {
    const state = this.state;
    if (generation !== this.generation || state === 'open') return;
    if (state === 'half-open') {
      this.move(success ? 'closed' : 'open');
      return;
    }
    if (success) {
      this.consecutive = 0;
      return;
    }
    this.failures++;
    this.consecutive++;
    const { minFailures, failureRate, maxConsecutiveFailures } = this.settings;
    if (
      (this.failures >= minFailures && this.failures / this.requests >= failureRate) ||
      this.consecutive > maxConsecutiveFailures
    )
      this.move('open');
  }

  private tick(now: number): void {
    if (this.current === 'closed' && this.expiry <= now) this.newGeneration(now);
    else if (this.current === 'open' && this.expiry <= now) this.move('half-open');
  }

  private move(to: BreakerState): void {
    const from = this.current;
    this.current = to;
    this.newGeneration(this.now());
    if (from !== to) this.options.onStateChange?.(from, to);
  }

  private newGeneration(now: number): void {
    this.generation++;
    this.requests = 0;
    this.failures = 0;
    this.consecutive = 0;
    this.expiry =
      this.current === 'closed'
        ? now + this.settings.windowMs
        : this.current === 'open'
          ? now + this.settings.openMs
          : Number.POSITIVE_INFINITY;
  }
}

function definedOnly(options: RegionFailoverOptions): Partial<Settings> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(DEFAULTS) as (keyof Settings)[])
    if (options[key] !== undefined) out[key] = options[key];
  return out as Partial<Settings>;
}

/**
 * How a call's outcome counts, as in the Go SDK: an answer with a RequestId is a success unless its
 * code is InternalError; no answer (network, timeout) or an unreadable one (a gateway's HTML page)
 * is a failure. Errors raised before anything was sent (usage, credentials, the caller's abort)
 * say nothing about the region: `undefined`, not counted.
 */
export function outcomeOf(err: unknown): boolean | undefined {
  if (isApiError(err)) return err.requestId !== '' && err.code !== 'InternalError';
  const brand = brandOf(err);
  return brand === 'network' || brand === 'timeout' || brand === 'envelope' ? false : undefined;
}

/** The backup URL for `service`: a URL as is, a domain as `https://<service>.<domain>`. */
export function backupUrl(service: string, backup = 'ap-guangzhou.tencentcloudapi.com'): string {
  if (/^https?:\/\//i.test(backup)) return backup;
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(backup))
    throw new UsageError(
      `must be a URL or a domain such as "ap-guangzhou.tencentcloudapi.com", got ${JSON.stringify(backup)}`,
      { argument: 'regionFailover.backupEndpoint' },
    );
  return `https://${service}.${backup}`;
}

/** The middleware that routes calls by the breaker and reports their outcomes to it. */
export function regionFailover(
  service: string,
  options: RegionFailoverOptions,
  breaker = new RegionBreaker(options),
): Middleware {
  const backup = backupUrl(service, options.backupEndpoint);
  return (next) => async (call, context) => {
    const { generation, useBackup } = breaker.before();
    const routed =
      useBackup && call.options.endpoint === undefined
        ? { ...call, options: { ...call.options, endpoint: backup } }
        : call;
    try {
      const result = await next(routed, context);
      breaker.after(generation, true);
      return result;
    } catch (err) {
      const success = outcomeOf(err);
      if (success !== undefined) breaker.after(generation, success);
      throw err;
    }
  };
}
