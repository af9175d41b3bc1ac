import { TimeoutError, isTimeoutError } from '@x/errors';
import type { CallDeps, Tally } from './execute';
import type { ResolvedCall } from './resolve-call';
import { nextRetryDelay, retryDecision } from './retry-decision';

// What only a failed attempt runs: whether to try again and after how long, and the clock
// correction of a SignatureExpire. execute.ts loads it by import() at the first failure, so
// browser bundles keep it out of the first download (the universal entry starts loading it when
// the first request goes out: a failure is often the network going away, when a chunk can no
// longer be fetched). Type imports only from execute.ts: a file both import would share its chunk.

export { correctClockSkew } from './skew';

/** After a failed attempt: the wait before the next one, or the error the call ends with. */
export type NextStep = { readonly retryInMs: number } | { readonly fail: unknown };

/** Decides what follows the failed attempt `err`: a wait (logged as a warning) or the call's final error. */
export function afterFailure(
  deps: CallDeps,
  call: ResolvedCall,
  err: unknown,
  tally: Tally,
  deadline: number,
): NextStep {
  const decision = retryDecision(err, call.idempotent);
  const now = deps.now();
  const delay = nextRetryDelay(decision, {
    retry: call.retry,
    attempts: tally.attempts,
    now,
    deadline,
    budget: deps.budget,
    random: deps.random,
  });
  if (delay === undefined) {
    // An attempt timer that fired late (a busy event loop) may end the call past its total
    // deadline: that call timed out as a whole, whichever timer noticed first.
    const late =
      decision.retry &&
      tally.attempts < call.retry.maxAttempts &&
      now >= deadline &&
      isTimeoutError(err) &&
      // Stryker disable next-line ConditionalExpression: retryDecision says retry to a TimeoutError only when its scope is 'attempt'
      err.scope === 'attempt';
    const fail = late
      ? new TimeoutError({
          scope: 'total',
          timeoutMs: call.totalMs,
          mayHaveReachedServer: err.mayHaveReachedServer,
          cause: err,
          ...call.context,
        })
      : err;
    return { fail };
  }
  deps.logger?.warn?.(
    `${deps.service}:${call.request.action}: attempt ${tally.attempts} failed (${decision.reason}); retrying in ${delay} ms`,
  );
  return { retryInMs: delay };
}
