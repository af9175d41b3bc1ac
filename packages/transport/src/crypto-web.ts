import { toHex, utf8, type HashPrimitives } from './crypto';

// `BufferSource` typing differs across lib versions; the cast keeps both happy.
type Source = Parameters<SubtleCrypto['digest']>[1];

/** WebCrypto: available in browsers, Workers, Deno, Bun and Node. Always asynchronous. */
export const webCrypto: HashPrimitives = {
  async sha256Hex(data) {
    const bytes = typeof data === 'string' ? utf8(data) : data;
    return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Source)));
  },
  async hmac(algorithm, key, data) {
    const raw = typeof key === 'string' ? utf8(key) : key;
    const cryptoKey = await crypto.subtle.importKey('raw', raw as Source, { name: 'HMAC', hash: algorithm }, false, ['sign']);
    return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, utf8(data) as Source));
  },
};
