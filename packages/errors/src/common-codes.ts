import type { ErrorCategory } from './category';

/**
 * The 38 common error codes of Tencent Cloud API 3.0 (any action of any service may answer them),
 * each with its category; a trailing `!` marks the codes where the very same request can succeed
 * when sent again. Only this small table stays in every bundle: the official texts and the hints
 * are in common-texts.ts, loaded when a message or a description is built (texts.ts).
 */
export const COMMON_CODE_KINDS = {
  ActionOffline: 'protocol',
  'AuthFailure.InvalidAuthorization': 'auth',
  'AuthFailure.InvalidSecretId': 'auth',
  'AuthFailure.MFAFailure': 'auth',
  'AuthFailure.SecretIdNotFound': 'auth',
  'AuthFailure.SignatureExpire': 'auth',
  'AuthFailure.SignatureFailure': 'auth',
  'AuthFailure.TokenFailure': 'auth',
  'AuthFailure.UnauthorizedOperation': 'permission',
  DryRunOperation: 'dry-run',
  FailedOperation: 'operation',
  InternalError: 'server!',
  InvalidAction: 'protocol',
  InvalidParameter: 'client-input',
  InvalidParameterValue: 'client-input',
  InvalidRequest: 'client-input',
  IpInBlacklist: 'permission',
  IpNotInWhitelist: 'permission',
  LimitExceeded: 'quota',
  MissingParameter: 'client-input',
  NoSuchProduct: 'protocol',
  NoSuchVersion: 'protocol',
  RequestLimitExceeded: 'throttling!',
  'RequestLimitExceeded.GlobalRegionUinLimitExceeded': 'throttling!',
  'RequestLimitExceeded.IPLimitExceeded': 'throttling!',
  'RequestLimitExceeded.UinLimitExceeded': 'throttling!',
  RequestSizeLimitExceeded: 'client-input',
  ResourceInUse: 'resource',
  ResourceInsufficient: 'resource',
  ResourceNotFound: 'resource',
  ResourceUnavailable: 'resource!',
  ResponseSizeLimitExceeded: 'client-input',
  ServiceUnavailable: 'server!',
  UnauthorizedOperation: 'permission',
  UnknownParameter: 'client-input',
  UnsupportedOperation: 'operation',
  UnsupportedProtocol: 'protocol',
  UnsupportedRegion: 'client-input',
} as const satisfies Readonly<Record<string, ErrorCategory | `${ErrorCategory}!`>>;

/** The 38 common error codes, as a literal union (autocompleted by editors). */
export type CommonErrorCode = keyof typeof COMMON_CODE_KINDS;
