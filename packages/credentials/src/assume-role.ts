import { CredentialsError, isTencentCloudError } from '@x/errors';
import { createTransport, type Sender } from '@x/transport';
import { cachedProvider, type CacheOptions } from './cache';
import { makeCredentials, toProvider, type CredentialProvider, type CredentialsInput } from './credentials';

/** Where and how the STS calls of a provider are sent. */
export interface StsOptions extends CacheOptions {
  /** STS region. Default `ap-guangzhou`. */
  readonly region?: string;
  /** An explicit STS endpoint, e.g. `http://127.0.0.1:8080` (the emulator). */
  readonly endpoint?: string;
  /** A fetch for the STS calls (proxies, tests). */
  readonly fetch?: typeof fetch;
  /** A sender for the STS calls. */
  readonly sender?: Sender;
  /** Per-attempt timeout of the STS call. Default 10 s. */
  readonly timeoutMs?: number;
}

export interface FromAssumeRoleOptions extends StsOptions {
  /** e.g. `qcs::cam::uin/100000000001:roleName/deployer`. */
  readonly roleArn: string;
  /** Names the session in audit logs. Default `x-credentials`. */
  readonly roleSessionName?: string;
  /** Lifetime of the temporary credentials. Default 7200 s (the STS default). */
  readonly durationSeconds?: number;
  /** A policy narrowing the role's permissions (JSON text). */
  readonly policy?: string;
  readonly externalId?: string;
  /** The credentials that may assume the role. */
  readonly source: CredentialsInput;
}

export interface StsCredentialsResponse {
  readonly Credentials?: { readonly TmpSecretId?: unknown; readonly TmpSecretKey?: unknown; readonly Token?: unknown };
  readonly ExpiredTime?: unknown;
}

/** Turns an STS answer into credentials, or says what was missing. */
export function credentialsFromSts(data: StsCredentialsResponse, provider: string): ReturnType<typeof makeCredentials> {
  const c = data.Credentials;
  if (typeof c?.TmpSecretId !== 'string' || typeof c.TmpSecretKey !== 'string' || typeof c.Token !== 'string' || typeof data.ExpiredTime !== 'number') {
    throw new CredentialsError({
      detail: `${provider}: STS answered without Credentials.TmpSecretId/TmpSecretKey/Token and ExpiredTime`,
      tried: [{ provider, reason: 'incomplete STS answer' }],
    });
  }
  return makeCredentials({ secretId: c.TmpSecretId, secretKey: c.TmpSecretKey, token: c.Token, expiresAt: data.ExpiredTime * 1000 });
}

/** Wraps a failed STS call into a CredentialsError naming the provider, keeping the cause (and its RequestId). */
export function stsFailure(provider: string, err: unknown): CredentialsError {
  if (err instanceof CredentialsError) return err;
  const reason = isTencentCloudError(err) || err instanceof Error ? err.message : String(err);
  return new CredentialsError({ detail: `${provider} failed: ${reason}`, tried: [{ provider, reason }], cause: err });
}

/**
 * Temporary credentials of a CAM role, from STS AssumeRole signed with `source`; cached and
 * refreshed before they expire (one refresh for any number of callers, failures not cached).
 */
export function fromAssumeRole(options: FromAssumeRoleOptions): CredentialProvider {
  const name = `assume-role(${options.roleArn})`;
  const sts = createTransport({
    service: 'sts',
    version: '2018-08-13',
    region: options.region ?? 'ap-guangzhou',
    endpoint: options.endpoint,
    credentials: toProvider(options.source),
    fetch: options.fetch,
    sender: options.sender,
    timeoutMs: options.timeoutMs ?? 10_000,
    // AssumeRole changes nothing: repeating it after a timeout is safe.
    idempotent: () => true,
  });
  const params: Record<string, unknown> = {
    RoleArn: options.roleArn,
    RoleSessionName: options.roleSessionName ?? 'x-credentials',
    DurationSeconds: options.durationSeconds ?? 7200,
  };
  if (options.policy !== undefined) params['Policy'] = options.policy;
  if (options.externalId !== undefined) params['ExternalId'] = options.externalId;
  return cachedProvider(async () => {
    try {
      const { data } = await sts.call<StsCredentialsResponse>('AssumeRole', params);
      return credentialsFromSts(data, name);
    } catch (err) {
      throw stsFailure(name, err);
    }
  }, options);
}
