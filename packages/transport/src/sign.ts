// `@x/transport/sign`: signing alone, with no sender, for verifiers such as @x/emulator.
// Universal build (WebCrypto); sign.node.ts is the node:crypto twin chosen by the "node" condition.
import { webCrypto } from './crypto-web';
import { makeSigning } from './signing';

export * from './signing';
export const { primitives, signTc3, signV1, sha256Hex, hmacSha256 } = makeSigning(webCrypto);
