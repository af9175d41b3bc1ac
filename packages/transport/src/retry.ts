import { brandOf, type TencentCloudError } from '@x/errors';

export interface RetryOptions {
  /** Attempts in all, the first included. Default 3; 1 disables retries. */
  readonly maxAttempts?: number;
  /** Backoff base: the cap of the first wait. Default 100 ms. */
  readonly baseDelayMs?: number;
  /** Backoff base for throttling errors (slow down more). Default 500 ms. */
  readonly throttlingBaseDelayMs?: number;
  /** No wait is longer. Default 10 s. */
  readonly maxDelayMs?: number;
}

/** The retry settings a call uses where it gives none: 3 attempts, waits based on 100 ms (500 ms when throttled), at most 10 s. */
export const DEFAULT_RETRY: Required<RetryOptions> = {
  maxAttempts: 3,
  baseDelayMs: 100,
  throttlingBaseDelayMs: 500,
  maxDelayMs: 10_000,
};

/** Retry settings with every default filled in; `false` is one attempt. */
export function resolveRetry(retry: RetryOptions | false | undefined): Required<RetryOptions> {
  if (retry === false) return { ...DEFAULT_RETRY, maxAttempts: 1 };
  if (retry === undefined) return DEFAULT_RETRY;
  return {
    maxAttempts: Math.max(1, retry.maxAttempts ?? DEFAULT_RETRY.maxAttempts),
    baseDelayMs: retry.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
    throttlingBaseDelayMs: retry.throttlingBaseDelayMs ?? DEFAULT_RETRY.throttlingBaseDelayMs,
    maxDelayMs: retry.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
  };
}

export interface RetryBudgetOptions {
  /** Tokens when full. Default 500. */
  readonly capacity?: number;
  /** Tokens a retry costs. Default 5. */
  readonly retryCost?: number;
  /** Tokens a retry after a timeout or network error costs. Default 10. */
  readonly timeoutCost?: number;
  /** Tokens a success gives back. Default 1. */
  readonly successRefund?: number;
}

const BUDGET_BRAND = Symbol.for('@x/transport.RetryBudget');

/**
 * A token bucket shared by all calls of a transport. Each retry spends tokens, each success gives
 * one back; when the bucket is empty no call retries, so a storm of failures (an outage, a
 * throttled account) is not multiplied by the retries.
 */
export class RetryBudget {
  /**
   * `instanceof` goes by a registered symbol, so a budget made by another copy of @x/transport
   * counts: @x/client's Node entry inlines its own copy, and an application passes it budgets made
   * with `RetryBudget` from @x/transport (or from its CJS build). A budget that failed the check
   * would be read as options and silently replaced by a new, unshared one.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    return this === RetryBudget && typeof value === 'object' && value !== null && BUDGET_BRAND in value;
  }

  private tokens: number;
  readonly capacity: number;
  private readonly retryCost: number;
  private readonly timeoutCost: number;
  private readonly refund: number;

  constructor(options: RetryBudgetOptions = {}) {
    this.capacity = options.capacity ?? 500;
    this.retryCost = options.retryCost ?? 5;
    this.timeoutCost = options.timeoutCost ?? 10;
    this.refund = options.successRefund ?? 1;
    this.tokens = this.capacity;
    Object.defineProperty(this, BUDGET_BRAND, { value: true });
  }

  /** Takes the cost of one retry; false (and nothing taken) when the budget cannot pay. */
  take(kind: 'error' | 'timeout'): boolean {
    const cost = kind === 'timeout' ? this.timeoutCost : this.retryCost;
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  succeeded(): void {
    this.tokens = Math.min(this.capacity, this.tokens + this.refund);
  }

  get available(): number {
    return this.tokens;
  }
}

/** Why an error may or may not be retried. */
export type RetryDecision =
  | { readonly retry: false; readonly reason: string }
  | { readonly retry: true; readonly reason: string; readonly cost: 'error' | 'timeout'; readonly throttled: boolean };

/** A decision to retry: the wait's cost to the budget and whether the server asked to slow down. */
export type RetryGo = Extract<RetryDecision, { readonly retry: true }>;

/**
 * Whether an error may be retried, given whether the call is idempotent:
 * - throttling and other catalog-retryable ApiErrors: yes (the server answered: nothing happened);
 * - NetworkError: yes when the request certainly did not reach the server, otherwise only for
 *   idempotent calls;
 * - TimeoutError of an attempt: only for idempotent calls (the server may be working on it), unless
 *   the request was not sent yet (the credentials were still being looked up);
 * - EnvelopeError of a 5xx gateway: 503 always (not processed), other 5xx only for idempotent calls;
 * - everything else (client input, auth, dry run, usage, credentials, the total timeout, a user's
 *   abort): no.
 */
export function retryDecision(error: unknown, idempotent: boolean): RetryDecision {
  return retryGo(error, idempotent) ?? { retry: false, reason: whyNotRetried(error) };
}

/**
 * The retry half of {@link retryDecision}: the decision when the error is retried, undefined when
 * it is not. The transport decides with this alone, so the reasons it never prints (why an error
 * is not retried: only `retryDecision` tells them) stay out of bundles that do not import
 * `retryDecision`.
 */
export function retryGo(error: unknown, idempotent: boolean): RetryGo | undefined {
  const e = error as TencentCloudError & Record<string, unknown>;
  switch (brandOf(error)) {
    case 'api':
      if (e['retryable'] === true)
        return {
          retry: true,
          reason: `${String(e['code'])} is retryable`,
          cost: 'error',
          throttled: e['category'] === 'throttling',
        };
      return undefined;
    case 'network':
      if (e['mayHaveReachedServer'] !== true)
        return { retry: true, reason: 'the request did not reach the server', cost: 'timeout', throttled: false };
      return idempotent
        ? { retry: true, reason: 'network error on an idempotent call', cost: 'timeout', throttled: false }
        : undefined;
    case 'timeout':
      if (e['scope'] !== 'attempt') return undefined;
      if (e['mayHaveReachedServer'] === false)
        return {
          retry: true,
          reason: 'the attempt timed out before the request was sent',
          cost: 'timeout',
          throttled: false,
        };
      return idempotent
        ? { retry: true, reason: 'attempt timed out on an idempotent call', cost: 'timeout', throttled: false }
        : undefined;
    case 'envelope': {
      const status = statusOf(e);
      if (status === 503 || status === 429)
        return { retry: true, reason: `HTTP ${status} from the gateway`, cost: 'error', throttled: status === 429 };
      return status >= 500 && idempotent
        ? {
            retry: true,
            reason: `HTTP ${status} from the gateway on an idempotent call`,
            cost: 'error',
            throttled: false,
          }
        : undefined;
    }
    default:
      return undefined;
  }
}

/** Why retryGo refused `error` (which it does for network errors and attempt timeouts only when the call is not idempotent): the other half of retryDecision's case analysis, in the same order. */
function whyNotRetried(error: unknown): string {
  const e = error as TencentCloudError & Record<string, unknown>;
  switch (brandOf(error)) {
    case 'api':
      return `${String(e['code'])} (${String(e['category'])}) is not retryable`;
    case 'network':
      return 'the request may have reached the server and the call is not idempotent (mark it idempotent or give it a ClientToken)';
    case 'timeout':
      return e['scope'] !== 'attempt'
        ? 'the total deadline has passed'
        : 'the attempt timed out and the call is not idempotent (mark it idempotent or give it a ClientToken)';
    case 'envelope': {
      const status = statusOf(e);
      return status >= 500 ? `HTTP ${status} and the call is not idempotent` : 'the response is not an API envelope';
    }
    default:
      return 'not a retryable error';
  }
}

const statusOf = (e: Record<string, unknown>): number => (typeof e['httpStatus'] === 'number' ? e['httpStatus'] : 0);

/** Full-jitter exponential backoff: a random wait in [0, min(max, base * 2^(retry-1))). */
export function backoffDelay(retry: number, base: number, max: number, random: () => number): number {
  return Math.floor(random() * Math.min(max, base * 2 ** (retry - 1)));
}

/** Where a call stands when an attempt has failed: what {@link nextRetryDelay} decides on. */
export interface RetryState {
  readonly retry: Required<RetryOptions>;
  /** Attempts made so far, the failed one included. */
  readonly attempts: number;
  /** The time now and the call's deadline, on the transport's clock (ms). */
  readonly now: number;
  readonly deadline: number;
  readonly budget: RetryBudget | undefined;
  readonly random: () => number;
}

/**
 * The wait before the next attempt, or undefined when the call ends here: the error is not
 * retryable, the attempts are used up, the wait would pass the deadline, or the budget cannot pay
 * (only then is it charged).
 */
export function nextRetryDelay(decision: RetryDecision | undefined, state: RetryState): number | undefined {
  if (decision?.retry !== true || state.attempts >= state.retry.maxAttempts) return undefined;
  const base = decision.throttled ? state.retry.throttlingBaseDelayMs : state.retry.baseDelayMs;
  const delay = backoffDelay(state.attempts, base, state.retry.maxDelayMs, state.random);
  if (state.now + delay >= state.deadline) return undefined;
  if (state.budget !== undefined && !state.budget.take(decision.cost)) return undefined;
  return delay;
}

/**
 * The prefixes of action names that read and change nothing, so repeating them is safe:
 * - `Describe`: the read verb of almost every API 3.0 service (`DescribeInstances`);
 * - `Get`, `List`: the read verbs of the services that do not say Describe (CAM `ListUsers`,
 *   Monitor `GetMonitorData`); `GetFederationToken` issues a new temporary key each time, which
 *   is harmless to repeat (the extra one just expires);
 * - `Inquiry`, `Inquire`: price quotes (`InquiryPriceRunInstances`, CBS `InquirePriceCreateDisks`
 *   spells it the other way);
 * - `Query`, `Search`: look-ups by another name (`SearchLog` of CLS).
 * Left out on purpose: `Check*` and `Verify*` (some consume a one-time code or record the
 * check), `Export*` (starts an export task), `Preview*` and anything else: when in doubt, a call
 * is not repeated after it may have reached the server.
 */
export const READ_ACTION_PREFIXES: readonly string[] = [
  'Describe',
  'Get',
  'List',
  'Inquiry',
  'Inquire',
  'Query',
  'Search',
];

const READ_ACTION = new RegExp(`^(?:${READ_ACTION_PREFIXES.join('|')})(?![a-z])`);

/**
 * True when `action` reads (see {@link READ_ACTION_PREFIXES}): `DescribeInstances` yes,
 * `RunInstances` no, `Listen` no (the prefix must end the name or be followed by a capital).
 * The transport's default `idempotent` rule.
 */
export function isReadAction(action: string): boolean {
  return READ_ACTION.test(action);
}
