import { isApiError, UsageError, type ErrorCatalog, type Locale } from '@x/errors';
import { defaultCredentials, toProvider, type CredentialsInput } from '@x/credentials';
import {
  createTransport,
  type CallOptions as TransportCallOptions,
  type Logger,
  type Middleware,
  type RetryBudget,
  type RetryBudgetOptions,
  type RetryOptions,
  type Sender,
  type Transport,
} from '@x/transport';
import type { ServerSentEvent } from '@x/envelope';
import type { ActionName, ApiShape, ArrayFieldOf, EventOf, InputOf, ItemOf, OutputOf, UntypedApi } from './api';
import { paginateItems } from './paginate';

/** Per-attempt timeout in ms, or both deadlines. */
export type TimeoutOption = number | { readonly attemptMs?: number; readonly totalMs?: number };

/** Options of {@link createClient}: the service and version to call, and how. */
export interface ClientOptions {
  /** Service name, e.g. `cvm`. */
  readonly service: string;
  /** API version, e.g. `2017-03-12`. */
  readonly version: string;
  readonly region?: string;
  /** A provider or `{ secretId, secretKey, token? }`. Default: env → profile file → instance role. */
  readonly credentials?: CredentialsInput;
  /** An explicit endpoint, e.g. the emulator's URL. */
  readonly endpoint?: string;
  readonly site?: 'china' | 'intl';
  readonly regionPinned?: boolean;
  /** Language of error messages (`X-TC-Language`) and of hints. */
  readonly language?: 'zh-CN' | 'en-US';
  /** Default 30 s per attempt, 90 s in all. */
  readonly timeout?: TimeoutOption;
  /** Retry settings, or `false`. Default 3 attempts with full-jitter backoff. */
  readonly retry?: RetryOptions | false;
  readonly budget?: RetryBudget | RetryBudgetOptions | false;
  readonly middleware?: readonly Middleware[];
  /** Send with this fetch (proxies, tests). */
  readonly fetch?: typeof fetch;
  readonly sender?: Sender;
  readonly logger?: Logger;
  /** Service error catalogs: better categories and hints for service-specific codes. */
  readonly catalogs?: readonly ErrorCatalog[];
  /** How integers beyond 2^53 - 1 come back. Default `bigint`. */
  readonly integers?: 'bigint' | 'string' | 'number';
  /**
   * Which actions are safe to repeat after a timeout, a reset or a 5xx page. Default: read actions
   * (Describe, Get, List, Inquiry, Inquire, Query, Search: `isReadAction` of @x/transport) and calls
   * with a ClientToken; `() => false` opts out (per call: `idempotent: false`).
   */
  readonly idempotent?: (action: string, params: Readonly<Record<string, unknown>>) => boolean;
  /** Fill an empty ClientToken param with a UUID. */
  readonly autoClientToken?: boolean;
  /** The clock (ms), for tests. */
  readonly now?: () => number;
}

/** What one call may override. */
export interface CallOptions {
  readonly region?: string;
  readonly timeout?: TimeoutOption;
  readonly retry?: RetryOptions | false;
  readonly signal?: AbortSignal;
  readonly language?: 'zh-CN' | 'en-US';
  readonly headers?: Readonly<Record<string, string>>;
  readonly idempotent?: boolean;
  readonly method?: 'POST' | 'GET';
}

/** What a dry run tells. */
export type DryRunResult =
  /** The server answered DryRunOperation: the request would have succeeded. */
  | { readonly dryRun: 'would-succeed'; readonly requestId: string }
  /** The action ignored DryRun and ran for real: `data` is its result. */
  | { readonly dryRun: 'not-supported'; readonly requestId: string; readonly data: Record<string, unknown> };

/** A started stream of events; iterate it once. */
export interface EventStream<Event> extends AsyncIterable<Event> {
  readonly requestId: string;
}

/** A client for one service and version; `Api` types its actions (see `CvmApi`). */
export interface Client<Api extends ApiShape = UntypedApi> {
  /** Calls an action: resolves to its Response object (RequestId included) or throws a typed error. */
  call<Action extends ActionName<Api>>(action: Action, params?: InputOf<Api, Action>, options?: CallOptions): Promise<OutputOf<Api, Action>>;
  /** Sends `DryRun: true`: resolves to `{ dryRun: 'would-succeed' }` on DryRunOperation; other errors throw. */
  dryRun<Action extends ActionName<Api>>(action: Action, params?: InputOf<Api, Action>, options?: CallOptions): Promise<DryRunResult>;
  /** Iterates the items of an Offset/Limit/TotalCount listing across pages. */
  paginate<Action extends ActionName<Api>, Field extends ArrayFieldOf<Api, Action>>(
    action: Action,
    params: InputOf<Api, Action> | undefined,
    options: { readonly items: Field; readonly pageSize?: number } & CallOptions,
  ): AsyncIterable<ItemOf<Api, Action, Field>>;
  /** Starts a streaming (SSE) action; errors before the stream throw here, before the first event. */
  stream<Action extends ActionName<Api>>(action: Action, params?: InputOf<Api, Action>, options?: CallOptions): Promise<EventStream<EventOf<Api, Action>>>;
  /** The transport underneath, for what the facade does not cover. */
  readonly transport: Transport;
  /** Releases kept-alive connections. */
  close(): void;
}

function timeoutOptions(timeout: TimeoutOption | undefined): Pick<TransportCallOptions, 'timeoutMs' | 'totalTimeoutMs'> {
  if (timeout === undefined) return {};
  if (typeof timeout === 'number') return { timeoutMs: timeout };
  const out: { timeoutMs?: number; totalTimeoutMs?: number } = {};
  if (timeout.attemptMs !== undefined) out.timeoutMs = timeout.attemptMs;
  if (timeout.totalMs !== undefined) out.totalTimeoutMs = timeout.totalMs;
  return out;
}

function callOptions(options: CallOptions | undefined): TransportCallOptions {
  if (options === undefined) return {};
  const { timeout, ...rest } = options;
  return { ...rest, ...timeoutOptions(timeout) };
}

/**
 * Creates a client for one service and version.
 *
 * @example
 * const cvm = createClient<CvmApi>({ service: 'cvm', version: '2017-03-12', region: 'ap-guangzhou' });
 * const { TotalCount } = await cvm.call('DescribeInstances', { Limit: 10 });
 */
export function createClient<Api extends ApiShape = UntypedApi>(options: ClientOptions): Client<Api> {
  if (typeof options !== 'object' || options === null) throw new UsageError('must be an options object', { argument: 'createClient(options)' });
  const { credentials, timeout, ...rest } = options;
  const locale: Locale | undefined = options.language;
  const transport = createTransport({
    ...rest,
    ...timeoutOptions(timeout),
    locale,
    // A plain object is validated here, once (empty or space-padded keys are refused up front).
    credentials: credentials === undefined ? defaultCredentials() : toProvider(credentials),
  });

  const call = async (action: string, params: object | undefined, options?: CallOptions) =>
    (await transport.call(action, params as Record<string, unknown> | undefined, callOptions(options))).data;

  return {
    call: call as Client<Api>['call'],
    async dryRun(action, params, options) {
      try {
        const result = await transport.call(action, { ...(params as Record<string, unknown> | undefined), DryRun: true }, callOptions(options));
        return { dryRun: 'not-supported', requestId: result.requestId, data: result.data };
      } catch (err) {
        if (isApiError(err, 'DryRunOperation')) return { dryRun: 'would-succeed', requestId: err.requestId };
        throw err;
      }
    },
    paginate(action, params, options) {
      const { items, pageSize, ...perCall } = options;
      const fetchPage = (pageParams: Record<string, unknown>) => call(action, pageParams, perCall) as Promise<Record<string, unknown>>;
      return paginateItems(fetchPage, (params ?? {}) as Record<string, unknown>, pageSize === undefined ? { items } : { items, pageSize }) as AsyncIterable<never>;
    },
    async stream(action, params, options) {
      const started = await transport.stream(action, params as Record<string, unknown> | undefined, callOptions(options));
      const events = started.events;
      return {
        requestId: started.requestId,
        [Symbol.asyncIterator]: () => {
          const iterator = events[Symbol.asyncIterator]();
          return {
            next: async () => {
              const step = await iterator.next();
              return step.done ? step : { done: false, value: (step.value as ServerSentEvent).data as never };
            },
            return: async () => {
              await iterator.return?.();
              return { done: true, value: undefined };
            },
          };
        },
      };
    },
    transport,
    close: () => transport.close(),
  };
}
