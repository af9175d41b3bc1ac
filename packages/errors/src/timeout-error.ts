import { TencentCloudError, type ErrorJson, type TencentCloudErrorOptions } from './tencent-cloud-error';

export interface TimeoutErrorOptions extends TencentCloudErrorOptions {
  /** `attempt`: one HTTP attempt took too long; `total`: the whole call, retries included. */
  readonly scope: 'attempt' | 'total';
  readonly timeoutMs: number;
  /** True when the request was (or may have been) sent before time ran out. */
  readonly mayHaveReachedServer?: boolean;
}

/** An attempt, or the whole call with its retries, ran past its deadline. */
export class TimeoutError extends TencentCloudError {
  static readonly errorKind = 'timeout';
  override readonly name = 'TimeoutError';
  readonly kind = 'timeout' as const;
  readonly scope: 'attempt' | 'total';
  readonly timeoutMs: number;
  readonly mayHaveReachedServer: boolean;

  constructor(options: TimeoutErrorOptions) {
    super('timeout', '', options);
    this.scope = options.scope;
    this.timeoutMs = options.timeoutMs;
    this.mayHaveReachedServer = options.mayHaveReachedServer ?? true;
    const where = this.describeCall();
    const what = this.scope === 'attempt' ? 'The attempt' : 'The call (all attempts)';
    this.message = `${what} timed out after ${this.timeoutMs} ms${where ? ` (${where})` : ''}`;
  }

  protected details(): ErrorJson {
    return { scope: this.scope, timeoutMs: this.timeoutMs, mayHaveReachedServer: this.mayHaveReachedServer };
  }
}
