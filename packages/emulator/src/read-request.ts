import type { IncomingMessage } from 'node:http';
import { firstHeader, GatewayRefusal, LIMITS, type RequestRecord, type Say } from './gateway';
import { boundaryOf, MalformedMultipart, parseMultipart } from './multipart';
import { redactParams, unflatten } from './params';

/** A request read off the wire: its body within the size limits, its params decoded, the names of its call. */
export interface IncomingCall {
  readonly method: 'GET' | 'POST';
  readonly url: URL;
  /** The Content-Type header, lowercased. */
  readonly contentType: string;
  readonly body: Uint8Array;
  /** Signed the v1 way (a `Signature` param, no Authorization header). */
  readonly v1: boolean;
  /** The query's (GET) or form body's params as sent: the v1 signature covers them. */
  readonly form: Readonly<Record<string, string>>;
  readonly params: Record<string, unknown>;
  /** The body of an `application/octet-stream` request (whose params are `{}`). */
  readonly rawBody: Uint8Array | undefined;
  readonly action: string;
  readonly version: string;
  readonly region: string | undefined;
}

const FORM = 'application/x-www-form-urlencoded';
/** The POST bodies a signed call may send besides a form, in a refusal's words. */
const SUPPORTED = {
  en: 'application/json, multipart/form-data or application/octet-stream',
  zh: 'application/json、multipart/form-data 或 application/octet-stream',
};
/** The params of a v1 request that sign and route it rather than go to the action. */
const V1_COMMON = new Set([
  'Action',
  'Version',
  'Region',
  'Timestamp',
  'Nonce',
  'SecretId',
  'Signature',
  'SignatureMethod',
  'Token',
  'Language',
]);

/**
 * Reads a request as the gateway does: only GET and POST, bodies within the size limits, params
 * from the query, a form, JSON, multipart or raw bytes. Fills in `record` as it learns; refuses
 * (GatewayRefusal) anything the gateway would.
 */
export async function readCall(req: IncomingMessage, record: RequestRecord, say: Say): Promise<IncomingCall> {
  const method = await acceptMethod(req, record.method, say);
  const url = new URL(req.url ?? '/', 'http://emulator');
  const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
  const body = await readWithinLimits(req, method, contentType, say);
  const pairs =
    method === 'GET'
      ? [...url.searchParams]
      : contentType.startsWith(FORM)
        ? [...new URLSearchParams(new TextDecoder().decode(body))]
        : [];
  const form = Object.fromEntries(pairs);
  const v1 = String(req.headers['authorization'] ?? '') === '' && typeof form['Signature'] === 'string';
  const contentTypeHeader = String(req.headers['content-type']);
  const { params, rawBody } = decodeParams({ method, contentType, contentTypeHeader, body, pairs, v1 }, say);
  if (rawBody) record.body = rawBody;
  record.params = redactParams(params) as Record<string, unknown>;
  const names = callNames(req, form, v1, record, say);
  return { method, url, contentType, body, v1, form, params, rawBody, ...names };
}

async function acceptMethod(req: IncomingMessage, method: string, say: Say): Promise<'GET' | 'POST'> {
  if (method === 'GET' || method === 'POST') return method;
  await readBody(req, LIMITS.json); // drain it, so the connection stays usable
  throw new GatewayRefusal(
    'UnsupportedProtocol',
    say(
      `The HTTP method ${method} is not supported; only GET and POST are.`,
      `不支持 HTTP 方法 ${method}，仅支持 GET 和 POST。`,
    ),
  );
}

async function readWithinLimits(req: IncomingMessage, method: string, contentType: string, say: Say) {
  if (method === 'GET' && (req.url ?? '').length > LIMITS.get) {
    req.resume();
    const { get } = LIMITS;
    throw new GatewayRefusal(
      'RequestSizeLimitExceeded',
      say(`The GET request exceeds ${get} bytes.`, `GET 请求超过 ${get} 字节。`),
    );
  }
  const limit = contentType.startsWith(FORM) ? LIMITS.form : LIMITS.json;
  const body = await readBody(req, limit);
  if (body !== undefined) return body;
  const message = say(`The request body exceeds ${limit} bytes.`, `请求包体超过 ${limit} 字节。`);
  throw new GatewayRefusal('RequestSizeLimitExceeded', message, { Connection: 'close' });
}

/** Reads a request body; undefined when it passes `limit` (the rest is not read). */
async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

interface Encoded {
  readonly method: 'GET' | 'POST';
  readonly contentType: string;
  /** As sent: a multipart boundary is case-sensitive. */
  readonly contentTypeHeader: string;
  readonly body: Uint8Array;
  readonly pairs: readonly [string, string][];
  readonly v1: boolean;
}

function decodeParams(sent: Encoded, say: Say): { params: Record<string, unknown>; rawBody?: Uint8Array } {
  const { method, contentType, body } = sent;
  if (method === 'POST' && contentType.startsWith('multipart/form-data')) {
    return { params: multipartParams(body, sent.contentTypeHeader, say) };
  }
  if (method === 'POST' && contentType.startsWith('application/octet-stream')) {
    // The bytes are the whole request: no params; the handler reads ctx.body.
    return { params: {}, rawBody: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  }
  if (method === 'POST' && contentType.startsWith('application/json')) return { params: jsonParams(body, say) };
  if (method === 'POST' && !contentType.startsWith(FORM) && !sent.v1) {
    const shown = contentType || '(none)';
    const message = say(
      `The content type ${shown} is not supported; use ${SUPPORTED.en}.`,
      `不支持 Content-Type ${contentType || '(空)'}，请使用 ${SUPPORTED.zh}。`,
    );
    throw new GatewayRefusal('InvalidParameter', message);
  }
  return { params: unflatten(sent.pairs.filter(([name]) => !sent.v1 || !V1_COMMON.has(name))) };
}

function jsonParams(body: Uint8Array, say: Say): Record<string, unknown> {
  try {
    const text = new TextDecoder().decode(body);
    const params = text.trim() === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
    // Stryker disable next-line StringLiteral: the catch below replaces this error with the gateway's message; no one sees it
    if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new Error('not an object');
    return params;
  } catch {
    throw new GatewayRefusal(
      'InvalidParameter',
      say('The request body is not a JSON object.', '请求包体不是 JSON 对象。'),
    );
  }
}

/**
 * The params of a multipart/form-data body: text parts as strings, binary parts as Uint8Array.
 * Malformed bodies get the gateway's `InvalidParameter`, with what was wrong.
 */
function multipartParams(body: Uint8Array, contentType: string, say: Say): Record<string, unknown> {
  try {
    const params: Record<string, unknown> = {};
    for (const [name, value] of parseMultipart(body, boundaryOf(contentType))) {
      // defineProperty: a part named `__proto__` is a param like any other, not a prototype.
      Object.defineProperty(params, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return params;
  } catch (err) {
    if (!(err instanceof MalformedMultipart)) throw err;
    const message = say(
      `The multipart/form-data body is malformed: ${err.message}.`,
      `multipart/form-data 请求包体格式错误：${err.message}。`,
    );
    throw new GatewayRefusal('InvalidParameter', message);
  }
}

/** Action, Version and Region: from the params of a v1 request, else from the X-TC-* headers. */
function callNames(
  req: IncomingMessage,
  form: Readonly<Record<string, string>>,
  v1: boolean,
  record: RequestRecord,
  say: Say,
) {
  const action = v1 ? form['Action'] : firstHeader(req, 'x-tc-action');
  const version = v1 ? form['Version'] : firstHeader(req, 'x-tc-version');
  const region = (v1 ? form['Region'] : firstHeader(req, 'x-tc-region')) || undefined;
  record.action = action;
  record.version = version;
  record.region = region;
  const missing = (name: string) =>
    new GatewayRefusal(
      'MissingParameter',
      say(`The request is missing a required parameter \`${name}\`.`, `缺少必填参数 \`${name}\`。`),
    );
  if (!action) throw missing(v1 ? 'Action' : 'X-TC-Action');
  if (!version) throw missing(v1 ? 'Version' : 'X-TC-Version');
  return { action, version, region };
}
