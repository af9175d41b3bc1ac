import { TencentCloudError, type ErrorJson, type TencentCloudErrorOptions } from './tencent-cloud-error';

/** One credential source that was asked and why it gave nothing. */
export interface CredentialAttempt {
  /** The provider's name, e.g. `env`, `profile(~/.tencentcloud/credentials)`, `instance-metadata`. */
  readonly provider: string;
  /** Why it gave no credentials, in words (never a secret). */
  readonly reason: string;
}

export interface CredentialsErrorOptions extends TencentCloudErrorOptions {
  /** What went wrong overall. */
  readonly detail: string;
  /** Every source tried, in order (a chain lists all of them; a single provider lists itself). */
  readonly tried?: readonly CredentialAttempt[];
}

/**
 * No usable credentials: a source is missing, malformed, or failed to refresh. The message lists
 * every source that was tried and why each gave nothing, so one error tells the whole story.
 * It never contains a key or token.
 */
export class CredentialsError extends TencentCloudError {
  static readonly errorKind = 'credentials';
  override readonly name = 'CredentialsError';
  readonly kind = 'credentials' as const;
  readonly tried: readonly CredentialAttempt[];

  constructor(options: CredentialsErrorOptions) {
    super('credentials', '', options);
    this.tried = options.tried ?? [];
    const list = this.tried.map((t) => `\n  - ${t.provider}: ${t.reason}`).join('');
    this.message = `${options.detail}${list}`;
  }

  protected details(): ErrorJson {
    return { tried: this.tried.map((t) => `${t.provider}: ${t.reason}`).join('; ') };
  }
}
