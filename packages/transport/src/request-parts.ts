// What prepareRequest (build-request.ts) loads by import() for the requests that need more than
// JSON.stringify: multipart and raw bodies, and the checked writer. One module, so that bundlers
// make one chunk of them: a bundler that keeps every chunk up front (esbuild keeps the files a
// package's index re-exports) pays for one more file instead of two.
export { bytesBody } from './bytes-body';
export { encodeRfc3986, flattenParams, serializeParams } from './serialize';
