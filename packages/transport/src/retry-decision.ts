import { brandOf, type TencentCloudError } from '@x/errors';
import type { RetryBudget, RetryOptions } from './retry';

// Whether a failed attempt is tried again, and after how long. A file of its own, apart from
// retry.ts: only a failure runs it, and the transport loads it then (failure.ts, a separate chunk
// in browser bundles). Type imports only from retry.ts: a file both import would share its chunk.

/** Why an error may or may not be retried. */
export type RetryDecision =
  | { readonly retry: false; readonly reason: string }
  | { readonly retry: true; readonly reason: string; readonly cost: 'error' | 'timeout'; readonly throttled: boolean };

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
  const kind = brandOf(error);
  const e = error as TencentCloudError & Record<string, unknown>;
  switch (kind) {
    case 'api': {
      if (e['retryable'] === true)
        return {
          retry: true,
          reason: `${String(e['code'])} is retryable`,
          cost: 'error',
          throttled: e['category'] === 'throttling',
        };
      return { retry: false, reason: `${String(e['code'])} (${String(e['category'])}) is not retryable` };
    }
    case 'network':
      if (e['mayHaveReachedServer'] !== true)
        return { retry: true, reason: 'the request did not reach the server', cost: 'timeout', throttled: false };
      return idempotent
        ? { retry: true, reason: 'network error on an idempotent call', cost: 'timeout', throttled: false }
        : {
            retry: false,
            reason:
              'the request may have reached the server and the call is not idempotent (mark it idempotent or give it a ClientToken)',
          };
    case 'timeout':
      if (e['scope'] !== 'attempt') return { retry: false, reason: 'the total deadline has passed' };
      if (e['mayHaveReachedServer'] === false)
        return {
          retry: true,
          reason: 'the attempt timed out before the request was sent',
          cost: 'timeout',
          throttled: false,
        };
      return idempotent
        ? { retry: true, reason: 'attempt timed out on an idempotent call', cost: 'timeout', throttled: false }
        : {
            retry: false,
            reason:
              'the attempt timed out and the call is not idempotent (mark it idempotent or give it a ClientToken)',
          };
    case 'envelope': {
      const status = typeof e['httpStatus'] === 'number' ? e['httpStatus'] : 0;
      if (status === 503 || status === 429)
        return { retry: true, reason: `HTTP ${status} from the gateway`, cost: 'error', throttled: status === 429 };
      if (status >= 500 && idempotent)
        return {
          retry: true,
          reason: `HTTP ${status} from the gateway on an idempotent call`,
          cost: 'error',
          throttled: false,
        };
      return {
        retry: false,
        reason: status >= 500 ? `HTTP ${status} and the call is not idempotent` : 'the response is not an API envelope',
      };
    }
    default:
      return { retry: false, reason: 'not a retryable error' };
  }
}

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
export function nextRetryDelay(decision: RetryDecision, state: RetryState): number | undefined {
  if (!decision.retry || state.attempts >= state.retry.maxAttempts) return undefined;
  const base = decision.throttled ? state.retry.throttlingBaseDelayMs : state.retry.baseDelayMs;
  const delay = backoffDelay(state.attempts, base, state.retry.maxDelayMs, state.random);
  if (state.now + delay >= state.deadline) return undefined;
  if (state.budget !== undefined && !state.budget.take(decision.cost)) return undefined;
  return delay;
}
