// The universal entry (browsers, Workers): the common codes' texts and hints load on demand
// (loadErrorTexts); index.ts, the Node entry, installs them at import. Both export the same names.
export { type ErrorCategory, type Locale, ERROR_CATEGORIES } from './category';
export {
  COMMON_ERROR_CATALOG,
  COMMON_ERROR_CODES,
  commonErrorCatalog,
  defineErrorCatalog,
  type CommonErrorCode,
  type ErrorCatalog,
  type ErrorCatalogEntry,
  type ErrorCatalogEntryInput,
  type ErrorCode,
} from './catalog';
export { loadErrorTexts } from './texts';
export { codeAncestors, describeError, type DescribeErrorOptions, type ErrorDescription } from './describe';
export { matchesErrorCode } from './match';
export {
  TencentCloudError,
  brandOf,
  isTencentCloudError,
  type CallContext,
  type ErrorJson,
  type ErrorKind,
  type TencentCloudErrorOptions,
} from './tencent-cloud-error';
export { ApiError, type ApiErrorOptions } from './api-error';
export { EnvelopeError, excerpt, type EnvelopeErrorOptions, type EnvelopeErrorReason } from './envelope-error';
export { NetworkError, type NetworkErrorOptions } from './network-error';
export { TimeoutError, type TimeoutErrorOptions } from './timeout-error';
export { UsageError, type UsageErrorOptions } from './usage-error';
export { CredentialsError, type CredentialAttempt, type CredentialsErrorOptions } from './credentials-error';
export {
  isApiError,
  isCredentialsError,
  isEnvelopeError,
  isNetworkError,
  isTimeoutError,
  isUsageError,
  type ErrorCodePattern,
} from './guards';
export {
  REDACTED,
  SENSITIVE_HEADERS,
  SENSITIVE_PARAMS,
  isSecretName,
  redactHeaders,
  redactSecretFields,
  redactText,
} from './redact';
