import { TimeoutError, brandOf, isTencentCloudError, isTimeoutError, type CredentialsError } from '@x/errors';
import type { ResponseLike } from '@x/envelope';
import { sendAttempt, type AttemptDeps } from './attempt';
import type { CallResult } from './call';
import { isEventStream, readAnswer } from './decode';
import { Attempt } from './deadline';
import { writeDebug } from './logger';
import type { ResolvedCall } from './resolve-call';
import { nextRetryDelay, retryGo, type RetryBudget } from './retry';
import { correctClockSkew } from './skew';

/** What the attempts of all calls share: the attempt's needs plus the retry policy's. */
export interface CallDeps extends AttemptDeps {
  readonly budget: RetryBudget | undefined;
  readonly random: () => number;
  readonly wait: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** An event stream whose headers came: its events are still to be read (the caller's signal still reaches it). */
export class OpenEventStream {
  constructor(
    readonly response: ResponseLike,
    readonly requestId: string,
    readonly attempts: number,
    readonly retryDelayMs: number,
    readonly attempt: Attempt,
  ) {}
}

/** How the attempts of a call ended: a whole answer (what call() returns) or an event stream still to read. */
export type Answer = CallResult | OpenEventStream;

/** Per call: what the retry loop counts. */
interface Tally {
  attempts: number;
  retryDelayMs: number;
  skewCorrected: boolean;
  readonly secrets: (string | undefined)[];
}

/** Runs the attempts of one call until an answer worth returning (or an error) comes. */
export async function execute(deps: CallDeps, call: ResolvedCall): Promise<Answer> {
  const totalEnds = Date.now() + call.totalMs; // wall clock, for timers
  const deadline = deps.now() + call.totalMs; // the injected clock, for retry decisions
  // Stryker disable next-line ArrayDeclaration: the list only gathers keys to blank in log lines; a string put there from the start is blanked text that no line contains
  const tally: Tally = { attempts: 0, retryDelayMs: 0, skewCorrected: false, secrets: [] };
  for (;;) {
    tally.attempts++;
    const attempt = new Attempt(call, totalEnds);
    try {
      const answer = await attempt.within(answerOf(deps, call, attempt, tally));
      if (answer !== undefined) return answer;
    } catch (caught) {
      // A caller's abort rethrows their reason; an aborted attempt surfaces as whatever broke
      // (the request, the body): report why it was aborted, the TimeoutError.
      if (call.signal?.aborted) throw call.signal.reason;
      const err = attempt.aborted ? attempt.reason : caught;
      await retryOrThrow(deps, call, err, tally, deadline);
    } finally {
      attempt.end();
    }
  }
}

/** One attempt to its answer: undefined when the clock was corrected and the call signs again. */
async function answerOf(
  deps: CallDeps,
  call: ResolvedCall,
  attempt: Attempt,
  tally: Tally,
): Promise<Answer | undefined> {
  const started = deps.logger?.debug ? deps.now() : 0;
  const response = await sendAttempt(deps, call, attempt, tally.attempts, tally.secrets);
  // An attempt that ended while this ran (see Attempt.within) is over: no log line, no refund.
  if (attempt.aborted) throw attempt.reason;
  if (call.request.kind === 'stream' && isEventStream(response)) {
    const requestId = response.headers.get('x-tc-requestid') ?? '';
    if (deps.logger?.debug)
      writeDebug(
        deps.logger,
        `← ${response.status} event stream RequestId ${requestId} in ${deps.now() - started} ms`,
        undefined,
        tally.secrets,
      );
    deps.budget?.succeeded();
    attempt.keepForwarding();
    return new OpenEventStream(response, requestId, tally.attempts, tally.retryDelayMs, attempt);
  }
  // A sender that hears of aborts through the hook ends the body itself: no signal to listen on.
  const result = await readAnswer(response, call.decode, deps.sender.usesOnAbort === true ? undefined : attempt.signal);
  if (attempt.aborted) throw attempt.reason;
  if (deps.logger?.debug) {
    const outcome = result.ok ? 'ok' : result.error.code;
    writeDebug(
      deps.logger,
      `← ${response.status} ${outcome} RequestId ${result.requestId} in ${deps.now() - started} ms`,
      undefined,
      tally.secrets,
    );
  }
  if (result.ok) {
    deps.budget?.succeeded();
    return {
      data: result.data,
      requestId: result.requestId,
      httpStatus: response.status,
      attempts: tally.attempts,
      retryDelayMs: tally.retryDelayMs,
    };
  }
  // Sign again once with the server's clock (unless retries are off: then only later calls benefit).
  if (!tally.skewCorrected && correctClockSkew(deps, call.request.action, result.error, response)) {
    tally.skewCorrected = true;
    if (call.retry.maxAttempts > 1) return undefined;
  }
  throw result.error;
}

/** Waits before the next attempt, or throws `err` stamped with the call's attempts. */
async function retryOrThrow(
  deps: CallDeps,
  call: ResolvedCall,
  err: unknown,
  tally: Tally,
  deadline: number,
): Promise<void> {
  const decision = retryGo(err, call.idempotent);
  const now = deps.now();
  const delay = nextRetryDelay(decision, {
    retry: call.retry,
    attempts: tally.attempts,
    now,
    deadline,
    budget: deps.budget,
    random: deps.random,
  });
  // Stryker disable next-line ConditionalExpression: nextRetryDelay gives a delay only for a decision (the check tells TypeScript)
  if (delay === undefined || decision === undefined) {
    // An attempt timer that fired late (a busy event loop) may end the call past its total
    // deadline: that call timed out as a whole, whichever timer noticed first.
    const late =
      decision !== undefined &&
      tally.attempts < call.retry.maxAttempts &&
      now >= deadline &&
      isTimeoutError(err) &&
      // Stryker disable next-line ConditionalExpression: retryGo retries a TimeoutError only when its scope is 'attempt'
      err.scope === 'attempt';
    const final = late
      ? new TimeoutError({
          scope: 'total',
          timeoutMs: call.totalMs,
          mayHaveReachedServer: err.mayHaveReachedServer,
          cause: err,
          ...call.context,
        })
      : err;
    throw stamped(final, call, tally);
  }
  deps.logger?.warn?.(
    `${deps.service}:${call.request.action}: attempt ${tally.attempts} failed (${decision.reason}); retrying in ${delay} ms`,
  );
  // A caller's abort rethrows their reason; a sleep that failed by itself fails the call with its error.
  await deps.wait(delay, call.signal).catch((err: unknown) => {
    throw call.signal?.aborted ? call.signal.reason : err;
  });
  tally.retryDelayMs += delay;
}

/** The error with the call's attempts and wait recorded on it. */
function stamped(err: unknown, call: ResolvedCall, tally: Tally): unknown {
  if (brandOf(err) === 'credentials') {
    // A cached provider may hand one error to many concurrent calls: count, but do not stamp
    // one call's action on it.
    (err as CredentialsError).attempts = tally.attempts;
    (err as CredentialsError).retryDelayMs = tally.retryDelayMs;
  } else if (isTencentCloudError(err)) {
    // An error made by an older copy of @x/errors may not have recordCall.
    if (typeof err.recordCall === 'function') err.recordCall(call.context, tally.attempts, tally.retryDelayMs);
    else Object.assign(err, { attempts: tally.attempts, retryDelayMs: tally.retryDelayMs });
  }
  return err;
}
