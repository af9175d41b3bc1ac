import { UsageError } from '@x/errors';
import { toHex, type HashPrimitives } from './crypto';

/** What TC3-HMAC-SHA256 signs. */
export interface Tc3SignInput {
  readonly method: 'GET' | 'POST';
  /** The Host header value (with `:port` when the endpoint has a non-default port). */
  readonly host: string;
  /** Always `/` for API 3.0. */
  readonly path?: string;
  /** The canonical query string: the query as sent for GET, `''` for POST. */
  readonly query?: string;
  /** The Content-Type header exactly as sent, charset included. */
  readonly contentType: string;
  /** The body (empty for GET). Hashed unless `unsignedPayload`. */
  readonly payload: string | Uint8Array;
  /** More headers to sign, e.g. `{ 'X-TC-Action': 'DescribeInstances' }`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** The signing service: always the API's service name, never derived from the host. */
  readonly service: string;
  /** Unix time in whole seconds. */
  readonly timestamp: number;
  readonly secretId: string;
  readonly secretKey: string;
  /** Sign the literal `UNSIGNED-PAYLOAD` instead of the body (send `X-TC-Content-SHA256: UNSIGNED-PAYLOAD`). */
  readonly unsignedPayload?: boolean | undefined;
}

export interface Tc3Signature {
  /** The whole Authorization header value. */
  readonly authorization: string;
  readonly signature: string;
  /** `<date>/<service>/tc3_request`. */
  readonly credentialScope: string;
  /** e.g. `content-type;host;x-tc-action`. */
  readonly signedHeaders: string;
  /** For debugging a signature mismatch; contains no secret. */
  readonly canonicalRequest: string;
  readonly stringToSign: string;
}

export type SignTc3 = (input: Tc3SignInput) => Promise<Tc3Signature>;

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** `YYYY-MM-DD` in UTC of a unix timestamp (seconds). */
export function utcDate(timestamp: number): string {
  const day = Math.floor(timestamp / 86400);
  if (day !== lastDay) {
    lastDay = day;
    lastDate = new Date(day * 86_400_000).toISOString().slice(0, 10);
  }
  return lastDate;
}
// Every request of a day signs the same date: formatting it once a day saves a Date per call.
let lastDay = Number.NaN;
let lastDate = '';

const MAX_CACHED_KEYS = 64;

/**
 * Makes the exported `signTc3` on the given primitives: {@link makeTc3Signer} that first refuses
 * an input it cannot sign (a timestamp that is not whole seconds, an empty host, service, key or
 * Content-Type) with a UsageError naming the field.
 */
export function makeSignTc3(primitives: HashPrimitives): SignTc3 {
  return checkedSignTc3(makeTc3Signer(primitives));
}

/** `sign` that first checks its input (see makeSignTc3): for inputs a user gives. */
export function checkedSignTc3(sign: SignTc3): SignTc3 {
  return async function signTc3(input) {
    checkSignInput(input);
    return sign(input);
  };
}

/**
 * TC3-HMAC-SHA256 on the given primitives, without checking its input: the transport signs with
 * it the requests it built itself, whose timestamp, host, service and Content-Type it made and
 * whose keys it checked when the credentials were found (so bundles without the exported
 * `signTc3` or `signRequest` leave the checks out). Derived signing keys change only with the
 * date, the service and the secret, so they are cached (bounded, in this closure, never
 * serialised).
 */
export function makeTc3Signer(primitives: HashPrimitives): SignTc3 {
  const keys = new Map<string, Uint8Array>();

  const signingKey = async (secretKey: string, date: string, service: string): Promise<Uint8Array> => {
    const cacheKey = `${date}\n${service}\n${secretKey}`;
    const hit = keys.get(cacheKey);
    if (hit !== undefined) return hit;
    const secretDate = await primitives.hmac('SHA-256', `TC3${secretKey}`, date);
    const secretService = await primitives.hmac('SHA-256', secretDate, service);
    const secretSigning = await primitives.hmac('SHA-256', secretService, 'tc3_request');
    if (keys.size >= MAX_CACHED_KEYS) keys.delete(keys.keys().next().value as string);
    keys.set(cacheKey, secretSigning);
    return secretSigning;
  };

  return async function signTc3(input: Tc3SignInput): Promise<Tc3Signature> {
    const { canonicalHeaders, signedHeaders } = canonicalHeaderLines(input);
    const payloadHash = await primitives.sha256Hex(input.unsignedPayload ? UNSIGNED_PAYLOAD : input.payload);
    const canonicalRequest = [
      input.method,
      input.path ?? '/',
      input.query ?? '',
      canonicalHeaders,
      signedHeaders,
      payloadHash,
    ].join('\n');
    const date = utcDate(input.timestamp);
    const credentialScope = `${date}/${input.service}/tc3_request`;
    const stringToSign = [
      'TC3-HMAC-SHA256',
      String(input.timestamp),
      credentialScope,
      await primitives.sha256Hex(canonicalRequest),
    ].join('\n');
    const key = await signingKey(input.secretKey, date, input.service);
    const signature = toHex(await primitives.hmac('SHA-256', key, stringToSign));
    return {
      authorization: `TC3-HMAC-SHA256 Credential=${input.secretId}/${credentialScope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
      signature,
      credentialScope,
      signedHeaders,
      canonicalRequest,
      stringToSign,
    };
  };
}

/**
 * Whole unix seconds that TC3 can sign: from 1970 to the end of the year 9999, whose dates are
 * `YYYY-MM-DD` (the credential scope's date; a later year is written `+010000-01-01` by a Date).
 */
export function isUnixSeconds(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 253_402_300_799;
}

function checkSignInput(input: Tc3SignInput): void {
  if (!isUnixSeconds(input.timestamp)) {
    throw new UsageError(`must be whole unix seconds, got ${String(input.timestamp)}`, { argument: 'timestamp' });
  }
  for (const name of ['host', 'service', 'secretId', 'secretKey', 'contentType'] as const) {
    if (typeof input[name] !== 'string' || input[name] === '') {
      throw new UsageError('must be a non-empty string', { argument: name });
    }
  }
}

/** The canonical header lines and the signed header names, sorted (the server sorts them too). */
function canonicalHeaderLines(input: Tc3SignInput): { canonicalHeaders: string; signedHeaders: string } {
  const lines = new Map<string, string>([
    ['content-type', input.contentType.trim().toLowerCase()],
    ['host', input.host.trim().toLowerCase()],
  ]);
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    lines.set(name.trim().toLowerCase(), String(value).trim().toLowerCase());
  }
  const names = [...lines.keys()].sort();
  return {
    canonicalHeaders: names.map((name) => `${name}:${lines.get(name)}\n`).join(''),
    signedHeaders: names.join(';'),
  };
}
