import { UsageError, type CallContext, type Locale } from '@x/errors';
import type { HttpMethod } from './build-request';
import type { CallRequest } from './call';
import { decodeSettings, withField, type DecodeSettings } from './decode';
import { timeoutMs, type AttemptLimits } from './deadline';
import { resolveEndpoint, type Endpoint } from './endpoint';
import { DEFAULT_TIMEOUT_MS, DEFAULT_TOTAL_TIMEOUT_MS, type TransportOptions } from './options';
import { resolveRetry, type RetryOptions } from './retry';

/** What the transport settles once when it is created. */
export interface TransportSettings {
  readonly options: TransportOptions;
  /** The endpoint of calls that name no region or endpoint of their own. */
  readonly endpoint: Endpoint;
  readonly retry: Required<RetryOptions>;
  readonly idempotent: (action: string, params: Readonly<Record<string, unknown>>) => boolean;
}

/** One call with every option and default resolved: what its attempts run on. */
export interface ResolvedCall extends AttemptLimits {
  readonly request: CallRequest;
  readonly params: Readonly<Record<string, unknown>>;
  readonly endpoint: Endpoint;
  readonly retry: Required<RetryOptions>;
  readonly idempotent: boolean;
  readonly language: Locale | undefined;
  readonly auth: 'tc3' | 'skip';
  readonly method: HttpMethod | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly decode: DecodeSettings;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The params as sent: checked, with an empty ClientToken filled when `autoClientToken` asks. */
function paramsOf(raw: unknown, autoClientToken: boolean | undefined): Readonly<Record<string, unknown>> {
  if (raw === undefined) return {};
  if (!isRecord(raw)) throw new UsageError('must be an object of request parameters', { argument: 'params' });
  if (autoClientToken && 'ClientToken' in raw && (raw['ClientToken'] === '' || raw['ClientToken'] === undefined)) {
    return withField(raw, 'ClientToken', crypto.randomUUID());
  }
  return raw;
}

/** Resolves a request against the transport's options; throws a UsageError for a bad option. */
export function resolveCall(settings: TransportSettings, request: CallRequest, context: CallContext): ResolvedCall {
  const { options } = settings;
  const call = request.options;
  const params = paramsOf(request.params, options.autoClientToken);
  const region = context.region;
  const endpoint =
    region === options.region && call.endpoint === undefined
      ? settings.endpoint
      : resolveEndpoint(Object.assign({}, options, { region, endpoint: call.endpoint ?? options.endpoint }));
  const clientToken = params['ClientToken'];
  const language = call.language ?? options.language;
  return {
    request,
    params,
    endpoint,
    context,
    signal: call.signal,
    attemptMs: timeoutMs(call.timeoutMs ?? options.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs'),
    totalMs: timeoutMs(call.totalTimeoutMs ?? options.totalTimeoutMs, DEFAULT_TOTAL_TIMEOUT_MS, 'totalTimeoutMs'),
    retry: call.retry === undefined ? settings.retry : resolveRetry(call.retry),
    idempotent:
      call.idempotent ??
      ((typeof clientToken === 'string' && clientToken !== '') || settings.idempotent(request.action, params)),
    language,
    auth: call.auth ?? options.auth ?? 'tc3',
    method: call.method ?? options.method,
    headers: call.headers === undefined ? options.headers : Object.assign({}, options.headers, call.headers),
    decode: decodeSettings(options, context, language),
  };
}
