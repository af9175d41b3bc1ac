import type { ApiError } from './api-error';
import type { ErrorCode } from './catalog';
import type { CredentialsError } from './credentials-error';
import { matchesErrorCode } from './match';
import type { EnvelopeError } from './envelope-error';
import type { NetworkError } from './network-error';
import { brandOf } from './tencent-cloud-error';
import type { TimeoutError } from './timeout-error';
import type { UsageError } from './usage-error';

/** @deprecated The same type as {@link ErrorCode} (a common code, autocompleted, or any string): use that. */
export type ErrorCodePattern = ErrorCode;

/**
 * True when `value` is an {@link ApiError} (from any installed copy of @x/errors) and, when
 * `pattern` is given, its code is the pattern or a dotted descendant of it. An array matches when
 * any of its patterns does.
 *
 * @example
 * isApiError(err, 'AuthFailure')                 // AuthFailure.SignatureFailure: true; AuthFailureX: false
 * isApiError(err, ['RequestLimitExceeded', 'InternalError'])
 */
export function isApiError(value: unknown, pattern?: ErrorCode | readonly ErrorCode[]): value is ApiError {
  if (brandOf(value) !== 'api') return false;
  if (pattern === undefined) return true;
  const code = (value as ApiError).code;
  const patterns: readonly string[] = typeof pattern === 'string' ? [pattern] : pattern;
  return patterns.some((p) => matchesErrorCode(code, p));
}

/** True when `value` is an {@link EnvelopeError} from any copy of @x/errors. */
export function isEnvelopeError(value: unknown): value is EnvelopeError {
  return brandOf(value) === 'envelope';
}

/** True when `value` is a {@link NetworkError} from any copy of @x/errors. */
export function isNetworkError(value: unknown): value is NetworkError {
  return brandOf(value) === 'network';
}

/** True when `value` is a {@link TimeoutError} from any copy of @x/errors. */
export function isTimeoutError(value: unknown): value is TimeoutError {
  return brandOf(value) === 'timeout';
}

/** True when `value` is a {@link UsageError} from any copy of @x/errors. */
export function isUsageError(value: unknown): value is UsageError {
  return brandOf(value) === 'usage';
}

/** True when `value` is a {@link CredentialsError} from any copy of @x/errors. */
export function isCredentialsError(value: unknown): value is CredentialsError {
  return brandOf(value) === 'credentials';
}
