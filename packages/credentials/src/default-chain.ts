import { cachedProvider } from './cache';
import { chain } from './chain';
import type { CredentialProvider } from './credentials';
import { fromEnv, type Environment } from './env';
import { fromInstanceMetadata, type FromInstanceMetadataOptions } from './instance-metadata';
import type { FromProfileOptions } from './profile-options';

/** Options of `defaultCredentials`: the environment to read, and each link of the chain. */
export interface DefaultCredentialsOptions {
  readonly env?: Environment;
  readonly profile?: FromProfileOptions;
  readonly instanceMetadata?: FromInstanceMetadataOptions | false;
}

/** Builds the default chain on the given profile provider (the Node entry's reads files). */
export function makeDefaultCredentials(fromProfile: (options?: FromProfileOptions) => CredentialProvider) {
  /**
   * What a client uses when no `credentials` are given: the environment, then the profile file,
   * then the CVM instance role; cached. When none has credentials it fails with one
   * CredentialsError listing all three and why each gave nothing. It never prints anything.
   */
  return function defaultCredentials(options: DefaultCredentialsOptions = {}): CredentialProvider {
    const env = options.env;
    const links = [
      // Stryker disable next-line ConditionalExpression: { env: undefined } reads process.env too (`options.env ?? runtimeEnv()`)
      fromEnv(env === undefined ? {} : { env }),
      // Stryker disable next-line ConditionalExpression: { env: undefined } reads process.env too (`options.env ?? runtimeEnv()`)
      fromProfile({ ...(env === undefined ? {} : { env }), ...options.profile }),
    ];
    if (options.instanceMetadata !== false) links.push(fromInstanceMetadata(options.instanceMetadata ?? {}));
    return cachedProvider(chain(...links));
  };
}
