import { toHex, utf8, type HashPrimitives } from './crypto';

// `BufferSource` typing differs across lib versions; the cast keeps both happy.
type Source = Parameters<SubtleCrypto['digest']>[1];

// Importing a key is the slow part of a WebCrypto HMAC. The signer reuses the same derived-key
// bytes for every request of a day, so their imported keys are kept (weakly: a dropped key frees it).
const imported = new WeakMap<Uint8Array, Map<string, Promise<CryptoKey>>>();

function importHmacKey(key: string | Uint8Array, hash: 'SHA-256' | 'SHA-1'): Promise<CryptoKey> {
  const raw = typeof key === 'string' ? utf8(key) : key;
  // Stryker disable next-line BooleanLiteral: whether the key may be exported changes nothing about what it signs
  const load = () => crypto.subtle.importKey('raw', raw as Source, { name: 'HMAC', hash }, false, ['sign']);
  // Stryker disable next-line ConditionalExpression: the cache only saves an import; a key imported again signs the same
  if (typeof key === 'string') return load();
  let byHash = imported.get(key);
  // Stryker disable next-line ConditionalExpression: a fresh map per call only loses the cache, not a result
  if (byHash === undefined) imported.set(key, (byHash = new Map()));
  let pending = byHash.get(hash);
  // Stryker disable next-line ConditionalExpression: importing every time gives the same key, only slower
  if (pending === undefined) {
    pending = load();
    byHash.set(hash, pending);
    // Stryker disable next-line ArrowFunction: an import of these raw bytes fails the same way every time, cached or not
    pending.catch(() => byHash!.delete(hash));
  }
  return pending;
}

/** WebCrypto: available in browsers, Workers, Deno, Bun and Node. Always asynchronous. */
export const webCrypto: HashPrimitives = {
  async sha256Hex(data) {
    const bytes = typeof data === 'string' ? utf8(data) : data;
    return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Source)));
  },
  async hmac(algorithm, key, data) {
    const cryptoKey = await importHmacKey(key, algorithm);
    return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, utf8(data) as Source));
  },
};
