import { CredentialsError, isTencentCloudError, type CredentialAttempt } from '@x/errors';
import type { CredentialProvider, Credentials } from './credentials';

/**
 * Tries each provider in order and returns the first credentials found. When none gives any,
 * throws one CredentialsError that lists every provider tried and why each failed. It never
 * prints anything and never returns empty credentials.
 */
export function chain(...providers: readonly CredentialProvider[]): CredentialProvider {
  return async (request) => {
    const tried: CredentialAttempt[] = [];
    for (const [index, provider] of providers.entries()) {
      request?.signal?.throwIfAborted();
      try {
        return await provider(request);
      } catch (err) {
        tried.push(...attemptsOf(err, provider.name || `provider #${index + 1}`));
      }
    }
    throw new CredentialsError({ detail: 'No Tencent Cloud credentials found. Tried, in order:', tried });
  };
}

function attemptsOf(err: unknown, name: string): CredentialAttempt[] {
  if (err instanceof CredentialsError && err.tried.length > 0) return [...err.tried];
  const reason = isTencentCloudError(err) || err instanceof Error ? err.message : String(err);
  return [{ provider: name, reason }];
}

export type { Credentials };
