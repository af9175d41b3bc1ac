// `@x/transport/sign` under the "node" condition: the same API on node:crypto.
import { nodeCrypto } from './crypto-node';
import { makeSigning } from './signing';

export * from './signing';
export const { primitives, signTc3, signV1, sha256Hex, hmacSha256 } = makeSigning(nodeCrypto);
