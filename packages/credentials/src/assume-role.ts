import { cachedProvider } from './cache';
import type { CredentialProvider, CredentialsInput } from './credentials';
import { stsCredentials, stsTransport, type StsOptions } from './sts';

export type { StsOptions };

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

/**
 * Temporary credentials of a CAM role, from STS AssumeRole signed with `source`; cached and
 * refreshed before they expire (one refresh for any number of callers, failures not cached).
 */
export function fromAssumeRole(options: FromAssumeRoleOptions): CredentialProvider {
  const name = `assume-role(${options.roleArn})`;
  const sts = stsTransport(options, options.region ?? 'ap-guangzhou', options.source);
  const params: Record<string, unknown> = {
    RoleArn: options.roleArn,
    RoleSessionName: options.roleSessionName ?? 'x-credentials',
    DurationSeconds: options.durationSeconds ?? 7200,
  };
  // Stryker disable next-line ConditionalExpression: setting it to undefined is the same request: JSON leaves an undefined parameter out
  if (options.policy !== undefined) params['Policy'] = options.policy;
  // Stryker disable next-line ConditionalExpression: setting it to undefined is the same request: JSON leaves an undefined parameter out
  if (options.externalId !== undefined) params['ExternalId'] = options.externalId;
  return cachedProvider(() => stsCredentials(sts, 'AssumeRole', params, name), options);
}
