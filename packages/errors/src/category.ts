/**
 * What kind of failure an error code describes. Programs branch on the category when the exact
 * code does not matter: "retry later", "fix the request", "fix the credentials".
 *
 * - `auth`: the request could not be authenticated (key, signature, token, MFA).
 * - `permission`: authenticated, but not allowed (CAM policy, IP allow/deny lists).
 * - `throttling`: too many requests; slowing down and retrying succeeds.
 * - `client-input`: the request itself is wrong (parameters, region, size); change it.
 * - `quota`: an account or resource quota is used up.
 * - `resource`: the target resource is missing, busy, sold out or unavailable.
 * - `operation`: the service refused the operation in the current state.
 * - `server`: the service failed; usually transient.
 * - `dry-run`: a `DryRun` request that would have succeeded.
 * - `protocol`: the call does not reach a live API (unknown action, version, product, method).
 * - `unknown`: the code is not in any catalog consulted.
 */
export type ErrorCategory =
  | 'auth'
  | 'permission'
  | 'throttling'
  | 'client-input'
  | 'quota'
  | 'resource'
  | 'operation'
  | 'server'
  | 'dry-run'
  | 'protocol'
  | 'unknown';

/** The languages Tencent Cloud documents its error texts in. */
export type Locale = 'zh-CN' | 'en-US';

/** Every value of {@link ErrorCategory}, for iteration and validation. */
export const ERROR_CATEGORIES: readonly ErrorCategory[] = [
  'auth',
  'permission',
  'throttling',
  'client-input',
  'quota',
  'resource',
  'operation',
  'server',
  'dry-run',
  'protocol',
  'unknown',
];
