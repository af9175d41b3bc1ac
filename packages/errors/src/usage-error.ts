import { TencentCloudError, type ErrorJson, type TencentCloudErrorOptions } from './tencent-cloud-error';

export interface UsageErrorOptions extends TencentCloudErrorOptions {
  /** The argument or option that was wrong, e.g. `params.Filters[0].Values`, `options.language`. */
  readonly argument: string;
}

/**
 * The caller passed something `@x` cannot use: a missing option, a value of the wrong type,
 * parameters that cannot be serialised, a body over the API's limit. Thrown before anything is
 * sent, with the argument named, instead of a bare TypeError.
 */
export class UsageError extends TencentCloudError {
  static readonly errorKind = 'usage';
  override readonly name = 'UsageError';
  readonly kind = 'usage' as const;
  readonly argument: string;

  constructor(message: string, options: UsageErrorOptions) {
    super('usage', `${options.argument}: ${message}`, options);
    this.argument = options.argument;
  }

  protected details(): ErrorJson {
    return { argument: this.argument };
  }
}
