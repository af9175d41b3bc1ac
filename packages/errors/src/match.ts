// Its own file, apart from describe.ts: the guards (isApiError) need only this, and browser bundles
// load describeError and the code table with ApiError, after an answer (see split/).

/**
 * True when `code` is `pattern` or one of its dotted descendants: `AuthFailure` matches
 * `AuthFailure.SignatureFailure` but not `AuthFailureX`.
 */
export function matchesErrorCode(code: string, pattern: string): boolean {
  if (typeof code !== 'string' || typeof pattern !== 'string' || pattern === '') return false;
  return code === pattern || (code.length > pattern.length && code.startsWith(pattern) && code[pattern.length] === '.');
}
