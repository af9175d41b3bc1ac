// Universal entry: WebCrypto signing and the fetch sender (browsers, Workers, Deno, Bun).
import { webCrypto } from './crypto-web';
import { fetchSender } from './fetch-sender';
import { makeSignRequest } from './sign-request';
import { checkedSignTc3, makeTc3Signer } from './tc3';
import { makeCreateTransport } from './transport';

export * from './common';
// One signer (one cache of derived keys): unchecked for the transport's own requests, checked for users'.
const signTc3 = /* @__PURE__ */ makeTc3Signer(webCrypto);
/**
 * Signs a request made by `buildRequest` with TC3-HMAC-SHA256: the same request with its
 * `Authorization` (and, for temporary keys, `X-TC-Token`) header set.
 */
export const signRequest = /* @__PURE__ */ makeSignRequest(/* @__PURE__ */ checkedSignTc3(signTc3));
/** Creates a transport: builds, signs, sends, times out and retries API 3.0 calls. */
export const createTransport = /* @__PURE__ */ makeCreateTransport({
  signTc3,
  defaultSender: (options) => fetchSender(options.fetch),
});
