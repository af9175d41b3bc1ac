import { createHash, createHmac } from 'node:crypto';
import type { HashPrimitives } from './crypto';

/** node:crypto: synchronous, no key import step; the fast path on Node. */
export const nodeCrypto: HashPrimitives = {
  sha256Hex(data) {
    return createHash('sha256').update(data).digest('hex');
  },
  hmac(algorithm, key, data) {
    const digest = createHmac(algorithm === 'SHA-256' ? 'sha256' : 'sha1', key)
      .update(data, 'utf8')
      .digest();
    return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength);
  },
};
