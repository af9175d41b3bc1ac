import { CredentialsError, excerpt, isSecretName, isTencentCloudError, redactText } from '@x/errors';
import { cachedProvider, type CacheOptions } from './cache';
import { makeCredentials, type CredentialProvider, type Credentials } from './credentials';

/** The CVM instance metadata service, reachable only from a CVM instance. */
export const DEFAULT_METADATA_URL = 'http://metadata.tencentyun.com/latest/meta-data/';

/** Options of {@link fromInstanceMetadata}. */
export interface FromInstanceMetadataOptions extends CacheOptions {
  /** Base URL of the metadata service; point it at a local server in tests. */
  readonly baseUrl?: string;
  /** The CAM role name; default: asked from the metadata service. */
  readonly roleName?: string;
  /** Per-request timeout. Default 1000 ms: off a CVM the service is unreachable, fail fast. */
  readonly timeoutMs?: number;
  /** The fetch to use. Default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
}

interface MetadataCredentials {
  readonly TmpSecretId?: unknown;
  readonly TmpSecretKey?: unknown;
  readonly Token?: unknown;
  readonly ExpiredTime?: unknown;
  readonly Code?: unknown;
}

/**
 * Temporary credentials of the CAM role bound to this CVM instance, from the instance metadata
 * service; cached and refreshed before they expire (see {@link cachedProvider}).
 */
export function fromInstanceMetadata(options: FromInstanceMetadataOptions = {}): CredentialProvider {
  const base = (options.baseUrl ?? DEFAULT_METADATA_URL).replace(/\/?$/, '/');
  const timeoutMs = options.timeoutMs ?? 1000;

  const get = async (path: string): Promise<string> => {
    const doFetch = options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
      throw fail(
        timedOut ? `${base} did not answer within ${timeoutMs} ms` : `${base} is unreachable (${describe(err)})`,
        err,
      );
    }
    const text = await response.text().catch((err: unknown) => {
      throw fail(`reading ${base}${path} failed (${describe(err)})`, err);
    });
    if (response.status === 404) throw fail(`no CAM role is bound to this instance (${path} answered 404)`);
    if (!response.ok) throw fail(`${base}${path} answered HTTP ${response.status}`);
    return text;
  };

  const fetchOnce: CredentialProvider = async () => {
    // Stryker disable next-line OptionalChaining: split() always gives a first element
    const role = options.roleName ?? (await get('cam/security-credentials/')).split('\n')[0]?.trim();
    if (!role) throw fail('the metadata service named no CAM role');
    return credentialsFromAnswer(await get(`cam/security-credentials/${encodeURIComponent(role)}`), role);
  };
  return cachedProvider(fetchOnce, options);
}

const fail = (reason: string, cause?: unknown) =>
  new CredentialsError({
    detail: `No credentials from the instance metadata service: ${reason}`,
    tried: [{ provider: 'instance-metadata', reason }],
    cause,
  });

/** The role's credentials out of the metadata service's answer, every field checked. */
function credentialsFromAnswer(body: string, role: string): Credentials {
  let parsed: MetadataCredentials;
  try {
    parsed = JSON.parse(body) as MetadataCredentials;
  } catch {
    // Not kept as cause: V8's SyntaxError quotes the text around the fault, which may be the key.
    throw fail(
      `the credentials of role ${role} are not JSON (the answer starts: ${JSON.stringify(excerpt(body, 80))})`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw fail(`the credentials of role ${role} are not an object`);
  if (parsed.Code !== undefined && parsed.Code !== 'Success')
    throw fail(`the metadata service answered ${describeCode(parsed as Readonly<Record<string, unknown>>)}`);
  const { TmpSecretId, TmpSecretKey, Token, ExpiredTime } = parsed;
  if (
    typeof TmpSecretId !== 'string' ||
    typeof TmpSecretKey !== 'string' ||
    typeof Token !== 'string' ||
    typeof ExpiredTime !== 'number'
  ) {
    throw fail(`the credentials of role ${role} lack TmpSecretId, TmpSecretKey, Token or ExpiredTime`);
  }
  try {
    return makeCredentials({
      secretId: TmpSecretId,
      secretKey: TmpSecretKey,
      token: Token,
      expiresAt: ExpiredTime * 1000,
    });
  } catch (err) {
    throw fail(`the credentials of role ${role} are invalid: ${describe(err)}`, err);
  }
}

function describe(err: unknown): string {
  if (isTencentCloudError(err)) return err.message;
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message;
  }
  return String(err);
}

/**
 * `Code X` for a failure answer, naming the code only when it looks like one (a short word) and
 * is not the value of one of the answer's secret fields: the answer holds the temporary key.
 */
function describeCode(answer: Readonly<Record<string, unknown>>): string {
  const code = answer['Code'];
  const secrets = Object.entries(answer)
    .filter(([key, value]) => isSecretName(key) && typeof value === 'string')
    .map(([, value]) => value as string);
  if (typeof code !== 'string' || !/^[A-Za-z][\w.-]{0,39}$/.test(code) || redactText(code, secrets) !== code) {
    return 'a Code other than Success';
  }
  return `Code ${code}`;
}
