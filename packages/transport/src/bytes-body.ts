import { UsageError } from '@x/errors';
import type { BuildRequestInput, HttpMethod } from './build-request';
import { bytesOf, encodeMultipart, OCTET_STREAM_CONTENT_TYPE } from './multipart';

// Only the request bodies that are bytes: imported by nothing a plain JSON call runs, so that
// bundlers keep it and the multipart encoder out of the chunks a page loads first. It imports no
// file of this package that such a call needs: bundlers assign whole files to chunks, and a
// shared one would bring this chunk along.

/**
 * The body and Content-Type of a multipart or raw (octet-stream) request, at most `maxBytes`
 * (the API's POST limit). buildRequest imports it; prepareRequest loads it by import() at the
 * first call with such a body (a separate chunk in browser bundles, with the multipart encoder).
 */
export function bytesBody(
  input: BuildRequestInput,
  method: HttpMethod,
  maxBytes: number,
): { body: Uint8Array<ArrayBuffer>; contentType: string } {
  const kind = input.body !== undefined ? 'a raw body' : 'a multipart request';
  if (method !== 'POST') throw new UsageError(`${kind} is sent with POST, not ${method}`, { argument: 'method' });
  if (input.body === undefined) {
    if (input.multipart !== true)
      throw new UsageError(`must be true or false, got ${JSON.stringify(input.multipart)}`, { argument: 'multipart' });
    const multipart = encodeMultipart(input.params, { boundary: input.boundary, maxBytes });
    return { body: multipart.body, contentType: multipart.contentType };
  }
  if (input.multipart)
    throw new UsageError(
      'cannot be combined with multipart: send the bytes as a param of the multipart request instead',
      { argument: 'body' },
    );
  const body = bytesOf(input.body);
  if (body === undefined)
    throw new UsageError(`must be a Uint8Array, got ${input.body === null ? 'null' : typeof input.body}`, {
      argument: 'body',
    });
  const params = input.params;
  if (
    params !== undefined &&
    params !== null &&
    (typeof params !== 'object' || Object.values(params).some((value) => value !== undefined))
  ) {
    throw new UsageError('must be empty when a raw body is sent: the body is the whole request', {
      argument: 'params',
    });
  }
  if (body.byteLength > maxBytes) {
    throw new UsageError(`is ${body.byteLength} bytes; the API accepts at most ${maxBytes} (10 MB)`, {
      argument: 'body',
    });
  }
  return { body, contentType: OCTET_STREAM_CONTENT_TYPE };
}
