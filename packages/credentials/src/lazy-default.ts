import type { CredentialProvider } from './credentials';
import type { DefaultCredentialsOptions } from './default-chain';

type DefaultCredentials = (options?: DefaultCredentialsOptions) => CredentialProvider;

/**
 * `defaultCredentials` whose chain (env, profile file, instance role, STS plumbing: its own chunk
 * in browser bundles, a few ms of a Node cold start) is imported at the first credentials request.
 * A client given credentials never loads it. A failed import is tried again at the next request.
 */
export function lazyDefaultCredentials(
  load: () => Promise<{ readonly defaultCredentials: DefaultCredentials }>,
): DefaultCredentials {
  return function defaultCredentials(options = {}) {
    let provider: Promise<CredentialProvider> | undefined;
    return async (request) => {
      provider ??= load().then(
        (module) => module.defaultCredentials(options),
        (err: unknown) => {
          provider = undefined;
          throw err;
        },
      );
      return (await provider)(request);
    };
  };
}
