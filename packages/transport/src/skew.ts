import { isApiError, type ApiError } from '@x/errors';
import type { ResponseLike } from '@x/envelope';
import type { AttemptDeps } from './attempt';

/**
 * On `AuthFailure.SignatureExpire`, takes the server's clock (its `Date` header) as the truth:
 * the offset is kept for every later request of the transport. True when the clock was corrected,
 * so the call may sign again.
 */
export function correctClockSkew(deps: AttemptDeps, action: string, error: ApiError, response: ResponseLike): boolean {
  if (!isApiError(error, 'AuthFailure.SignatureExpire')) return false;
  const serverTime = Date.parse(response.headers.get('date') ?? '');
  if (!Number.isFinite(serverTime)) return false;
  deps.clockOffsetMs = serverTime - deps.now();
  deps.logger?.warn?.(`${deps.service}:${action}: signature expired; clock corrected by ${deps.clockOffsetMs} ms`);
  return true;
}
