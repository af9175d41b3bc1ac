import { expect } from 'vitest';
import { isCredentialsError, type CredentialsError } from '@x/errors';
import type { CredentialProvider } from '../src/index.node';

/** The CredentialsError a provider fails with (a test fails if it answers, or fails otherwise). */
export async function failure(provider: CredentialProvider): Promise<CredentialsError> {
  try {
    await provider();
  } catch (err) {
    expect(isCredentialsError(err), String(err)).toBe(true);
    return err as CredentialsError;
  }
  throw new Error('expected the provider to fail');
}
