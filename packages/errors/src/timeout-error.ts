import { TencentCloudError, type ErrorJson, type TencentCloudErrorOptions } from './tencent-cloud-error';

export interface TimeoutErrorOptions extends TencentCloudErrorOptions {
  /** `attempt`: one HTTP attempt took too long; `total`: the whole call, retries included. */
  readonly scope: 'attempt' | 'total';
  readonly timeoutMs: number;
  /** True when the request was (or may have been) sent before time ran out. */
  readonly mayHaveReachedServer?: boolean;
  /** What the attempt was still waiting for when time ran out, when it was not the server (e.g. `credentials`). */
  readonly waitingFor?: string | undefined;
}

/** An attempt, or the whole call with its retries, ran past its deadline. */
export class TimeoutError extends TencentCloudError {
  static readonly errorKind = 'timeout';
  override readonly name = 'TimeoutError';
  readonly kind = 'timeout' as const;
  readonly scope: 'attempt' | 'total';
  readonly timeoutMs: number;
  readonly mayHaveReachedServer: boolean;
  /** See {@link TimeoutErrorOptions.waitingFor}. */
  readonly waitingFor: string | undefined;

  constructor(options: TimeoutErrorOptions) {
    super('timeout', '', options);
    this.scope = options.scope;
    this.timeoutMs = options.timeoutMs;
    this.mayHaveReachedServer = options.mayHaveReachedServer ?? true;
    this.waitingFor = options.waitingFor;
    this.message = this.compose();
  }

  protected override compose(): string {
    const where = [this.describeCall(), this.describeAttempts()].filter(Boolean).join('; ');
    const what = this.scope === 'attempt' ? 'The attempt' : 'The call (all attempts)';
    const waiting = this.waitingFor ? ` waiting for ${this.waitingFor}` : '';
    return `${what} timed out after ${this.timeoutMs} ms${waiting}${where ? ` (${where})` : ''}`;
  }

  protected details(): ErrorJson {
    return {
      scope: this.scope,
      timeoutMs: this.timeoutMs,
      mayHaveReachedServer: this.mayHaveReachedServer,
      waitingFor: this.waitingFor,
    };
  }
}
