// Node entry (the "node" exports condition): node:crypto signing and the keep-alive HTTP/1.1 fast path (node:net / node:tls).
import { nodeCrypto } from './crypto-node';
import { fetchSender } from './fetch-sender';
import { nodeSender } from './node-sender';
import { makeSignRequest } from './sign-request';
import { checkedSignTc3, makeTc3Signer } from './tc3';
import { makeCreateTransport } from './transport';

export * from './common';
export { nodeSender, type ClosableSender, type NodeSenderOptions } from './node-sender';
export { proxyFor, type ProxyEnvironment } from './proxy';
// One signer (one cache of derived keys): unchecked for the transport's own requests, checked for users'.
const signTc3 = makeTc3Signer(nodeCrypto);
/**
 * Signs a request made by `buildRequest` with TC3-HMAC-SHA256: the same request with its
 * `Authorization` (and, for temporary keys, `X-TC-Token`) header set.
 */
export const signRequest = makeSignRequest(checkedSignTc3(signTc3));
/** Creates a transport: builds, signs, sends, times out and retries API 3.0 calls. */
export const createTransport = makeCreateTransport({
  signTc3,
  // A user's fetch wins (proxies, test doubles); otherwise the keep-alive Node sender.
  defaultSender: (options) => (options.fetch ? fetchSender(options.fetch) : nodeSender()),
});
