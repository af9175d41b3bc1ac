import { CredentialsError } from '@x/errors';
import { runtimeEnv } from './runtime-env';
import type { CredentialProvider } from './credentials';
import type { FromProfileOptions } from './profile-options';
import { regionFromEnv, type ConfiguredRegionReader } from './region';

/**
 * What the non-Node build exports in place of providers that read files: a provider that fails
 * with a clear error, so a chain in a browser or Worker explains itself instead of crashing.
 */
function unsupported(provider: string): CredentialProvider {
  return () =>
    Promise.reject(
      new CredentialsError({
        detail: `${provider} reads files and needs Node.js (or Bun/Deno); this runtime has no file system`,
        tried: [{ provider, reason: 'not available in this runtime' }],
      }),
    );
}

export function fromProfile(_options: FromProfileOptions = {}): CredentialProvider {
  return unsupported('profile');
}

export function profileFiles(_options: FromProfileOptions = {}): string[] {
  return [];
}

/** Without files, only `TENCENTCLOUD_REGION` (where the runtime has an environment at all). */
export const configuredRegion: ConfiguredRegionReader = (options = {}) =>
  Promise.resolve(regionFromEnv(options.env ?? runtimeEnv()));
