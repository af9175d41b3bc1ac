import { TimeoutError, UsageError, type CallContext } from '@x/errors';

/** What an attempt is doing, for its TimeoutError: nothing has reached the server before `sending`. */
export type AttemptPhase = 'credentials' | 'signing' | 'sending';

const MAX_TIMER_MS = 2 ** 31 - 1;

/** A timeout option checked: a positive number of ms a timer can wait, or the default. */
export function timeoutMs(value: number | undefined, fallback: number, argument: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`must be a positive number of milliseconds, got ${String(value)} (there is no "no timeout")`, {
      argument,
    });
  }
  // Timers cannot wait longer than 2^31 - 1 ms: a larger value would fire at once.
  if (value > MAX_TIMER_MS)
    throw new UsageError(`must be at most ${MAX_TIMER_MS} ms (about 24.8 days), got ${value}`, { argument });
  return value;
}

/** The deadlines one attempt runs under. */
export interface AttemptLimits {
  readonly attemptMs: number;
  readonly totalMs: number;
  readonly context: CallContext;
  /** The caller's signal, forwarded to the attempt. */
  readonly signal: AbortSignal | undefined;
}

/**
 * The deadline and the abort of one attempt: one timer, which fires at whichever deadline comes
 * first, the attempt's or the call's; the caller's signal is forwarded (this object is its
 * listener: no closure per attempt). Its AbortSignal is made only when something reads
 * {@link signal}: on Node 20 a new AbortSignal costs ~7 µs of CPU (bench/README.md), and the
 * Node sender and the credentials lookup hear of an abort through {@link onAbort} instead.
 */
export class Attempt {
  private controller: AbortController | undefined;
  private readonly timer: ReturnType<typeof setTimeout>;
  private readonly attemptFirst: boolean;
  private cancelSender: ((reason: unknown) => void) | undefined;
  private stopWaiting: ((reason: unknown) => void) | undefined;
  phase: AttemptPhase = 'signing';
  /** Set when the attempt answered an event stream: the caller's signal must still reach it. */
  private forwarding = false;
  /** Whether the attempt was aborted (timed out, or the caller aborted), and why. */
  aborted = false;
  reason: unknown = undefined;

  constructor(
    private readonly limits: AttemptLimits,
    totalEnds: number,
  ) {
    const remaining = totalEnds - Date.now();
    this.attemptFirst = limits.attemptMs < remaining;
    this.timer = setTimeout(fire, Math.max(0, this.attemptFirst ? limits.attemptMs : remaining), this);
    // Stryker disable next-line ObjectLiteral,BooleanLiteral: a signal fires 'abort' once at most; `once` only drops the listener sooner
    limits.signal?.addEventListener('abort', this, { once: true });
  }

  /** The attempt's AbortSignal, made on first read (already aborted when the attempt is). */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /**
   * For `SendRequest.onAbort` and the credentials lookup: `cancel` is called with the reason when
   * the attempt aborts (at once if it already has), with no listener on a signal. One at a time:
   * the sender's replaces the credentials lookup's.
   */
  readonly onAbort = (cancel: (reason: unknown) => void): void => {
    if (this.aborted) return cancel(this.reason);
    this.cancelSender = cancel;
  };

  /**
   * `work`, or a rejection with the attempt's reason as soon as the attempt aborts, whichever comes
   * first: the attempt ends at its deadline (or the caller's abort) even while it waits on what
   * hears no signal, such as a part of the code loading by import(), which a stalled network can
   * hold for minutes. The work is not stopped: it sends nothing once the attempt is aborted.
   */
  within<T>(work: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.stopWaiting = reject;
      if (this.aborted) reject(this.reason);
      work.then(resolve, reject);
    });
  }

  /** Aborts the attempt; the first reason stays. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
    this.cancelSender?.(reason);
    this.stopWaiting?.(reason);
  }

  /** The caller's signal aborted. */
  handleEvent(): void {
    // Stryker disable next-line OptionalChaining: only the caller's signal calls this, so it is there
    this.abort(this.limits.signal?.reason);
  }

  timedOut(): void {
    const { attemptMs, totalMs, context } = this.limits;
    const first = this.attemptFirst;
    const waitingFor = this.phase === 'credentials' ? 'credentials' : undefined;
    const mayHaveReachedServer = this.phase === 'sending';
    this.abort(
      new TimeoutError({
        scope: first ? 'attempt' : 'total',
        timeoutMs: first ? attemptMs : totalMs,
        mayHaveReachedServer,
        waitingFor,
        ...context,
      }),
    );
  }

  /** Keeps forwarding the caller's signal after {@link end}, until {@link release}: for a stream being read. */
  keepForwarding(): void {
    this.forwarding = true;
  }

  /**
   * The attempt is over: its timers stop. A stream is past its attempt deadline once its headers
   * came, and the total deadline ends with the attempts, so a long stream is bounded only by the
   * caller's signal.
   */
  end(): void {
    clearTimeout(this.timer);
    if (!this.forwarding) this.release();
  }

  release(): void {
    this.limits.signal?.removeEventListener('abort', this);
  }
}

function fire(attempt: Attempt): void {
  attempt.timedOut();
}
