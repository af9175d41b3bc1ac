import { CredentialsError, isTencentCloudError } from '@x/errors';
import { makeCredentials, type CredentialProvider } from './credentials';
import { runtimeEnv, type Environment } from './runtime-env';

export type { Environment } from './runtime-env';

/** Options of {@link fromEnv}. */
export interface FromEnvOptions {
  /** Where to read the variables; default `process.env` (where the runtime has one). */
  readonly env?: Environment;
}

/** The environment variables the official SDKs read, and so do we. */
export const ENV_SECRET_ID = 'TENCENTCLOUD_SECRET_ID';
/** See {@link ENV_SECRET_ID}. */
export const ENV_SECRET_KEY = 'TENCENTCLOUD_SECRET_KEY';
/** The session token of temporary keys; optional. */
export const ENV_SESSION_TOKEN = 'TENCENTCLOUD_SESSION_TOKEN';

/**
 * Credentials from `TENCENTCLOUD_SECRET_ID`, `TENCENTCLOUD_SECRET_KEY` and, for temporary keys,
 * `TENCENTCLOUD_SESSION_TOKEN`, read at each call (so a changed environment is seen).
 */
export function fromEnv(options: FromEnvOptions = {}): CredentialProvider {
  return () => {
    const env = options.env ?? runtimeEnv();
    const fail = (reason: string) =>
      Promise.reject(
        new CredentialsError({
          detail: `No credentials from the environment: ${reason}`,
          tried: [{ provider: 'env', reason }],
        }),
      );
    if (env === undefined) return fail('this runtime has no process environment');
    const secretId = env[ENV_SECRET_ID];
    const secretKey = env[ENV_SECRET_KEY];
    const token = env[ENV_SESSION_TOKEN];
    if (secretId === undefined && secretKey === undefined)
      return fail(`${ENV_SECRET_ID} and ${ENV_SECRET_KEY} are not set`);
    if (secretId === undefined) return fail(`${ENV_SECRET_KEY} is set but ${ENV_SECRET_ID} is not`);
    if (secretKey === undefined) return fail(`${ENV_SECRET_ID} is set but ${ENV_SECRET_KEY} is not`);
    try {
      return Promise.resolve(
        makeCredentials(
          { secretId, secretKey, token: token === '' ? undefined : token },
          { secretId: ENV_SECRET_ID, secretKey: ENV_SECRET_KEY, token: ENV_SESSION_TOKEN },
        ),
      );
    } catch (err) {
      return fail(isTencentCloudError(err) ? err.message : 'invalid values');
    }
  };
}
