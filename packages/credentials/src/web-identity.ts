import { CredentialsError } from '@x/errors';
import { cachedProvider } from './cache';
import type { CredentialProvider } from './credentials';
import { stsCredentials, stsTransport, type StsOptions } from './sts';
import { runtimeEnv, type Environment } from './runtime-env';

export interface FromWebIdentityOptions extends StsOptions {
  /** Default `TKE_ROLE_ARN`. */
  readonly roleArn?: string;
  /** Default `TKE_PROVIDER_ID`. */
  readonly providerId?: string;
  /** The OIDC token, or a function that reads it fresh (tokens rotate). Default: the file `TKE_WEB_IDENTITY_TOKEN_FILE` (Node). */
  readonly webIdentityToken?: string | (() => Promise<string>);
  /** Default `TKE_WEB_IDENTITY_TOKEN_FILE` (read on each refresh; Node only). */
  readonly tokenFile?: string;
  /** Default `x-credentials-web-identity`. */
  readonly roleSessionName?: string;
  readonly durationSeconds?: number;
  /** Where the TKE_* variables are read. Default `process.env`. STS region default: `TKE_REGION`. */
  readonly env?: Environment;
}

/** How the token file is read: given by the Node entry; the universal build has none. */
export type TokenFileReader = ((path: string) => Promise<string>) | undefined;

/**
 * Temporary credentials for a TKE pod's service account (OIDC web identity), from STS
 * AssumeRoleWithWebIdentity, which is sent unsigned. Cached and refreshed like every provider of
 * temporary keys, with the normal 5-minute margin (the official SDK refreshes 0.6 s early by mistake).
 */
export function makeFromWebIdentity(readTokenFile: TokenFileReader) {
  return function fromWebIdentity(options: FromWebIdentityOptions = {}): CredentialProvider {
    const env = options.env ?? runtimeEnv() ?? {};
    const roleArn = options.roleArn ?? env['TKE_ROLE_ARN'];
    const providerId = options.providerId ?? env['TKE_PROVIDER_ID'];
    const tokenFile = options.tokenFile ?? env['TKE_WEB_IDENTITY_TOKEN_FILE'];
    const region = options.region ?? env['TKE_REGION'] ?? 'ap-guangzhou';
    const name = 'web-identity';
    const fail = (reason: string) =>
      new CredentialsError({
        detail: `No credentials from web identity: ${reason}`,
        tried: [{ provider: name, reason }],
      });
    const sts = stsTransport(options, region, 'skip');
    const token = async (): Promise<string> => {
      if (typeof options.webIdentityToken === 'string') return options.webIdentityToken;
      if (typeof options.webIdentityToken === 'function') return options.webIdentityToken();
      if (!tokenFile) throw fail('TKE_WEB_IDENTITY_TOKEN_FILE is not set and no webIdentityToken was given');
      if (!readTokenFile) throw fail('reading the token file needs Node.js; pass webIdentityToken instead');
      try {
        return (await readTokenFile(tokenFile)).trim();
      } catch (err) {
        throw new CredentialsError({
          detail: `No credentials from web identity: cannot read ${tokenFile}`,
          tried: [{ provider: name, reason: `cannot read ${tokenFile}` }],
          cause: err,
        });
      }
    };
    return cachedProvider(async () => {
      if (!roleArn) throw fail('TKE_ROLE_ARN is not set and no roleArn was given');
      if (!providerId) throw fail('TKE_PROVIDER_ID is not set and no providerId was given');
      const webIdentityToken = await token();
      if (webIdentityToken === '') throw fail('the web identity token is empty');
      return stsCredentials(
        sts,
        'AssumeRoleWithWebIdentity',
        {
          ProviderId: providerId,
          WebIdentityToken: webIdentityToken,
          RoleArn: roleArn,
          RoleSessionName: options.roleSessionName ?? 'x-credentials-web-identity',
          DurationSeconds: options.durationSeconds ?? 7200,
        },
        name,
      );
    }, options);
  };
}
