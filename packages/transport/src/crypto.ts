/**
 * The hash primitives signing needs. Two implementations: WebCrypto (`crypto-web.ts`, every
 * runtime) and node:crypto (`crypto-node.ts`, picked by the "node" exports condition: it is
 * synchronous and several times faster for the small inputs of signing).
 */
export interface HashPrimitives {
  sha256Hex(data: string | Uint8Array): Promise<string> | string;
  hmac(algorithm: 'SHA-256' | 'SHA-1', key: string | Uint8Array, data: string): Promise<Uint8Array> | Uint8Array;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += HEX[byte];
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

const encoder = new TextEncoder();
export const utf8 = (text: string): Uint8Array => encoder.encode(text);
