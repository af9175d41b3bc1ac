import { CredentialsError, isTencentCloudError } from '@x/errors';
import { createTransport, type Sender, type Transport } from '@x/transport';
import type { CacheOptions } from './cache';
import { makeCredentials, toProvider, type Credentials, type CredentialsInput } from './credentials';

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

interface StsCredentialsResponse {
  readonly Credentials?: { readonly TmpSecretId?: unknown; readonly TmpSecretKey?: unknown; readonly Token?: unknown };
  readonly ExpiredTime?: unknown;
}

/**
 * The STS transport of a provider: signed with `source`, or unsigned (`'skip'`: the web identity
 * token is the proof). Its calls change nothing, so repeating one after a timeout is safe.
 */
export function stsTransport(options: StsOptions, region: string, source: CredentialsInput | 'skip'): Transport {
  return createTransport({
    service: 'sts',
    version: '2018-08-13',
    region,
    endpoint: options.endpoint,
    fetch: options.fetch,
    sender: options.sender,
    timeoutMs: options.timeoutMs ?? 10_000,
    idempotent: () => true,
    ...(source === 'skip' ? { auth: 'skip' as const } : { credentials: toProvider(source) }),
  });
}

/** Calls an STS action that issues temporary credentials; any failure is a CredentialsError naming the provider (the cause keeps its RequestId). */
export async function stsCredentials(
  sts: Transport,
  action: string,
  params: Readonly<Record<string, unknown>>,
  provider: string,
): Promise<Credentials> {
  try {
    const { data } = await sts.call<StsCredentialsResponse>(action, params);
    return credentialsOf(data, provider);
  } catch (err) {
    if (err instanceof CredentialsError) throw err;
    const reason = isTencentCloudError(err) || err instanceof Error ? err.message : String(err);
    throw new CredentialsError({ detail: `${provider} failed: ${reason}`, tried: [{ provider, reason }], cause: err });
  }
}

/** Turns an STS answer into credentials, or says what was missing. */
function credentialsOf(data: StsCredentialsResponse, provider: string): Credentials {
  const c = data.Credentials;
  if (
    typeof c?.TmpSecretId !== 'string' ||
    typeof c.TmpSecretKey !== 'string' ||
    typeof c.Token !== 'string' ||
    typeof data.ExpiredTime !== 'number'
  ) {
    throw new CredentialsError({
      detail: `${provider}: STS answered without Credentials.TmpSecretId/TmpSecretKey/Token and ExpiredTime`,
      tried: [{ provider, reason: 'incomplete STS answer' }],
    });
  }
  return makeCredentials({
    secretId: c.TmpSecretId,
    secretKey: c.TmpSecretKey,
    token: c.Token,
    expiresAt: data.ExpiredTime * 1000,
  });
}
