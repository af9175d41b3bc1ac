import type { HashPrimitives } from './crypto';
import { makeSignTc3, type SignTc3 } from './tc3';
import { makeSignV1, type SignV1 } from './v1';

export { toBase64, toHex, type HashPrimitives } from './crypto';
export { UNSIGNED_PAYLOAD, makeSignTc3, utcDate, type SignTc3, type Tc3Signature, type Tc3SignInput } from './tc3';
export { v1StringToSign, type SignV1, type V1SignInput } from './v1';

/** The signing functions of one set of hash primitives. */
export interface Signing {
  readonly primitives: HashPrimitives;
  /** Signs a request with TC3-HMAC-SHA256; see {@link Tc3SignInput}. */
  readonly signTc3: SignTc3;
  /** Signs a form-encoded request with the legacy v1 method; resolves to the base64 signature. */
  readonly signV1: SignV1;
  /** Hex SHA-256 of text (UTF-8) or bytes. */
  readonly sha256Hex: (data: string | Uint8Array) => Promise<string>;
  /** HMAC-SHA256 of text with a key. */
  readonly hmacSha256: (key: string | Uint8Array, data: string) => Promise<Uint8Array>;
}

export function makeSigning(primitives: HashPrimitives): Signing {
  return {
    primitives,
    signTc3: makeSignTc3(primitives),
    signV1: makeSignV1(primitives),
    sha256Hex: async (data) => primitives.sha256Hex(data),
    hmacSha256: async (key, data) => primitives.hmac('SHA-256', key, data),
  };
}
