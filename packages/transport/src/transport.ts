import {
  CredentialsError,
  TimeoutError,
  UsageError,
  brandOf,
  isApiError,
  isTencentCloudError,
  isTimeoutError,
  type CallContext,
  type ErrorCatalog,
  type Locale,
} from '@x/errors';
import {
  parseEventStream,
  readEnvelope,
  type IntegerMode,
  type ResponseData,
  type ResponseLike,
  type ServerSentEvent,
} from '@x/envelope';
import { buildRequest, type HttpMethod, type Language } from './build-request';
import { resolveEndpoint } from './endpoint';
import { logLine, type Logger } from './logger';
import { RetryBudget, backoffDelay, isReadAction, retryDecision, type RetryBudgetOptions, type RetryOptions } from './retry';
import type { Sender } from './sender';
import { sleep as defaultSleep, untilAborted } from './signals';
import type { SignTc3 } from './tc3';

/** What signing needs: a SecretId/SecretKey pair and, for temporary keys, the session token. */
export interface CredentialsLike {
  readonly secretId: string;
  readonly secretKey: string;
  readonly token?: string | undefined;
}

/** What a credentials provider is handed when asked for credentials. */
export interface CredentialsRequest {
  /**
   * Aborts when the attempt ends (its timeout, the call's deadline, the caller's signal). The
   * transport stops waiting then even when the provider goes on; a provider that can, should stop too.
   */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Credentials, or a provider asked before every attempt (it should cache). The lookup runs inside
 * the attempt's deadline; a provider that rejects with anything but an @x error is reported as a
 * CredentialsError naming it (its function name), with the rejection as `cause`.
 */
export type CredentialsSource = CredentialsLike | ((request?: CredentialsRequest) => Promise<CredentialsLike>);

/** Options that one call may override. */
export interface CallOptions {
  readonly region?: string | undefined;
  /** Language of error messages (`X-TC-Language`). */
  readonly language?: Language | undefined;
  /** Aborts the call at once; its reason is rethrown unchanged. */
  readonly signal?: AbortSignal | undefined;
  /** Per attempt, until the response is read. Default 30 000 ms. */
  readonly timeoutMs?: number | undefined;
  /** For the whole call, retries and waits included. Default 90 000 ms. */
  readonly totalTimeoutMs?: number | undefined;
  /** Retry settings, or `false` for a single attempt. */
  readonly retry?: RetryOptions | false | undefined;
  /** More request headers. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Whether the call may be repeated after it may have reached the server (a timeout, a reset, a
   * 502). Default: true when the params carry a non-empty `ClientToken`, else the transport's
   * `idempotent` (by default: read actions, see `isReadAction`). `false` opts this call out.
   */
  readonly idempotent?: boolean | undefined;
  /** Default POST. */
  readonly method?: HttpMethod | undefined;
  /** `skip` sends `Authorization: SKIP` (actions that take no signature, e.g. AssumeRoleWithWebIdentity). */
  readonly auth?: 'tc3' | 'skip' | undefined;
  /** Another endpoint for this call (e.g. an action served on its own host); the signing service stays. */
  readonly endpoint?: string | undefined;
  /**
   * POST the params as multipart/form-data (the actions that declare it, e.g. cii UploadMedicalFile):
   * one part per top-level param; strings, numbers, booleans, bigints as text, bytes
   * (Uint8Array, ArrayBuffer) as `application/octet-stream` parts. 10 MB at most.
   */
  readonly multipart?: boolean | undefined;
  /** POST these bytes as `application/octet-stream`, signed; the params must be empty. 10 MB at most. */
  readonly body?: Uint8Array | undefined;
}

export interface TransportOptions extends Omit<CallOptions, 'signal' | 'idempotent' | 'multipart' | 'body'> {
  /** Service name, e.g. `cvm`; also the signing service. */
  readonly service: string;
  /** API version, e.g. `2017-03-12`. */
  readonly version: string;
  /** Required unless every call uses `auth: 'skip'`. */
  readonly credentials?: CredentialsSource | undefined;
  /** An explicit endpoint, e.g. `http://127.0.0.1:8080` (see resolveEndpoint). */
  readonly endpoint?: string | undefined;
  readonly site?: 'china' | 'intl' | undefined;
  readonly regionPinned?: boolean | undefined;
  /** How requests are sent. Default: the Node sender on Node, fetch elsewhere. */
  readonly sender?: Sender | undefined;
  /** Send with this fetch (a proxy-aware one, a test double). Ignored when `sender` is given. */
  readonly fetch?: typeof fetch | undefined;
  /** Wrap every call, outermost first. */
  readonly middleware?: readonly Middleware[] | undefined;
  readonly logger?: Logger | undefined;
  /** Service error catalogs for ApiError category, retryability and hints. */
  readonly catalogs?: readonly ErrorCatalog[] | undefined;
  /** Language of ApiError hints. Default: `language`, else en-US. */
  readonly locale?: Locale | undefined;
  /** How integers beyond 2^53 - 1 come back. Default `bigint`. */
  readonly integers?: IntegerMode | undefined;
  /** Refuse response bodies larger than this. Default 64 MiB. */
  readonly maxResponseBytes?: number | undefined;
  /** Refuse one event of a stream larger than this many bytes. Default 32 MiB (see @x/envelope). */
  readonly maxEventBytes?: number | undefined;
  /** The retry budget: shared by all calls of this transport. `false` disables it. */
  readonly budget?: RetryBudget | RetryBudgetOptions | false | undefined;
  /**
   * Which actions are idempotent (retried after a timeout, a reset or a 5xx page). Default
   * `isReadAction`: names starting with Describe, Get, List, Inquiry, Inquire, Query or Search
   * (calls with a non-empty ClientToken too, whatever this says). Your function replaces the
   * default: `() => false` opts out, `(action) => isReadAction(action) || action === 'X'` extends it.
   */
  readonly idempotent?: ((action: string, params: Readonly<Record<string, unknown>>) => boolean) | undefined;
  /** Fill an empty `ClientToken` param with a UUID, making the call idempotent. Default false. */
  readonly autoClientToken?: boolean | undefined;
  /** Sign `UNSIGNED-PAYLOAD` instead of the body. */
  readonly unsignedPayload?: boolean | undefined;
  /** The clock (ms). Injectable for tests; corrected by the server's Date on SignatureExpire. */
  readonly now?: (() => number) | undefined;
  /** Jitter source in [0, 1). */
  readonly random?: (() => number) | undefined;
  /** How to wait between attempts. */
  readonly sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
}

/** One call as middleware sees it. */
export interface CallRequest {
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly options: CallOptions;
}

/** A successful call: the Response object and how it was obtained. */
export interface CallResult<T = Record<string, unknown>> {
  readonly data: ResponseData<T>;
  readonly requestId: string;
  readonly httpStatus: number;
  /** HTTP attempts made (1 without retries). */
  readonly attempts: number;
  /** Total ms waited between attempts. */
  readonly retryDelayMs: number;
}

/** A started stream: events arrive as the server sends them. */
export interface StreamResult<T = unknown> {
  readonly requestId: string;
  readonly httpStatus: number;
  readonly attempts: number;
  readonly retryDelayMs: number;
  /** Iterate once; leaving the loop early releases the connection. */
  readonly events: AsyncIterableIterator<ServerSentEvent<T>>;
  /** False when the server answered with one plain envelope (e.g. `Stream: false`), which `events` yields as its only event. */
  readonly isEventStream: boolean;
}

export type CallHandler = (call: CallRequest, context: CallContext) => Promise<CallResult>;
/** `(next) => (call, context) => Promise<result>`: array order, outermost first. */
export type Middleware = (next: CallHandler) => CallHandler;

export interface Transport {
  call<T = Record<string, unknown>>(action: string, params?: Readonly<Record<string, unknown>>, options?: CallOptions): Promise<CallResult<T>>;
  stream<T = unknown>(action: string, params?: Readonly<Record<string, unknown>>, options?: CallOptions): Promise<StreamResult<T>>;
  /** The clock correction learnt from the server (ms), 0 until a SignatureExpire. */
  readonly clockOffsetMs: number;
  readonly budget: RetryBudget | undefined;
  /** Releases kept-alive connections. */
  close(): void;
}

export interface TransportDeps {
  readonly signTc3: SignTc3;
  readonly defaultSender: (options: TransportOptions) => Sender & { close?(): void };
}

const DEFAULT_ATTEMPT_MS = 30_000;
const DEFAULT_TOTAL_MS = 90_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

function positive(value: number | undefined, fallback: number, argument: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`must be a positive number of milliseconds, got ${String(value)} (there is no "no timeout")`, { argument });
  }
  // Timers cannot wait longer than 2^31 - 1 ms: a larger value would fire at once.
  if (value > MAX_TIMER_MS) throw new UsageError(`must be at most ${MAX_TIMER_MS} ms (about 24.8 days), got ${value}`, { argument });
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Builds a transport on the given signer and default sender (the entries pick them). */
export function makeCreateTransport(deps: TransportDeps) {
  return function createTransport(options: TransportOptions): Transport {
    if (!isRecord(options)) throw new UsageError('must be an options object', { argument: 'options' });
    const endpoint = resolveEndpoint(options); // validates service, region, site, endpoint up front
    if (typeof options.version !== 'string') throw new UsageError('is required, e.g. "2017-03-12"', { argument: 'version' });
    const sender = options.sender ?? deps.defaultSender(options);
    const now = options.now ?? Date.now;
    const random = options.random ?? Math.random;
    const wait = options.sleep ?? defaultSleep;
    const budget = options.budget === false ? undefined : options.budget instanceof RetryBudget ? options.budget : new RetryBudget(options.budget ?? {});
    const logger = options.logger;
    let clockOffsetMs = 0;

    const idempotentAction = options.idempotent ?? isReadAction;

    /** Asks the source, inside the attempt: stops waiting when `signal` aborts, whatever the provider does. */
    const credentialsOf = async (signal: AbortSignal, context: CallContext): Promise<CredentialsLike> => {
      const source = options.credentials;
      if (source === undefined) throw new UsageError('are required to sign requests (or call with auth: "skip")', { argument: 'credentials' });
      let creds: CredentialsLike;
      if (typeof source === 'function') {
        try {
          // Called inside the promise chain: a provider that throws synchronously is a rejection too.
          creds = await untilAborted(Promise.resolve().then(() => source({ signal })), signal);
        } catch (err) {
          if (signal.aborted || isTencentCloudError(err)) throw err;
          const provider = source.name || 'credentials provider';
          const reason = err instanceof Error ? err.message : typeof err === 'string' ? err : 'it rejected without an Error';
          throw new CredentialsError({ detail: `The credentials provider ${provider} failed: ${reason}`, tried: [{ provider, reason }], cause: err, ...context });
        }
      } else creds = source;
      if (!isRecord(creds) || typeof creds.secretId !== 'string' || creds.secretId === '' || typeof creds.secretKey !== 'string' || creds.secretKey === '') {
        throw new UsageError('must have a non-empty secretId and secretKey', { argument: 'credentials' });
      }
      return creds;
    };

    /** Runs the attempts of one call until a response worth returning (or an error) comes. */
    async function execute(action: string, rawParams: Readonly<Record<string, unknown>> | undefined, callOptions: CallOptions, stream: boolean) {
      if (rawParams !== undefined && !isRecord(rawParams)) {
        throw new UsageError('must be an object of request parameters', { argument: 'params' });
      }
      let params = rawParams ?? {};
      if (options.autoClientToken && 'ClientToken' in params && (params['ClientToken'] === '' || params['ClientToken'] === undefined)) {
        params = { ...params, ClientToken: crypto.randomUUID() };
      }
      const region = callOptions.region ?? options.region;
      const callEndpoint =
        region === options.region && callOptions.endpoint === undefined
          ? endpoint
          : resolveEndpoint({ ...options, region, endpoint: callOptions.endpoint ?? options.endpoint });
      const context: CallContext = { service: options.service, version: options.version, action, region };
      const attemptMs = positive(callOptions.timeoutMs ?? options.timeoutMs, DEFAULT_ATTEMPT_MS, 'timeoutMs');
      const totalMs = positive(callOptions.totalTimeoutMs ?? options.totalTimeoutMs, DEFAULT_TOTAL_MS, 'totalTimeoutMs');
      const retry = callOptions.retry ?? options.retry;
      const maxAttempts = retry === false ? 1 : Math.max(1, retry?.maxAttempts ?? 3);
      const clientToken = params['ClientToken'];
      const idempotent = callOptions.idempotent ?? ((typeof clientToken === 'string' && clientToken !== '') || idempotentAction(action, params));
      const language = callOptions.language ?? options.language;
      const locale = options.locale ?? (language === 'zh-CN' ? 'zh-CN' : 'en-US');
      const auth = callOptions.auth ?? options.auth ?? 'tc3';

      // Wall-clock deadline for timers; `deadline` (injected clock) for retry decisions.
      const totalEnds = Date.now() + totalMs;
      const deadline = now() + totalMs;
      const user = callOptions.signal;
      let attempts = 0;
      let retryDelayMs = 0;
      let skewCorrected = false;
      const secrets: (string | undefined)[] = [];
      for (;;) {
        attempts++;
        // One controller and one timer per attempt (cheaper than AbortSignal.any on every call):
        // the timer fires at whichever deadline comes first, the user's signal is forwarded.
        const controller = new AbortController();
        // A sender that offers `onAbort` is told directly: no listener on the signal per request.
        let senderAbort: ((reason: unknown) => void) | undefined;
        const abort = (reason: unknown) => {
          controller.abort(reason);
          senderAbort?.(reason);
        };
        const remaining = totalEnds - Date.now();
        const attemptFirst = attemptMs < remaining;
        // What the attempt is doing, for the TimeoutError: nothing has reached the server before `sending`.
        let phase: 'credentials' | 'signing' | 'sending' = 'signing';
        const timer = setTimeout(() => {
          const sent = phase === 'sending';
          const waitingFor = phase === 'credentials' ? 'credentials' : undefined;
          abort(
            new TimeoutError({
              scope: attemptFirst ? 'attempt' : 'total',
              timeoutMs: attemptFirst ? attemptMs : totalMs,
              mayHaveReachedServer: sent,
              waitingFor,
              ...context,
            }),
          );
        }, Math.max(0, attemptFirst ? attemptMs : remaining));
        const onUserAbort = () => abort(user?.reason);
        let keepUserListener = false;
        user?.addEventListener('abort', onUserAbort, { once: true });
        const signal = controller.signal;
        try {
          user?.throwIfAborted();
          phase = 'credentials';
          const creds = auth === 'skip' ? undefined : await credentialsOf(signal, context);
          phase = 'signing';
          secrets.push(creds?.secretKey, creds?.token);
          const timestamp = Math.floor((now() + clockOffsetMs) / 1000);
          const built = buildRequest({
            endpoint: callEndpoint,
            action,
            version: options.version,
            params,
            region,
            language,
            method: callOptions.method ?? options.method,
            timestamp,
            token: creds?.token,
            unsignedPayload: options.unsignedPayload,
            headers: { ...options.headers, ...callOptions.headers },
            multipart: callOptions.multipart,
            body: callOptions.body,
          });
          const authorization =
            creds === undefined
              ? 'SKIP'
              : (
                  await deps.signTc3({
                    method: built.method,
                    host: built.host,
                    query: built.query,
                    contentType: built.contentType,
                    payload: built.body,
                    headers: { 'X-TC-Action': action },
                    service: options.service,
                    timestamp,
                    secretId: creds.secretId,
                    secretKey: creds.secretKey,
                    unsignedPayload: options.unsignedPayload,
                  })
                ).authorization;
          const headers = { ...built.headers, Authorization: authorization };
          logger?.debug?.(logLine(`→ ${built.method} ${callEndpoint.origin} ${options.service}:${action} attempt ${attempts}`, headers, secrets));
          const started = now();
          phase = 'sending';
          const response = await sender({
            method: built.method,
            url: built.url,
            headers,
            body: built.body,
            signal,
            onAbort: (cancel) => {
              senderAbort = cancel;
            },
          });
          const contentType = response.headers.get('content-type') ?? '';
          if (stream && /^\s*text\/event-stream/i.test(contentType)) {
            const requestId = response.headers.get('x-tc-requestid') ?? '';
            logger?.debug?.(logLine(`← ${response.status} event stream RequestId ${requestId} in ${now() - started} ms`, undefined, secrets));
            budget?.succeeded();
            // The caller's signal must still cancel the stream: keep forwarding it until the
            // events are done (stream() releases it).
            keepUserListener = true;
            const release = () => user?.removeEventListener('abort', onUserAbort);
            return { kind: 'stream' as const, response, requestId, attempts, retryDelayMs, context, locale, release };
          }
          // With the signal: a sender ends the body when the attempt is aborted, but chunks it had
          // already received would still be read (a 32 MiB body kept a call past its 1 s timeout);
          // the reader stops at the next chunk instead, and the catch below reports the reason.
          const result = await readEnvelope(response, {
            signal,
            context,
            catalogs: options.catalogs,
            locale,
            integers: options.integers,
            maxBytes: options.maxResponseBytes,
          });
          logger?.debug?.(
            logLine(
              `← ${response.status} ${result.ok ? 'ok' : result.error.code} RequestId ${result.requestId} in ${now() - started} ms`,
              undefined,
              secrets,
            ),
          );
          if (result.ok) {
            budget?.succeeded();
            return { kind: 'data' as const, result, httpStatus: response.status, attempts, retryDelayMs };
          }
          if (isApiError(result.error, 'AuthFailure.SignatureExpire') && !skewCorrected) {
            const serverTime = Date.parse(response.headers.get('date') ?? '');
            if (Number.isFinite(serverTime)) {
              // The server clock is the truth: keep the offset for every later request too,
              // and sign again once (unless retries are off: then only later calls benefit).
              skewCorrected = true;
              clockOffsetMs = serverTime - now();
              logger?.warn?.(`${options.service}:${action}: signature expired; clock corrected by ${clockOffsetMs} ms`);
              if (maxAttempts > 1) continue;
            }
          }
          throw result.error;
        } catch (caught) {
          let err = caught;
          if (user?.aborted) throw user.reason;
          // An aborted attempt surfaces as whatever broke (the request, the body): report why it
          // was aborted, the TimeoutError.
          if (signal.aborted) err = signal.reason;
          const decision = retryDecision(err, idempotent);
          const base = decision.retry && decision.throttled ? (retry ? retry.throttlingBaseDelayMs : undefined) ?? 500 : (retry ? retry.baseDelayMs : undefined) ?? 100;
          const delay = decision.retry ? backoffDelay(attempts, base, (retry ? retry.maxDelayMs : undefined) ?? 10_000, random) : 0;
          const canRetry =
            decision.retry && attempts < maxAttempts && now() + delay < deadline && (budget === undefined || budget.take(decision.cost));
          if (!canRetry) {
            // An attempt timer that fired late (a busy event loop) may end the call past its
            // total deadline: that call timed out as a whole, whichever timer noticed first.
            if (decision.retry && attempts < maxAttempts && now() >= deadline && isTimeoutError(err) && err.scope === 'attempt') {
              const late = err;
              err = new TimeoutError({ scope: 'total', timeoutMs: totalMs, mayHaveReachedServer: late.mayHaveReachedServer, cause: late, ...context });
            }
            if (brandOf(err) === 'credentials') {
              // A cached provider may hand one error to many concurrent calls: count, but do not
              // stamp one call's action on it.
              (err as CredentialsError).attempts = attempts;
              (err as CredentialsError).retryDelayMs = retryDelayMs;
            } else if (isTencentCloudError(err)) {
              // An error made by an older copy of @x/errors may not have recordCall.
              if (typeof err.recordCall === 'function') err.recordCall(context, attempts, retryDelayMs);
              else Object.assign(err, { attempts, retryDelayMs });
            }
            throw err;
          }
          logger?.warn?.(`${options.service}:${action}: attempt ${attempts} failed (${decision.reason}); retrying in ${delay} ms`);
          await wait(delay, user).catch(() => {
            throw user?.reason;
          });
          retryDelayMs += delay;
        } finally {
          // A stream is past its attempt deadline once its headers came; the total deadline
          // ends with execute() too, so a long stream is bounded only by the caller's signal.
          clearTimeout(timer);
          if (!keepUserListener) user?.removeEventListener('abort', onUserAbort);
        }
      }
    }

    const core: CallHandler = async (call) => {
      const outcome = await execute(call.action, call.params, call.options, false);
      if (outcome.kind !== 'data') throw new UsageError('the action answered an event stream: use stream()', { argument: 'action' });
      return { data: outcome.result.data, requestId: outcome.result.requestId, httpStatus: outcome.httpStatus, attempts: outcome.attempts, retryDelayMs: outcome.retryDelayMs };
    };
    const handler = (options.middleware ?? []).reduceRight<CallHandler>((next, middleware) => middleware(next), core);

    return {
      async call<T>(action: string, params?: Readonly<Record<string, unknown>>, callOptions: CallOptions = {}) {
        const context: CallContext = { service: options.service, version: options.version, action, region: callOptions.region ?? options.region };
        return (await handler({ action, params: params ?? {}, options: callOptions }, context)) as CallResult<T>;
      },
      async stream<T>(action: string, params?: Readonly<Record<string, unknown>>, callOptions: CallOptions = {}): Promise<StreamResult<T>> {
        const outcome = await execute(action, params, callOptions, true);
        if (outcome.kind === 'data') {
          // The server answered with a plain envelope (e.g. Stream: false): one event.
          const single = (async function* () {
            yield { data: outcome.result.data as unknown as T };
          })();
          return {
            requestId: outcome.result.requestId,
            httpStatus: outcome.httpStatus,
            attempts: outcome.attempts,
            retryDelayMs: outcome.retryDelayMs,
            events: single,
            isEventStream: false,
          };
        }
        const body = outcome.response.body ?? emptyBody();
        const parsed = parseEventStream<T>(body, {
          headers: outcome.response.headers,
          context: outcome.context,
          catalogs: options.catalogs,
          locale: outcome.locale,
          integers: options.integers,
          maxEventBytes: options.maxEventBytes,
        });
        const { release } = outcome;
        const user = callOptions.signal;
        const events = (async function* () {
          try {
            yield* parsed;
          } catch (err) {
            // Aborting mid-stream breaks the connection; report the caller's own reason.
            if (user?.aborted) throw user.reason;
            throw err;
          } finally {
            release();
          }
        })();
        return { requestId: outcome.requestId, httpStatus: outcome.response.status, attempts: outcome.attempts, retryDelayMs: outcome.retryDelayMs, events, isEventStream: true };
      },
      get clockOffsetMs() {
        return clockOffsetMs;
      },
      budget,
      close() {
        (sender as { close?: () => void }).close?.();
      },
    };
  };
}

async function* emptyBody(): AsyncGenerator<Uint8Array> {}

export type { ResponseLike };
