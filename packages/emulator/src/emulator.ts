import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { redactHeaders, UsageError, type Locale } from '@x/errors';
import { defaultMessage, failureOf } from './api-failure';
import { parseTc3Authorization, tc3Matches, v1Matches, type KnownSecret } from './auth';
import { FaultSet, seededRandom, type Fault, type FaultRule, type Faults } from './faults';
import { cvmHandlers, cvmSettings, seedInstances } from './fixtures/cvm';
import { hunyuanHandlers } from './fixtures/hunyuan';
import { stsHandlers, stsSettings } from './fixtures/sts';
import { boundaryOf, MalformedMultipart, parseMultipart } from './multipart';
import { redactParams, unflatten } from './params';
import { ANY_VERSION, checkErrorRule, createRouter, errorFaultMessage } from './routing';
import { SchemaStore } from './schema';
import { validateParams } from './validate';
import {
  STREAM_REPLY,
  type ActionHandler,
  type Handlers,
  type HandlerContext,
  type IssuedCredentials,
  type RecordedRequest,
  type ServiceSettings,
  type StreamReply,
} from './types';

/** The credentials the emulator accepts by default (print them, put them in tests: they are not secret). */
export const DEFAULT_SECRET_ID = 'AKIDEMULATOR00000000000000000000';
/** The SecretKey of {@link DEFAULT_SECRET_ID} (a test key: it unlocks nothing but emulators). */
export const DEFAULT_SECRET_KEY = 'emulator-secret-key-000000000000';

/** Options of {@link startEmulator}; every one is optional. */
export interface EmulatorOptions {
  /** `127.0.0.1` (default) or `localhost`: the emulator never listens beyond the loopback. */
  readonly host?: '127.0.0.1' | 'localhost';
  /** Default 0: a random free port. */
  readonly port?: number;
  /** SecretId → SecretKey (or `{ secretKey, token }` for keys that need a session token). Default: the DEFAULT_* pair. */
  readonly credentials?: Readonly<Record<string, string | { readonly secretKey: string; readonly token?: string }>>;
  /** The emulator's clock in ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Your handlers, merged over (and replacing) the built-in fixtures action by action. */
  readonly handlers?: Handlers;
  /** Gateway settings per service (regions, unsigned actions), merged over the fixtures' field by field. */
  readonly services?: Readonly<Record<string, ServiceSettings>>;
  /** Serve the built-in cvm, sts and hunyuan fixtures. Default true. */
  readonly fixtures?: boolean;
  /** Faults in force from the start; more can be added with `emulator.faults.add`. */
  readonly faults?: readonly FaultRule[];
  /** Seed of the random numbers behind rate-based faults and of synthesized answers. Default 1. */
  readonly seed?: number;
  /** Check every call's params against the action's schema as the gateway does (UnknownParameter, MissingParameter, InvalidParameter). Default true. */
  readonly validate?: boolean;
  /** Answer any action of any service @x/services knows that has no fixture or handler with a synthesized, schema-valid result. Default true. */
  readonly synthesize?: boolean;
  /** Answer CORS preflights and expose headers to browsers: `true` for any origin, or one origin. */
  readonly cors?: boolean | { readonly origin: string };
  /** How many requests `requests` keeps, the oldest dropped first (a long-running emulator stays small). Default 10 000. */
  readonly recordLimit?: number;
}

/** A running emulator: where it listens, what it accepts, what it saw, and its faults. */
export interface Emulator {
  /** `http://127.0.0.1:<port>`: pass it as the client's `endpoint`. */
  readonly url: string;
  readonly port: number;
  /**
   * The first configured credentials (the DEFAULT_* pair unless `credentials` was given), ready to
   * pass to a client. The key and token stay out of `JSON.stringify` and `util.inspect` output.
   */
  readonly credentials: EmulatorCredentials;
  /** Every request received, oldest first (Authorization and X-TC-Token redacted). */
  readonly requests: RecordedRequest[];
  readonly faults: Faults;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** A SecretId with its key (and token, for credentials that need one). */
export interface EmulatorCredentials {
  readonly secretId: string;
  readonly secretKey: string;
  readonly token?: string;
}

/** Spreads and reads like a plain object; prints and serializes without its secrets. */
class PrintableCredentials implements EmulatorCredentials {
  declare readonly token?: string;
  constructor(
    readonly secretId: string,
    readonly secretKey: string,
    token: string | undefined,
  ) {
    if (token !== undefined) this.token = token;
  }
  toJSON(): Record<string, string> {
    return { secretId: this.secretId, secretKey: '[REDACTED]', ...(this.token === undefined ? {} : { token: '[REDACTED]' }) };
  }
  [inspect.custom](): string {
    return `EmulatorCredentials ${inspect(this.toJSON())}`;
  }
}

/** Request size limits of the API: `json` holds for every POST body but a form (multipart and raw bytes too). */
const LIMITS = { json: 10 * 1024 * 1024, form: 1024 * 1024, get: 32 * 1024 };
const SIGNATURE_WINDOW_S = 300;

const GATEWAY_PAGE = (status: number) => {
  const title = `${status} ${STATUS_CODES[status] ?? 'Error'}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>stgw</center>\r\n</body>\r\n</html>\r\n`;
};

class GatewayRefusal {
  constructor(
    readonly code: string,
    readonly message?: string,
  ) {}
}

/**
 * Starts a local Tencent Cloud API 3.0 endpoint on the loopback interface. It verifies TC3 and v1
 * signatures like the real gateway, answers the real envelope format (HTTP 200 for API errors),
 * validates params against each action's schema, serves built-in fixtures for cvm, sts and
 * hunyuan and a synthesized answer for every other action of @x/services, records requests and
 * injects faults.
 *
 * @example
 * const emulator = await startEmulator();
 * // createClient({ service: 'cvm', version: '2017-03-12', region: 'ap-guangzhou', endpoint: emulator.url, credentials: emulator.credentials })
 * await emulator.close();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  validateOptions(options);
  const host = options.host ?? '127.0.0.1';
  const baseNow = options.now ?? Date.now;
  const schemas = new SchemaStore();
  const faults = new FaultSet(seededRandom(options.seed ?? 1), (rule, fault) => checkErrorRule(schemas, rule, fault));
  faults.set(options.faults ?? []);
  /** The emulator clock for a call to `service`/`action` (clock-offset faults scoped to them included). */
  const now = (service?: string, action?: string) => baseNow() + faults.clockOffset(service, action);

  const secrets = new Map<string, KnownSecret>();
  for (const [id, value] of Object.entries(options.credentials ?? { [DEFAULT_SECRET_ID]: DEFAULT_SECRET_KEY })) {
    secrets.set(id, typeof value === 'string' ? { secretKey: value } : { secretKey: value.secretKey, token: value.token });
  }
  const [firstId, first] = [...secrets][0]!;
  const credentials = new PrintableCredentials(firstId, first.secretKey, first.token);
  const principals = new Map<string, string>();

  // service → version → action; the version '*' holds the actions a service answers in any version.
  const handlers: Record<string, Record<string, Record<string, ActionHandler>>> = {};
  const settings: Record<string, ServiceSettings> = {};
  if (options.fixtures !== false) {
    handlers['cvm'] = { '2017-03-12': cvmHandlers(seedInstances()) };
    handlers['sts'] = { '2018-08-13': stsHandlers(principals) };
    handlers['hunyuan'] = { '2023-09-01': hunyuanHandlers() };
    settings['cvm'] = cvmSettings;
    settings['sts'] = stsSettings;
  }
  for (const [service, versions] of Object.entries(options.handlers ?? {})) {
    const byVersion = (handlers[service] ??= {});
    // A user's handler for every version replaces the built-in fixture of each version too;
    // the user's own version-level handlers (merged next) still win over it.
    for (const [action, value] of Object.entries(versions)) {
      if (typeof value !== 'function') continue;
      byVersion[ANY_VERSION] = { ...byVersion[ANY_VERSION], [action]: value };
      for (const [version, actions] of Object.entries(byVersion)) {
        if (version !== ANY_VERSION && action in actions) byVersion[version] = Object.fromEntries(Object.entries(actions).filter(([name]) => name !== action));
      }
    }
    for (const [version, value] of Object.entries(versions)) {
      if (typeof value !== 'function') byVersion[version] = { ...byVersion[version], ...value };
    }
  }
  for (const [service, own] of Object.entries(options.services ?? {})) settings[service] = { ...settings[service], ...own };

  const router = createRouter(handlers, schemas, { seed: options.seed ?? 1, synthesize: options.synthesize !== false });

  const requests: RecordedRequest[] = [];
  const recordLimit = options.recordLimit ?? 10_000;
  const cors = options.cors === true ? { origin: '*' } : options.cors || undefined;

  const issueCredentials = (opts: { expiresAt: number; principal?: string }): IssuedCredentials => {
    const TmpSecretId = `AKIDTMP${randomUUID().replace(/-/g, '').slice(0, 25)}`;
    const TmpSecretKey = randomUUID().replace(/-/g, '');
    const Token = `emulator-token-${randomUUID()}`;
    secrets.set(TmpSecretId, { secretKey: TmpSecretKey, token: Token, expiresAt: opts.expiresAt });
    if (opts.principal) principals.set(TmpSecretId, opts.principal);
    return { TmpSecretId, TmpSecretKey, Token };
  };

  // Node's default header limit (16 KB) would cut a long GET before the gateway's 32 KB rule could answer it.
  const server: Server = createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const method = req.method ?? '';
    const language: Locale = String(req.headers['x-tc-language'] ?? '').toLowerCase() === 'zh-cn' ? 'zh-CN' : 'en-US';
    /** The message in the language the caller asked for. */
    const t = (en: string, zh: string) => (language === 'zh-CN' ? zh : en);
    res.setHeader('Date', new Date(now()).toUTCString());
    // The gateway hands the client's trace id back, so support can follow one request end to end.
    const traceId = req.headers['x-tc-traceid'];
    if (typeof traceId === 'string' && /^[\w.:-]{1,128}$/.test(traceId)) res.setHeader('X-TC-TraceId', traceId);
    if (cors) {
      res.setHeader('Access-Control-Allow-Origin', cors.origin);
      res.setHeader('Access-Control-Expose-Headers', 'X-TC-RequestId, X-TC-TraceId, Date');
      if (cors.origin !== '*') res.setHeader('Vary', 'Origin');
    }
    if (method === 'OPTIONS' && cors) {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Allow-Headers':
          'Authorization, Content-Type, X-TC-Action, X-TC-Version, X-TC-Timestamp, X-TC-Region, X-TC-Token, X-TC-Language, X-TC-RequestClient, X-TC-TraceId, X-TC-Content-SHA256',
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }
    const record: { -readonly [K in keyof RecordedRequest]: RecordedRequest[K] } = {
      method,
      service: undefined,
      version: undefined,
      action: undefined,
      region: undefined,
      params: {},
      headers: redactHeaders(req.headers as Record<string, string | string[] | undefined>),
      secretId: undefined,
      signatureMethod: undefined,
      body: undefined,
      requestId,
      errorCode: undefined,
      time: now(),
    };
    requests.push(record);
    if (requests.length > recordLimit) requests.splice(0, requests.length - recordLimit);

    const answerError = (code: string, message?: string) => {
      record.errorCode = code;
      writeJson(res, { Error: { Code: code, Message: message ?? defaultMessage(code, language) }, RequestId: requestId }, []);
    };

    try {
      if (method !== 'GET' && method !== 'POST') {
        await readBody(req, LIMITS.json); // drain it, so the connection stays usable
        throw new GatewayRefusal('UnsupportedProtocol', t(`The HTTP method ${method} is not supported; only GET and POST are.`, `不支持 HTTP 方法 ${method}，仅支持 GET 和 POST。`));
      }
      const url = new URL(req.url ?? '/', 'http://emulator');
      const contentType = String(req.headers['content-type'] ?? '').toLowerCase();
      if (method === 'GET' && (req.url ?? '').length > LIMITS.get) {
        req.resume();
        throw new GatewayRefusal('RequestSizeLimitExceeded', t(`The GET request exceeds ${LIMITS.get} bytes.`, `GET 请求超过 ${LIMITS.get} 字节。`));
      }
      const limit = contentType.startsWith('application/x-www-form-urlencoded') ? LIMITS.form : LIMITS.json;
      const body = await readBody(req, limit);
      if (body === undefined) {
        res.setHeader('Connection', 'close');
        throw new GatewayRefusal('RequestSizeLimitExceeded', t(`The request body exceeds ${limit} bytes.`, `请求包体超过 ${limit} 字节。`));
      }

      const authorization = String(req.headers['authorization'] ?? '');
      const form = method === 'GET' ? [...url.searchParams] : contentType.startsWith('application/x-www-form-urlencoded') ? [...new URLSearchParams(new TextDecoder().decode(body))] : [];
      const formParams = Object.fromEntries(form);
      const v1 = authorization === '' && typeof formParams['Signature'] === 'string';
      let params: Record<string, unknown>;
      let rawBody: Uint8Array | undefined;
      if (method === 'POST' && contentType.startsWith('multipart/form-data')) {
        params = multipartParams(body, String(req.headers['content-type']), t);
      } else if (method === 'POST' && contentType.startsWith('application/octet-stream')) {
        // The bytes are the whole request: no params; the handler reads ctx.body.
        params = {};
        rawBody = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
        record.body = rawBody;
      } else if (method === 'POST' && contentType.startsWith('application/json')) {
        try {
          const text = new TextDecoder().decode(body);
          params = text.trim() === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
          if (typeof params !== 'object' || params === null || Array.isArray(params)) throw new Error('not an object');
        } catch {
          throw new GatewayRefusal('InvalidParameter', t('The request body is not a JSON object.', '请求包体不是 JSON 对象。'));
        }
      } else if (method === 'POST' && !contentType.startsWith('application/x-www-form-urlencoded') && !v1) {
        throw new GatewayRefusal('InvalidParameter', t(`The content type ${contentType || '(none)'} is not supported; use application/json, multipart/form-data or application/octet-stream.`, `不支持 Content-Type ${contentType || '(空)'}，请使用 application/json、multipart/form-data 或 application/octet-stream。`));
      } else {
        const common = new Set(['Action', 'Version', 'Region', 'Timestamp', 'Nonce', 'SecretId', 'Signature', 'SignatureMethod', 'Token', 'Language']);
        params = unflatten(form.filter(([k]) => !v1 || !common.has(k)));
      }
      record.params = redactParams(params) as Record<string, unknown>;

      const header = (name: string) => {
        const v = req.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      const action = v1 ? formParams['Action'] : header('x-tc-action');
      const version = v1 ? formParams['Version'] : header('x-tc-version');
      const region = (v1 ? formParams['Region'] : header('x-tc-region')) || undefined;
      record.action = action;
      record.version = version;
      record.region = region;
      if (!action) throw new GatewayRefusal('MissingParameter', t(`The request is missing a required parameter \`${v1 ? 'Action' : 'X-TC-Action'}\`.`, `缺少必填参数 \`${v1 ? 'Action' : 'X-TC-Action'}\`。`));
      if (!version) throw new GatewayRefusal('MissingParameter', t(`The request is missing a required parameter \`${v1 ? 'Version' : 'X-TC-Version'}\`.`, `缺少必填参数 \`${v1 ? 'Version' : 'X-TC-Version'}\`。`));

      // Who is calling, and for which service.
      let service: string | undefined;
      let secretId: string | undefined;
      if (v1) {
        record.signatureMethod = formParams['SignatureMethod'] === 'HmacSHA256' ? 'HmacSHA256' : 'HmacSHA1';
        service = String(req.headers.host ?? '').split('.')[0];
        secretId = formParams['SecretId'];
        const known = secretId ? secrets.get(secretId) : undefined;
        checkTimestamp(res, Number(formParams['Timestamp']), service, action);
        if (!secretId || !known) throw new GatewayRefusal('AuthFailure.SecretIdNotFound');
        checkToken(known, formParams['Token'], service, action, t);
        if (!(await v1Matches(method, String(req.headers.host ?? ''), formParams, known.secretKey))) throw new GatewayRefusal('AuthFailure.SignatureFailure');
      } else if (authorization === 'SKIP') {
        record.signatureMethod = 'SKIP';
        service = Object.entries(settings).find(([, s]) => s.unsignedActions?.includes(action))?.[0];
        if (!service) throw new GatewayRefusal('AuthFailure.InvalidAuthorization', t(`The action ${action} requires a signature.`, `接口 ${action} 需要签名。`));
      } else {
        if (authorization === '') throw new GatewayRefusal('AuthFailure.InvalidAuthorization', t('The Authorization header is missing.', '缺少 Authorization 请求头。'));
        const parts = parseTc3Authorization(authorization);
        if (!parts || !parts.signedHeaders.includes('content-type') || !parts.signedHeaders.includes('host')) {
          throw new GatewayRefusal('AuthFailure.InvalidAuthorization');
        }
        record.signatureMethod = 'TC3-HMAC-SHA256';
        service = parts.service;
        secretId = parts.secretId;
        const timestamp = Number(header('x-tc-timestamp'));
        if (!Number.isInteger(timestamp)) throw new GatewayRefusal('MissingParameter', t('The request is missing a required parameter `X-TC-Timestamp`.', '缺少必填参数 `X-TC-Timestamp`。'));
        checkTimestamp(res, timestamp, service, action);
        const known = secrets.get(parts.secretId);
        if (!known) throw new GatewayRefusal('AuthFailure.SecretIdNotFound');
        if (!(await tc3Matches({ method, query: url.search.slice(1), headers: req.headers, body, parts, secretKey: known.secretKey }))) {
          throw new GatewayRefusal('AuthFailure.SignatureFailure');
        }
        checkToken(known, header('x-tc-token'), service, action, t);
      }
      record.service = service;
      record.secretId = secretId;

      const route = await router.resolve(service, version, action, language);
      if (!('handler' in route)) throw new GatewayRefusal(route.code, route.message);
      if (!service) throw new GatewayRefusal('NoSuchProduct'); // (resolve refuses a call without a service first)
      const { handler } = route;
      const serviceSettings = settings[service];
      if (serviceSettings?.regionRequired && region === undefined) throw new GatewayRefusal('MissingParameter', t('The request is missing a required parameter `Region`.', '缺少必填参数 `Region`。'));
      if (region !== undefined && serviceSettings?.regions && !serviceSettings.regions.includes(region)) {
        throw new GatewayRefusal('UnsupportedRegion', t(`The region ${region} is not supported by ${service}.`, `${service} 不支持地域 ${region}。`));
      }

      // A raw octet-stream body is opaque: its params are not in it, so there is nothing to check.
      if (route.action && options.validate !== false && rawBody === undefined) {
        // Query strings and form bodies carry every value as text: numbers and booleans are accepted as text there.
        const checked = validateParams(route.action, params, { flattened: !(method === 'POST' && contentType.startsWith('application/json')), language });
        if (!('params' in checked)) throw new GatewayRefusal(checked.code, checked.message);
        params = checked.params;
      }

      // Faults fire for calls that got this far, in rule order.
      const fired = faults.fire(service, action);
      for (const fault of fired) {
        if (fault.kind === 'latency') await new Promise((r) => setTimeout(r, fault.ms));
        else if (fault.kind === 'reset' && fault.when === 'before-response') {
          record.errorCode = '(connection reset)';
          req.socket.destroy();
          return;
        } else if (fault.kind === 'gateway-error') {
          const status = fault.status ?? 502;
          record.errorCode = `(HTTP ${status})`;
          res.writeHead(status, { 'Content-Type': 'text/html' }).end(GATEWAY_PAGE(status));
          return;
        } else if (fault.kind === 'throttle') {
          throw new GatewayRefusal(fault.code ?? 'RequestLimitExceeded');
        } else if (fault.kind === 'error') {
          throw new GatewayRefusal(fault.code, await errorFaultMessage(schemas, service, version, fault, language));
        }
      }

      const ctx: HandlerContext = {
        service,
        version,
        action,
        region,
        language,
        requestId,
        secretId,
        body: rawBody,
        now: () => now(service, action),
        stream: (events): StreamReply => {
          const iterable = typeof events === 'object' && events !== null && (Symbol.asyncIterator in events || Symbol.iterator in events);
          if (!iterable) throw new UsageError('ctx.stream needs an iterable or async iterable of events', { argument: 'events' });
          return { [STREAM_REPLY]: true, events };
        },
        issueCredentials,
      };
      let result: Record<string, unknown> | StreamReply | void;
      try {
        result = await handler(params, ctx);
      } catch (thrown) {
        const failure = failureOf(thrown);
        if (!failure) throw new GatewayRefusal('InternalError', t('The handler failed.', '内部错误。'));
        throw new GatewayRefusal(failure.code, failure.message);
      }
      if (result === undefined || result === null) result = {};
      if (typeof result !== 'object' || Array.isArray(result)) {
        throw new GatewayRefusal('InternalError', t(`The handler of ${action} answered ${Array.isArray(result) ? 'an array' : typeof result}, not an object.`, `接口 ${action} 的处理函数返回了 ${Array.isArray(result) ? 'array' : typeof result}，而不是对象。`));
      }
      if ((result as StreamReply)[STREAM_REPLY]) {
        await writeStream(res, (result as StreamReply).events, requestId, fired);
        return;
      }
      writeJson(res, { ...(result as Record<string, unknown>), RequestId: requestId }, fired);
    } catch (err) {
      if (err instanceof GatewayRefusal) return answerError(err.code, err.message);
      throw err;
    }
  }

  function checkTimestamp(res: ServerResponse, timestamp: number, service: string | undefined, action: string): void {
    const clock = now(service, action);
    if (!Number.isFinite(timestamp) || Math.abs(clock / 1000 - timestamp) > SIGNATURE_WINDOW_S) {
      // The client corrects its clock from this header, so it tells this call's (offset) time.
      res.setHeader('Date', new Date(clock).toUTCString());
      throw new GatewayRefusal('AuthFailure.SignatureExpire');
    }
  }

  function checkToken(known: KnownSecret, token: string | undefined, service: string | undefined, action: string, t: (en: string, zh: string) => string): void {
    if (known.token !== undefined && token !== known.token) {
      throw new GatewayRefusal('AuthFailure.TokenFailure', token ? t('The token does not match the credentials.', 'token 与密钥不匹配。') : t('The request is missing the token of its temporary credentials.', '缺少临时密钥的 token。'));
    }
    if (known.token === undefined && token) throw new GatewayRefusal('AuthFailure.TokenFailure', t('A token was sent with permanent credentials.', '永久密钥不需要 token。'));
    if (known.expiresAt !== undefined && now(service, action) >= known.expiresAt) throw new GatewayRefusal('AuthFailure.TokenFailure', t('The temporary credentials have expired.', '临时密钥已过期。'));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    credentials,
    requests,
    faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The params of a multipart/form-data body: text parts as strings, binary parts as Uint8Array.
 * Malformed bodies get the gateway's `InvalidParameter`, with what was wrong.
 */
function multipartParams(body: Uint8Array, contentType: string, t: (en: string, zh: string) => string): Record<string, unknown> {
  try {
    const params: Record<string, unknown> = {};
    for (const [name, value] of parseMultipart(body, boundaryOf(contentType))) {
      // defineProperty: a part named `__proto__` is a param like any other, not a prototype.
      Object.defineProperty(params, name, { value, enumerable: true, writable: true, configurable: true });
    }
    return params;
  } catch (err) {
    if (!(err instanceof MalformedMultipart)) throw err;
    throw new GatewayRefusal('InvalidParameter', t(`The multipart/form-data body is malformed: ${err.message}.`, `multipart/form-data 请求包体格式错误：${err.message}。`));
  }
}

/** Refuses options that cannot work, naming the option, before anything listens. */
function validateOptions(options: EmulatorOptions): void {
  const bad = (argument: string, message: string): never => {
    throw new UsageError(message, { argument });
  };
  if (typeof options !== 'object' || options === null) bad('options', 'must be an object');
  const { host, port, credentials, now, handlers, services, fixtures, faults, seed, cors, validate, synthesize } = options;
  if (host !== undefined && host !== '127.0.0.1' && host !== 'localhost') {
    bad('host', `must be 127.0.0.1 or localhost (the emulator never listens beyond the loopback), got ${JSON.stringify(host)}`);
  }
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) bad('port', `must be an integer from 0 to 65535, got ${String(port)}`);
  if (credentials !== undefined) {
    if (typeof credentials !== 'object' || credentials === null) bad('credentials', 'must be an object { [secretId]: secretKey | { secretKey, token? } }');
    const entries = Object.entries(credentials);
    if (entries.length === 0) bad('credentials', 'must accept at least one SecretId');
    for (const [id, value] of entries) {
      if (id === '' || /\s|\//.test(id)) bad('credentials', `the SecretId ${JSON.stringify(id)} cannot appear in a credential scope`);
      const key = typeof value === 'string' ? value : (value as { secretKey?: unknown } | null)?.secretKey;
      if (typeof key !== 'string' || key === '') bad(`credentials.${id}`, 'needs a non-empty secretKey');
      const token = typeof value === 'string' ? undefined : (value as { token?: unknown }).token;
      if (token !== undefined && (typeof token !== 'string' || token === '')) bad(`credentials.${id}.token`, 'must be a non-empty string');
    }
  }
  if (now !== undefined && typeof now !== 'function') bad('now', 'must be a function returning ms since the epoch');
  if (handlers !== undefined) {
    if (typeof handlers !== 'object' || handlers === null) bad('handlers', 'must be { [service]: { [version]: { [action]: handler } } }');
    for (const [service, versions] of Object.entries(handlers)) {
      if (typeof versions !== 'object' || versions === null) bad(`handlers.${service}`, 'must map versions (or actions) to handlers');
      for (const [key, value] of Object.entries(versions)) {
        if (typeof value === 'function') continue;
        if (typeof value !== 'object' || value === null) bad(`handlers.${service}.${key}`, 'must be a handler function or { [action]: handler }');
        for (const [action, handler] of Object.entries(value)) {
          if (typeof handler !== 'function') bad(`handlers.${service}.${key}.${action}`, `must be a function (params, ctx) => result, got ${typeof handler}`);
        }
      }
    }
  }
  if (services !== undefined && (typeof services !== 'object' || services === null)) bad('services', 'must be { [service]: { regions?, regionRequired?, unsignedActions? } }');
  if (fixtures !== undefined && typeof fixtures !== 'boolean') bad('fixtures', 'must be true or false');
  if (validate !== undefined && typeof validate !== 'boolean') bad('validate', 'must be true or false');
  if (synthesize !== undefined && typeof synthesize !== 'boolean') bad('synthesize', 'must be true or false');
  if (faults !== undefined && !Array.isArray(faults)) bad('faults', 'must be an array of fault rules');
  if (seed !== undefined && !Number.isInteger(seed)) bad('seed', `must be an integer, got ${String(seed)}`);
  if (options.recordLimit !== undefined && (!Number.isInteger(options.recordLimit) || options.recordLimit < 0)) {
    bad('recordLimit', `must be a non-negative integer, got ${String(options.recordLimit)}`);
  }
  if (cors !== undefined && typeof cors !== 'boolean' && (typeof cors !== 'object' || cors === null || typeof cors.origin !== 'string' || cors.origin === '')) {
    bad('cors', 'must be true, false or { origin: string }');
  }
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

const BIGINT = '\u0000bigint:';

/** JSON with bigint values written as exact integers (handlers may answer 64-bit numbers). */
function toJson(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${BIGINT}${v}` : v));
  return text.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}

function writeJson(res: ServerResponse, response: Record<string, unknown>, fired: readonly Fault[]): void {
  const body = Buffer.from(toJson({ Response: response }));
  const truncate = fired.find((f): f is Extract<Fault, { kind: 'truncate' }> => f.kind === 'truncate');
  const reset = fired.some((f) => f.kind === 'reset' && f.when === 'mid-body');
  if (reset) {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': body.length });
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
    return;
  }
  const sent = truncate ? body.subarray(0, truncate.bytes ?? Math.floor(body.length / 2)) : body;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': sent.length });
  res.end(sent);
}

async function writeStream(res: ServerResponse, events: AsyncIterable<unknown> | Iterable<unknown>, requestId: string, fired: readonly Fault[]): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache', 'X-TC-RequestId': requestId });
  const reset = fired.some((f) => f.kind === 'reset' && f.when === 'mid-body');
  const truncate = fired.find((f): f is Extract<Fault, { kind: 'truncate' }> => f.kind === 'truncate');
  let n = 0;
  let sent = 0;
  const iterator = (Symbol.asyncIterator in events ? events[Symbol.asyncIterator]() : events[Symbol.iterator]()) as AsyncIterator<unknown> | Iterator<unknown>;
  for (;;) {
    let step: IteratorResult<unknown>;
    try {
      step = await iterator.next();
    } catch (thrown) {
      // A handler failing mid-stream answers as hunyuan does: one last event with ErrorMsg.
      const failure = failureOf(thrown);
      if (!failure || res.destroyed) {
        res.destroy();
        return;
      }
      res.end(`data: ${toJson({ Id: requestId, ErrorMsg: { Code: failure.code, Msg: failure.message ?? failure.code } })}\n\n`);
      return;
    }
    if (step.done) break;
    const event = step.value;
    if (res.destroyed) {
      await iterator.return?.();
      return;
    }
    if (reset && n === 1) {
      res.socket?.destroy();
      return;
    }
    const chunk = Buffer.from(`data: ${toJson(event)}\n\n`);
    // A truncated stream stops inside an event: by default half-way through the second one.
    const cut = truncate ? (truncate.bytes ?? (n === 1 ? sent + Math.floor(chunk.length / 2) : Infinity)) : Infinity;
    if (sent + chunk.length > cut) {
      res.end(chunk.subarray(0, Math.max(0, cut - sent)));
      return;
    }
    res.write(chunk);
    sent += chunk.length;
    n++;
    await new Promise((r) => setImmediate(r));
  }
  res.end();
}
