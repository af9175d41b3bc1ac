import type { HashPrimitives } from './crypto';
import { nodeCrypto as load } from './node-builtins';

/** node:crypto: synchronous, no key import step; the fast path on Node. */
export const nodeCrypto: HashPrimitives = {
  sha256Hex(data) {
    return load().createHash('sha256').update(data).digest('hex');
  },
  hmac(algorithm, key, data) {
    const digest = load()
      .createHmac(algorithm === 'SHA-256' ? 'sha256' : 'sha1', key)
      // Stryker disable next-line StringLiteral: an empty encoding is utf8 too; 'utf8' says what the hash is over
      .update(data, 'utf8')
      .digest();
    return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
  },
};
