import { makeCredentials, type CredentialProvider, type Credentials } from './credentials';

/**
 * Fixed credentials, validated immediately (empty or space-padded values throw a UsageError).
 *
 * @example
 * const creds = staticCredentials({ secretId: 'AKID...', secretKey: '...' });
 */
export function staticCredentials(credentials: Credentials): CredentialProvider {
  const fixed = makeCredentials(credentials);
  return () => Promise.resolve(fixed);
}
