import { UsageError, redactHeaders } from '@x/errors';
import type { BuiltRequest } from './build-request';
import type { CredentialsLike } from './options';
import { UNSIGNED_PAYLOAD, type SignTc3 } from './tc3';

/**
 * A built request with its `Authorization` (and, for temporary keys, `X-TC-Token`) header set.
 * Its headers print redacted (JSON.stringify, util.inspect) and send as they are.
 */
export type SignedRequest = BuiltRequest;

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * Headers that print redacted. The two hooks live on the prototype: fetch (undici converts every
 * own key, symbols and non-enumerable ones included) and for...in senders see the headers alone.
 */
class RedactedPrint {
  toJSON(): Record<string, unknown> {
    return redactHeaders(this as unknown as Record<string, string>);
  }

  [INSPECT](): Record<string, unknown> {
    return this.toJSON();
  }
}

/** Signs a built request with TC3-HMAC-SHA256: request in, signed request out. */
export type SignRequest = (request: BuiltRequest, credentials: CredentialsLike) => Promise<SignedRequest>;

/** The headers of a signed request, from the built request's: a copy to add the signature to. */
export type HeadersCopy = (headers: Readonly<Record<string, string>>) => Record<string, string>;

/** A plain copy: for the transport's own requests, which only its sender sees. Not a spread: see withField in decode.ts. */
export const plainHeaders: HeadersCopy = (headers) => Object.assign({}, headers);

/** A copy that prints redacted (JSON.stringify, util.inspect): for requests handed to users. */
const printRedacted: HeadersCopy = (headers) =>
  Object.assign(new RedactedPrint() as unknown as Record<string, string>, headers);

/**
 * Makes the exported `signRequest` on a (checking) signer: it refuses credentials that are not an
 * object and a request that buildRequest did not make, and its headers print redacted (see makeSigner).
 */
export function makeSignRequest(signTc3: SignTc3): SignRequest {
  const sign = makeSigner(signTc3, printRedacted);
  return async function signRequest(request, credentials) {
    if (typeof credentials !== 'object' || credentials === null)
      throw new UsageError('must be { secretId, secretKey, token? }', { argument: 'credentials' });
    if (request.headers['X-TC-Action'] === undefined)
      throw new UsageError('must be a request made by buildRequest (it has no X-TC-Action header)', {
        argument: 'request',
      });
    return sign(request, credentials);
  };
}

/**
 * `signRequest` with the headers made by `copy`, without its checks: the transport signs with it
 * the requests it built, with credentials it checked. Everything signed comes from the request itself:
 * the timestamp and action from its `X-TC-*` headers, the signing service from its endpoint,
 * `UNSIGNED-PAYLOAD` from `X-TC-Content-SHA256`; the session token of temporary credentials is
 * set as `X-TC-Token`. The transport uses plainHeaders (its requests never leave it), so a bundle
 * without the exported `signRequest` has no print guard, nor the redaction code of @x/errors.
 */
export function makeSigner(signTc3: SignTc3, copy: HeadersCopy): SignRequest {
  return async function signRequest(request, credentials) {
    const { headers } = request;
    const signed = await signTc3({
      method: request.method,
      host: request.host,
      query: request.query,
      contentType: request.contentType,
      payload: request.body,
      headers: { 'X-TC-Action': headers['X-TC-Action']! },
      service: request.service,
      timestamp: Number(headers['X-TC-Timestamp']),
      secretId: credentials.secretId,
      secretKey: credentials.secretKey,
      unsignedPayload: headers['X-TC-Content-SHA256'] === UNSIGNED_PAYLOAD,
    });
    const out = copy(headers);
    out['Authorization'] = signed.authorization;
    if (credentials.token !== undefined && credentials.token !== '') out['X-TC-Token'] = credentials.token;
    return Object.assign({}, request, { headers: out });
  };
}
