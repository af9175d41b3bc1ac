import { UsageError, type Locale } from '@x/errors';
import type { Endpoint } from './endpoint';
import { bytesBody } from './bytes-body';
import { plainParamsJson } from './plain-params';
import { encodeRfc3986, flattenParams, serializeParams } from './serialize';

declare const __X_TRANSPORT_VERSION__: string;
/** The `X-TC-RequestClient` header value: names this package and its version (injected at build time). */
const REQUEST_CLIENT = `x-transport/${typeof __X_TRANSPORT_VERSION__ === 'string' ? __X_TRANSPORT_VERSION__ : '0.0.0-dev'}`;

/** @deprecated The same type as `Locale` of @x/errors: use that. */
export type Language = Locale;
export type HttpMethod = 'POST' | 'GET';

/** The API's limits: 10 MB for a POST body (JSON, multipart or raw), 32 KB for a GET request. */
export const MAX_POST_BYTES = 10 * 1024 * 1024;
export const MAX_GET_BYTES = 32 * 1024;

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';

export interface BuildRequestInput {
  readonly endpoint: Endpoint;
  readonly action: string;
  readonly version: string;
  readonly params?: unknown;
  readonly region?: string | undefined;
  /** Language of the server's error messages (`X-TC-Language`). */
  readonly language?: Locale | undefined;
  /** Default POST (JSON). GET sends the params flattened in the query. */
  readonly method?: HttpMethod | undefined;
  /** Unix seconds. */
  readonly timestamp: number;
  /** Session token of temporary credentials (signRequest sets it from the credentials too). */
  readonly token?: string | undefined;
  /** Per-request id sent as X-TC-TraceId; default a random UUID. */
  readonly traceId?: string | undefined;
  /** Sign `UNSIGNED-PAYLOAD` instead of the body hash. */
  readonly unsignedPayload?: boolean | undefined;
  /** More headers (cannot replace the X-TC-* ones, Host, Content-Type or Authorization). */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** POST the params as multipart/form-data, one part per top-level param (see encodeMultipart). */
  readonly multipart?: boolean | undefined;
  /** The multipart boundary; default a random one. An input like the timestamp, for reproducible requests. */
  readonly boundary?: string | undefined;
  /** POST these bytes as `application/octet-stream` (no params). */
  readonly body?: Uint8Array | undefined;
}

/** An unsigned HTTP request, ready for signing. */
export interface BuiltRequest {
  readonly method: HttpMethod;
  /** Full URL, query included for GET. */
  readonly url: string;
  /** The Host header value that is signed. */
  readonly host: string;
  /** The signing service: the endpoint's `service`. */
  readonly service: string;
  /** The canonical query string (`''` for POST). */
  readonly query: string;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON text for a JSON POST, bytes for a multipart or raw POST (ArrayBuffer-backed: fetch takes them), `''` for GET. */
  readonly body: string | Uint8Array<ArrayBuffer>;
  readonly contentType: string;
}

const ACTION = /^[A-Z][A-Za-z0-9]*$/;
const VERSION = /^\d{4}-\d{2}-\d{2}$/;
const RESERVED = new Set(['authorization', 'host', 'content-type', 'content-length']);

const utf8Length = (text: string): number => new TextEncoder().encode(text).byteLength;

/**
 * Builds the HTTP request of an API call: a pure function of its input (the timestamp and trace
 * id are inputs). Refuses, before anything is sent, params that cannot be serialised, bodies over
 * the API's limits and unknown languages, each with a UsageError naming what was wrong.
 */
export function buildRequest(input: BuildRequestInput): BuiltRequest {
  return buildWith(input, { bytesBody, serialize: { serializeParams, flattenParams, encodeRfc3986 } })!;
}

/** The parts of buildRequest that only some requests need; prepareRequest loads them by import(). */
interface RequestParts {
  /** Multipart and raw bodies (bytes-body.ts, with the multipart encoder). */
  bytesBody?: typeof bytesBody;
  /** Params JSON.stringify cannot send as they are, and GET queries (the checked writer). */
  serialize?: {
    readonly serializeParams: typeof serializeParams;
    readonly flattenParams: typeof flattenParams;
    readonly encodeRfc3986: typeof encodeRfc3986;
  };
}
const loaded: RequestParts = {};

/**
 * buildRequest for the transport's attempts: the same request or the same UsageError, built at
 * once for a POST of plain JSON params. Any other request (a multipart or raw body, params that
 * are not plain JSON, a GET query) first loads the rest of buildRequest (request-parts.ts: the
 * multipart encoder and the checked writer) by import(): a separate chunk in browser bundles.
 */
export function prepareRequest(input: BuildRequestInput): BuiltRequest | Promise<BuiltRequest> {
  return buildWith(input, loaded) ?? loadParts().then(() => buildWith(input, loaded)!);
}

async function loadParts(): Promise<void> {
  const parts = await import('./request-parts');
  loaded.bytesBody = parts.bytesBody;
  loaded.serialize = parts;
}

/** The request, or undefined (before any check) when it needs a part that `parts` lacks. */
function buildWith(input: BuildRequestInput, parts: RequestParts): BuiltRequest | undefined {
  const bytesWanted = input.body !== undefined || input.multipart;
  const plainJson = bytesWanted || input.method === 'GET' ? undefined : plainParamsJson(input.params);
  if (bytesWanted ? parts.bytesBody === undefined : plainJson === undefined && parts.serialize === undefined)
    return undefined;
  checkNames(input);
  const method = input.method ?? 'POST';
  if (method !== 'POST' && method !== 'GET') {
    throw new UsageError(`must be "POST" or "GET" (API 3.0 accepts nothing else), got ${JSON.stringify(method)}`, {
      argument: 'method',
    });
  }
  const headers = callerHeaders(input.headers);
  let body: string | Uint8Array<ArrayBuffer> = '';
  let query = '';
  let contentType = method === 'POST' ? JSON_CONTENT_TYPE : FORM_CONTENT_TYPE;
  if (input.boundary !== undefined && !input.multipart)
    throw new UsageError('applies to multipart requests only', { argument: 'boundary' });
  if (bytesWanted) ({ body, contentType } = parts.bytesBody!(input, method, MAX_POST_BYTES));
  else if (method === 'POST') body = jsonBody(plainJson ?? parts.serialize!.serializeParams(input.params));
  else query = getQuery(parts.serialize!, input.params);
  Object.assign(headers, {
    'Content-Type': contentType,
    'X-TC-Action': input.action,
    'X-TC-Version': input.version,
    'X-TC-Timestamp': String(input.timestamp),
    'X-TC-RequestClient': REQUEST_CLIENT,
    'X-TC-TraceId': input.traceId ?? crypto.randomUUID(),
  });
  if (input.region !== undefined) headers['X-TC-Region'] = input.region;
  if (input.token !== undefined && input.token !== '') headers['X-TC-Token'] = input.token;
  if (input.language !== undefined) headers['X-TC-Language'] = input.language;
  if (input.unsignedPayload) headers['X-TC-Content-SHA256'] = 'UNSIGNED-PAYLOAD';
  const { origin, host, service } = input.endpoint;
  return { method, url: `${origin}/${query ? `?${query}` : ''}`, host, service, query, headers, body, contentType };
}

/** Refuses an action, version or language the API would not take. */
function checkNames(input: BuildRequestInput): void {
  if (typeof input.action !== 'string' || !ACTION.test(input.action)) {
    throw new UsageError(`must be an action name such as "DescribeInstances", got ${JSON.stringify(input.action)}`, {
      argument: 'action',
    });
  }
  if (typeof input.version !== 'string' || !VERSION.test(input.version)) {
    throw new UsageError(`must be an API version such as "2017-03-12", got ${JSON.stringify(input.version)}`, {
      argument: 'version',
    });
  }
  if (input.language !== undefined && input.language !== 'zh-CN' && input.language !== 'en-US') {
    throw new UsageError(`must be "zh-CN" or "en-US", got ${JSON.stringify(input.language)}`, { argument: 'language' });
  }
}

/** A copy of the caller's headers; the X-TC-* ones, Host, Content-Type and Authorization are the transport's. */
function callerHeaders(given: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(given ?? {})) {
    const lower = name.toLowerCase();
    if (RESERVED.has(lower) || lower.startsWith('x-tc-')) {
      throw new UsageError(`${name} is set by the transport and cannot be overridden`, { argument: `headers.${name}` });
    }
    headers[name] = String(value);
  }
  return headers;
}

/** The JSON text of a body, refused over the API's limit. */
function jsonBody(body: string): string {
  // A UTF-16 length of n encodes to at most 3n bytes: only near the limit is it worth counting.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut; counting the bytes every time gives the same size check
  const size = body.length * 3 <= MAX_POST_BYTES ? 0 : utf8Length(body);
  if (size > MAX_POST_BYTES) {
    throw new UsageError(`the JSON body is ${size} bytes; the API accepts at most ${MAX_POST_BYTES} (10 MB)`, {
      argument: 'params',
    });
  }
  return body;
}

function getQuery(writer: NonNullable<RequestParts['serialize']>, params: unknown): string {
  const query = writer
    .flattenParams(params)
    .map(([name, value]) => `${writer.encodeRfc3986(name)}=${writer.encodeRfc3986(value)}`)
    .join('&');
  if (query.length > MAX_GET_BYTES) {
    throw new UsageError(
      `the GET query is ${query.length} bytes; the API accepts at most ${MAX_GET_BYTES} (32 KB): use POST`,
      { argument: 'params' },
    );
  }
  return query;
}
