import { signTc3, signV1, utcDate } from '@x/transport/sign';

/** Why a request's credentials were refused: an AuthFailure.* code and its message. */
export interface AuthRefusal {
  readonly code: string;
  readonly message: string;
}

export interface KnownSecret {
  readonly secretKey: string;
  /** The session token that must come with it (temporary credentials). */
  readonly token?: string | undefined;
  /** Ms since the epoch after which it is refused. */
  readonly expiresAt?: number | undefined;
}

export interface Tc3Parts {
  readonly secretId: string;
  readonly date: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

const AUTH = new RegExp(
  '^TC3-HMAC-SHA256 Credential=([^/\\s]+)/(\\d{4}-\\d{2}-\\d{2})/([a-z0-9-]+)/tc3_request,' +
    '\\s*SignedHeaders=([a-z0-9;-]+),\\s*Signature=([0-9a-f]{64})$',
);

/** The parts of a TC3 Authorization header, or undefined when it is not one. */
export function parseTc3Authorization(header: string): Tc3Parts | undefined {
  const m = AUTH.exec(header.trim());
  if (!m) return undefined;
  return { secretId: m[1]!, date: m[2]!, service: m[3]!, signedHeaders: m[4]!.split(';'), signature: m[5]! };
}

/** Constant-time comparison of two hex strings. */
export function sameSignature(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  // Stryker disable next-line EqualityOperator: one step past the end XORs NaN with NaN, which is 0: no change to diff
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export interface Tc3Request {
  readonly method: 'GET' | 'POST';
  readonly query: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Uint8Array;
  readonly parts: Tc3Parts;
  readonly secretKey: string;
}

/**
 * Recomputes a TC3 signature with exactly the headers the client claims to have signed. The host
 * is tried as sent and without its port: the official Node SDK signs the bare host name but sends
 * the port in the Host header.
 */
export async function tc3Matches(req: Tc3Request): Promise<boolean> {
  const header = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v.join(',') : (v ?? '');
  };
  const timestamp = Number(header('x-tc-timestamp'));
  if (!Number.isInteger(timestamp) || utcDate(timestamp) !== req.parts.date) return false;
  const extra: Record<string, string> = {};
  for (const name of req.parts.signedHeaders)
    if (name !== 'content-type' && name !== 'host') extra[name] = header(name);
  const host = header('host');
  const hosts = host.includes(':') ? [host, host.slice(0, host.lastIndexOf(':'))] : [host];
  for (const candidate of hosts) {
    const { signature } = await signTc3({
      method: req.method,
      host: candidate,
      query: req.query,
      contentType: header('content-type'),
      payload: req.body,
      headers: extra,
      service: req.parts.service,
      timestamp,
      secretId: req.parts.secretId,
      secretKey: req.secretKey,
      unsignedPayload: header('x-tc-content-sha256') === 'UNSIGNED-PAYLOAD',
    });
    if (sameSignature(signature, req.parts.signature)) return true;
  }
  return false;
}

/** Checks a v1 signature over the request's params (the `Signature` param itself excluded). */
export async function v1Matches(
  method: 'GET' | 'POST',
  host: string,
  params: Readonly<Record<string, string>>,
  secretKey: string,
): Promise<boolean> {
  const algorithm = params['SignatureMethod'] === 'HmacSHA256' ? 'HmacSHA256' : 'HmacSHA1';
  const hosts = host.includes(':') ? [host, host.slice(0, host.lastIndexOf(':'))] : [host];
  for (const candidate of hosts) {
    const expected = await signV1({ method, host: candidate, path: '/', params, secretKey, algorithm });
    // Stryker disable next-line StringLiteral: no fallback string equals a base64 HMAC, so a missing Signature fails either way
    if (sameSignature(expected, params['Signature'] ?? '')) return true;
  }
  return false;
}
