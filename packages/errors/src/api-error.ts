import type { ErrorCategory, Locale } from './category';
import type { ErrorCatalog, ErrorCode } from './catalog';
import { describeError, type ErrorDescription } from './describe';
import { TencentCloudError, type ErrorJson, type TencentCloudErrorOptions } from './tencent-cloud-error';

export interface ApiErrorOptions extends TencentCloudErrorOptions {
  /** `Response.Error.Code`, e.g. `AuthFailure.SignatureFailure`. */
  readonly code: string;
  /** `Response.Error.Message`: the server's text, which may change at any time. */
  readonly serverMessage: string;
  /** `Response.RequestId`. */
  readonly requestId: string;
  /** HTTP status of the response (200 for almost every processed request). */
  readonly httpStatus?: number | undefined;
  /** Service catalogs consulted before the common one for category, retryability and hint. */
  readonly catalogs?: readonly ErrorCatalog[] | undefined;
  /** Language of the catalog hint in `message`. Default `en-US`. */
  readonly language?: Locale | undefined;
  /** @deprecated Use `language` (one name across @x). */
  readonly locale?: Locale | undefined;
}

/**
 * The server processed the request and said no: `Response.Error` of an API 3.0 envelope.
 * Branch on `code` (or `category`), never on `serverMessage`, which Tencent Cloud may reword.
 *
 * @example
 * try { await client.call('DescribeInstances') } catch (err) {
 *   if (isApiError(err, 'AuthFailure')) console.error(err.code, err.requestId);
 * }
 */
export class ApiError extends TencentCloudError {
  static readonly errorKind = 'api';
  override readonly name = 'ApiError';
  readonly kind = 'api' as const;
  /** The error code: one of the common codes or a service's own (`InvalidInstanceId.NotFound`). */
  readonly code: ErrorCode;
  /** The server's own message text. */
  readonly serverMessage: string;
  declare readonly requestId: string;
  readonly httpStatus: number | undefined;
  /** From the catalog (with dotted-ancestor fallback); `unknown` when no catalog knows the code. */
  readonly category: ErrorCategory;
  /** True when the catalog says the very same request can succeed when sent again. */
  readonly retryable: boolean;
  /** The catalog entry that matched, when one did. */
  readonly description: ErrorDescription | undefined;

  constructor(options: ApiErrorOptions) {
    const description = describeError(options.code, {
      language: options.language ?? options.locale ?? 'en-US',
      catalogs: options.catalogs ?? [],
    });
    super('api', '', options);
    this.code = options.code;
    this.serverMessage = options.serverMessage;
    this.httpStatus = options.httpStatus;
    this.description = description;
    this.category = description?.category ?? 'unknown';
    this.retryable = description?.retryable ?? false;
    this.message = this.compose();
  }

  /** What to do about this code (or its nearest known ancestor), from the catalog, in the error's locale. */
  get hint(): string | undefined {
    const description = this.description;
    // Before loadErrorTexts, a common entry's texts are its code: that is no hint.
    return description?.hint === description?.matchedCode ? undefined : description?.hint;
  }

  protected override compose(): string {
    const where = [`RequestId ${this.requestId}`, this.describeCall()].filter(Boolean).join(', ');
    const hint = this.hint && this.hint !== this.serverMessage ? ` Hint: ${this.hint}` : '';
    const text = this.serverMessage === '' ? '(no message)' : this.serverMessage;
    return `${this.code}: ${text} (${where}).${hint}`;
  }

  protected details(): ErrorJson {
    return {
      code: this.code,
      serverMessage: this.serverMessage,
      httpStatus: this.httpStatus,
      category: this.category,
      retryable: this.retryable,
      matchedCode: this.description?.matchedCode,
    };
  }
}
