import { TencentCloudError, type ErrorJson, type TencentCloudErrorOptions } from './tencent-cloud-error';

export interface NetworkErrorOptions extends TencentCloudErrorOptions {
  /** What failed, e.g. `connection refused`, `connection reset`. */
  readonly detail: string;
  /** The endpoint's origin (`https://cvm.tencentcloudapi.com`), never a query string. */
  readonly endpoint?: string | undefined;
  /**
   * False when the request certainly did not reach the server (refused, DNS); true when it may
   * have (reset after sending). Decides whether a non-idempotent call may be retried.
   */
  readonly mayHaveReachedServer: boolean;
  /** A system error code such as `ECONNREFUSED`, when the platform gave one. */
  readonly systemCode?: string | undefined;
}

/** No response came back: connection refused or reset, DNS failure, TLS failure. */
export class NetworkError extends TencentCloudError {
  static readonly errorKind = 'network';
  override readonly name = 'NetworkError';
  readonly kind = 'network' as const;
  readonly endpoint: string | undefined;
  readonly mayHaveReachedServer: boolean;
  readonly systemCode: string | undefined;
  /** What failed, as given (the message adds the code, the endpoint and the call). */
  readonly detail: string;

  constructor(options: NetworkErrorOptions) {
    super('network', '', options);
    this.endpoint = options.endpoint;
    this.mayHaveReachedServer = options.mayHaveReachedServer;
    this.systemCode = options.systemCode;
    this.detail = options.detail;
    this.message = this.compose();
  }

  protected override compose(): string {
    const where = [[this.endpoint, this.describeCall()].filter(Boolean).join(', '), this.describeAttempts()]
      .filter(Boolean)
      .join('; ');
    const code = this.systemCode ? ` [${this.systemCode}]` : '';
    return `Network error: ${this.detail}${code}${where ? ` (${where})` : ''}`;
  }

  protected details(): ErrorJson {
    return {
      endpoint: this.endpoint,
      mayHaveReachedServer: this.mayHaveReachedServer,
      systemCode: this.systemCode,
    };
  }
}
