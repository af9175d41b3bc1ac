// Universal entry: WebCrypto signing and the fetch sender (browsers, Workers, Deno, Bun).
import { webCrypto } from './crypto-web';
import { fetchSender } from './fetch-sender';
import { makeSignTc3 } from './tc3';
import { makeCreateTransport } from './transport';

export * from './common';
/** Creates a transport: builds, signs, sends, times out and retries API 3.0 calls. */
export const createTransport = makeCreateTransport({
  signTc3: makeSignTc3(webCrypto),
  defaultSender: (options) => fetchSender(options.fetch),
});
