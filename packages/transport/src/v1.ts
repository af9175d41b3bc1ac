import { UsageError } from '@x/errors';
import { toBase64, type HashPrimitives } from './crypto';

/** What the legacy v1 signature (HmacSHA1 / HmacSHA256, form-encoded requests) signs. */
export interface V1SignInput {
  readonly method: 'GET' | 'POST';
  readonly host: string;
  /** Default `/`. */
  readonly path?: string;
  /** Every parameter, common ones included (Action, Nonce, SecretId, Timestamp, ...); `Signature` is ignored. */
  readonly params: Readonly<Record<string, string>>;
  readonly secretKey: string;
  /** Default `HmacSHA1`, or what `params.SignatureMethod` says. */
  readonly algorithm?: 'HmacSHA1' | 'HmacSHA256';
}

export type SignV1 = (input: V1SignInput) => Promise<string>;

/** The v1 string to sign: `METHOD host path ? k=v&...`, names sorted, values NOT encoded. */
export function v1StringToSign(input: Omit<V1SignInput, 'secretKey' | 'algorithm'>): string {
  const joined = Object.keys(input.params)
    .filter((name) => name !== 'Signature')
    .sort()
    .map((name) => `${name}=${input.params[name]}`)
    .join('&');
  return `${input.method}${input.host}${input.path ?? '/'}?${joined}`;
}

/** Makes `signV1` on the given primitives: resolves to the base64 signature. */
export function makeSignV1(primitives: HashPrimitives): SignV1 {
  return async function signV1(input: V1SignInput): Promise<string> {
    const method = input.algorithm ?? input.params['SignatureMethod'] ?? 'HmacSHA1';
    if (method !== 'HmacSHA1' && method !== 'HmacSHA256') {
      throw new UsageError(`must be HmacSHA1 or HmacSHA256, got ${JSON.stringify(method)}`, { argument: 'algorithm' });
    }
    if (typeof input.secretKey !== 'string' || input.secretKey === '') {
      throw new UsageError('must be a non-empty string', { argument: 'secretKey' });
    }
    const mac = await primitives.hmac(
      method === 'HmacSHA1' ? 'SHA-1' : 'SHA-256',
      input.secretKey,
      v1StringToSign(input),
    );
    return toBase64(mac);
  };
}
