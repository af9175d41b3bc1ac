// Universal entry: WebCrypto signing and the fetch sender (browsers, Workers, Deno, Bun).
import { webCrypto } from './crypto-web';
import { fetchSender } from './fetch-sender';
import { makeSignRequest } from './sign-request';
import { makeSignTc3 } from './tc3';
import { makeCreateTransport } from './transport';

export * from './common';
const signTc3 = /* @__PURE__ */ makeSignTc3(webCrypto);
/**
 * Signs a request made by `buildRequest` with TC3-HMAC-SHA256: the same request with its
 * `Authorization` (and, for temporary keys, `X-TC-Token`) header set.
 */
export const signRequest = /* @__PURE__ */ makeSignRequest(signTc3);
/** Creates a transport: builds, signs, sends, times out and retries API 3.0 calls. */
export const createTransport = /* @__PURE__ */ makeCreateTransport({
  signTc3,
  defaultSender: (options) => fetchSender(options.fetch),
});
