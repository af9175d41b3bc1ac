import type { ErrorCategory, Locale } from './category';
import { UsageError } from './usage-error';

/** One code's entry in an error catalog. */
export interface ErrorCatalogEntry {
  /** The official description, in each documented language. */
  readonly description: Readonly<Record<Locale, string>>;
  readonly category: ErrorCategory;
  /**
   * True only where sending the very same request again can succeed. The transport's retry loop
   * reads this; it never retries an entry marked false (clock skew is handled separately).
   */
  readonly retryable: boolean;
  /** Why the category or the retry decision is what it is, where that is not obvious. */
  readonly reason?: string;
}

const entry = (
  zh: string,
  en: string,
  category: ErrorCategory,
  retryable: boolean,
  reason?: string,
): ErrorCatalogEntry =>
  reason === undefined
    ? { description: { 'zh-CN': zh, 'en-US': en }, category, retryable }
    : { description: { 'zh-CN': zh, 'en-US': en }, category, retryable, reason };

/**
 * The 38 common error codes of Tencent Cloud API 3.0: any action of any service may answer them.
 * Texts are the official zh-CN descriptions and their official English translations.
 */
export const COMMON_ERROR_CATALOG = {
  ActionOffline: entry('接口已下线。', 'This API has been deprecated.', 'protocol', false),
  'AuthFailure.InvalidAuthorization': entry(
    '请求头部的 Authorization 不符合腾讯云标准。',
    '`Authorization` in the request header is invalid.',
    'auth',
    false,
  ),
  'AuthFailure.InvalidSecretId': entry(
    '密钥非法（不是云 API 密钥类型）。',
    'Invalid key (not a TencentCloud API key type).',
    'auth',
    false,
  ),
  'AuthFailure.MFAFailure': entry('MFA 错误。', 'MFA failed.', 'auth', false),
  'AuthFailure.SecretIdNotFound': entry(
    '密钥不存在。请在控制台检查密钥是否已被删除或者禁用，如状态正常，请检查密钥是否填写正确，注意前后不得有空格。',
    'Key does not exist. Check if the key has been deleted or disabled in the console, and if not, check if the key is correctly entered. Note that whitespaces should not exist before or after the key.',
    'auth',
    false,
  ),
  'AuthFailure.SignatureExpire': entry(
    '签名过期。Timestamp 和服务器时间相差不得超过五分钟，请检查本地时间是否和标准时间同步。',
    'Signature expired. Timestamp and server time cannot differ by more than five minutes. Please ensure your current local time matches the standard time.',
    'auth',
    false,
    'The same request with the same clock fails again. The transport corrects its clock offset from the server Date header and re-signs once; that is a changed request, not a plain retry.',
  ),
  'AuthFailure.SignatureFailure': entry(
    '签名错误。签名计算错误，请对照调用方式中的签名方法文档检查签名计算过程。',
    "Invalid signature. Signature calculation error. Please ensure you've followed the signature calculation process described in the Signature API documentation.",
    'auth',
    false,
  ),
  'AuthFailure.TokenFailure': entry(
    'token 错误。',
    'Token error.',
    'auth',
    false,
    'Usually an expired or mismatched session token: only fresh credentials help, which is a new request.',
  ),
  'AuthFailure.UnauthorizedOperation': entry(
    '请求未授权。请参考 CAM 文档对鉴权的说明。',
    'The request is not authorized. For more information, see the CAM documentation.',
    'permission',
    false,
    'Despite the AuthFailure prefix the caller was authenticated; a CAM policy denies the action.',
  ),
  DryRunOperation: entry(
    'DryRun 操作，代表请求将会是成功的，只是多传了 DryRun 参数。',
    'DryRun Operation. It means that the request would have succeeded, but the DryRun parameter was used.',
    'dry-run',
    false,
    'Not a failure: the request would have succeeded. Retrying would only repeat the dry run.',
  ),
  FailedOperation: entry(
    '操作失败。',
    'Operation failed.',
    'operation',
    false,
    'Services use FailedOperation.* for state conflicts (e.g. the instance is in the wrong state); repeating the request does not change the state.',
  ),
  InternalError: entry('内部错误。', 'Internal error.', 'server', true),
  InvalidAction: entry('接口不存在。', 'The API does not exist.', 'protocol', false),
  InvalidParameter: entry(
    '参数错误（包括参数格式、类型等错误）。',
    'Incorrect parameter.',
    'client-input',
    false,
  ),
  InvalidParameterValue: entry('参数取值错误。', 'Invalid parameter value.', 'client-input', false),
  InvalidRequest: entry(
    '请求 body 的 multipart 格式错误。',
    'The multipart format of the request body is incorrect.',
    'client-input',
    false,
  ),
  IpInBlacklist: entry(
    'IP 地址在黑名单中。',
    'Your IP is in uin IP blacklist.',
    'permission',
    false,
  ),
  IpNotInWhitelist: entry(
    'IP 地址不在白名单中。',
    'Your IP is not in uin IP whitelist.',
    'permission',
    false,
  ),
  LimitExceeded: entry(
    '超过配额限制。',
    'Quota limit exceeded.',
    'quota',
    false,
    'A quota (instances, disks, ...), not a request rate: it does not reset by waiting seconds.',
  ),
  MissingParameter: entry('缺少参数。', 'A parameter is missing.', 'client-input', false),
  NoSuchProduct: entry('产品不存在', 'The product does not exist.', 'protocol', false),
  NoSuchVersion: entry('接口版本不存在。', 'The API version does not exist.', 'protocol', false),
  RequestLimitExceeded: entry(
    '请求的次数超过了频率限制。',
    'The number of requests exceeds the frequency limit.',
    'throttling',
    true,
  ),
  'RequestLimitExceeded.GlobalRegionUinLimitExceeded': entry(
    '主账号超过频率限制。',
    'Uin exceeds the frequency limit.',
    'throttling',
    true,
  ),
  'RequestLimitExceeded.IPLimitExceeded': entry(
    'IP限频。',
    'The number of ip requests exceeds the frequency limit.',
    'throttling',
    true,
  ),
  'RequestLimitExceeded.UinLimitExceeded': entry(
    '主账号限频。',
    'The number of uin requests exceeds the frequency limit.',
    'throttling',
    true,
  ),
  RequestSizeLimitExceeded: entry(
    '请求包超过限制大小。',
    'The request size exceeds the upper limit.',
    'client-input',
    false,
  ),
  ResourceInUse: entry(
    '资源被占用。',
    'Resource is in use.',
    'resource',
    false,
    'Resources are held by long operations (minutes); a backoff of seconds does not outlast them, so waiting is left to the caller.',
  ),
  ResourceInsufficient: entry(
    '资源不足。',
    'Insufficient resource.',
    'resource',
    false,
    'Capacity is sold out in that zone or type; it does not come back within a retry window. Change zone or type.',
  ),
  ResourceNotFound: entry('资源不存在。', 'The resource does not exist.', 'resource', false),
  ResourceUnavailable: entry(
    '资源不可用。',
    'Resource is unavailable.',
    'resource',
    true,
    'Usually a transient state (a resource starting, migrating or being created); the same request can succeed moments later.',
  ),
  ResponseSizeLimitExceeded: entry(
    '返回包超过限制大小。',
    'The response size exceeds the upper limit.',
    'client-input',
    false,
    'The same request returns the same amount of data; ask for less (a smaller Limit).',
  ),
  ServiceUnavailable: entry('当前服务暂时不可用。', 'Service is unavailable now.', 'server', true),
  UnauthorizedOperation: entry('未授权操作。', 'Unauthorized operation.', 'permission', false),
  UnknownParameter: entry(
    '未知参数错误，用户多传未定义的参数会导致错误。',
    'Unknown parameter.',
    'client-input',
    false,
  ),
  UnsupportedOperation: entry(
    '操作不支持。',
    'Unsupported operation.',
    'operation',
    false,
    'The operation is not supported for this resource or in its current state; repeating it changes nothing.',
  ),
  UnsupportedProtocol: entry(
    'http(s) 请求协议错误，只支持 GET 和 POST 请求。',
    'HTTP(S) request protocol error; only GET and POST requests are supported.',
    'protocol',
    false,
  ),
  UnsupportedRegion: entry(
    '接口不支持所传地域。',
    'API does not support the requested region.',
    'client-input',
    false,
  ),
} as const satisfies Record<string, ErrorCatalogEntry>;

/** The 38 common error codes, as a literal union (autocompleted by editors). */
export type CommonErrorCode = keyof typeof COMMON_ERROR_CATALOG;

/** Every common error code, in catalog order. */
export const COMMON_ERROR_CODES = Object.keys(COMMON_ERROR_CATALOG) as readonly CommonErrorCode[];

/**
 * An error code: one of the common codes (autocompleted) or any service-specific string such as
 * `InvalidInstanceId.NotFound`.
 */
export type ErrorCode = CommonErrorCode | (string & {});

/** A set of codes with their entries, e.g. one service's own codes. */
export interface ErrorCatalog {
  /** A name for messages and debugging, e.g. `cvm`. */
  readonly name: string;
  readonly entries: Readonly<Record<string, ErrorCatalogEntry>>;
}

/** The common catalog as an {@link ErrorCatalog}; always consulted last. */
export const commonErrorCatalog: ErrorCatalog = { name: 'common', entries: COMMON_ERROR_CATALOG };

/**
 * Input of {@link defineErrorCatalog}: `reason` and a second language are optional. Without a
 * `category`, the entry takes the category and retryability of its nearest dotted ancestor in the
 * common catalog (`FailedOperation.Foo` → `FailedOperation`), or `unknown` and not retryable.
 */
export interface ErrorCatalogEntryInput {
  readonly description: Readonly<Partial<Record<Locale, string>>> | string;
  readonly category?: ErrorCategory;
  /** Default: false with a `category`; the ancestor's without one. */
  readonly retryable?: boolean;
  readonly reason?: string;
}

/** The common entry a code falls back to: the code itself or its nearest dotted ancestor. */
function commonAncestor(code: string): ErrorCatalogEntry | undefined {
  for (let current = code; ; current = current.slice(0, current.lastIndexOf('.'))) {
    if (Object.prototype.hasOwnProperty.call(COMMON_ERROR_CATALOG, current)) return COMMON_ERROR_CATALOG[current as CommonErrorCode];
    if (current.lastIndexOf('.') <= 0) return undefined;
  }
}

/**
 * Defines a service catalog, consulted before the common one by {@link describeError} and the
 * error classes. A description given as one string is used for both languages.
 *
 * @example
 * const cvmErrors = defineErrorCatalog('cvm', {
 *   'InvalidInstanceId.NotFound': {
 *     description: { 'zh-CN': '实例不存在。', 'en-US': 'The instance does not exist.' },
 *     category: 'resource',
 *   },
 * });
 */
export function defineErrorCatalog(
  name: string,
  entries: Readonly<Record<string, ErrorCatalogEntryInput>>,
): ErrorCatalog {
  if (typeof name !== 'string' || name.trim() === '') {
    throw new UsageError('the catalog name must be a non-empty string', { argument: 'defineErrorCatalog(name)' });
  }
  const out: Record<string, ErrorCatalogEntry> = {};
  for (const [code, input] of Object.entries(entries)) {
    if (!isValidCode(code)) {
      throw new UsageError(`${JSON.stringify(code)} is not an error code (words joined by single dots)`, {
        argument: `defineErrorCatalog(${JSON.stringify(name)}).entries`,
      });
    }
    const zh = typeof input.description === 'string' ? input.description : input.description['zh-CN'];
    const en = typeof input.description === 'string' ? input.description : input.description['en-US'];
    const text = zh ?? en;
    if (text === undefined) {
      throw new UsageError(`${code} needs a description in at least one language`, {
        argument: `defineErrorCatalog(${JSON.stringify(name)}).entries`,
      });
    }
    if (input.category !== undefined) {
      out[code] = entry(zh ?? text, en ?? text, input.category, input.retryable ?? false, input.reason);
    } else {
      const ancestor = commonAncestor(code);
      out[code] = entry(zh ?? text, en ?? text, ancestor?.category ?? 'unknown', input.retryable ?? ancestor?.retryable ?? false, input.reason);
    }
  }
  return Object.freeze({ name, entries: Object.freeze(out) });
}

const CODE_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** True when `code` has the shape of an API error code: words joined by single dots. */
export function isValidCode(code: string): boolean {
  return CODE_PATTERN.test(code);
}
