import { isApiError, UsageError, type ApiError } from '@x/errors';
import { defaultCredentials, toProvider, type CredentialsInput } from '@x/credentials';
import {
  createTransport,
  type CallHandler,
  type CallOptions as TransportCallOptions,
  type Middleware,
  type Transport,
  type TransportOptions,
} from '@x/transport';
import type {
  ActionErrorCode,
  ActionName,
  ApiOf,
  ApiShape,
  ArrayFieldOf,
  EventOf,
  InputOf,
  ItemOf,
  OutputOf,
  ServiceDescriptor,
  StreamingActionName,
  UntypedApi,
} from './api';
import { callOptions, withTimeouts } from './call-options';
import { loadForCall, loadPart, withinCall, type PartCall } from './load-part';
import { makePaginator } from './paging';
import { regionFiller } from './region-config';
import type { RegionFailoverOptions } from './region-breaker';
import type { PaginateOptions } from './paginate';
import type { CursorFieldOf, CursorPagedAction, DryRunActionName, OffsetPagedAction, Paginator } from './paging-types';

/** @deprecated Per-attempt timeout in ms, or both deadlines: use `timeoutMs` and `totalTimeoutMs`. */
export type TimeoutOption = number | { readonly attemptMs?: number; readonly totalMs?: number };

/**
 * Options of {@link createClient}: the service and version to call, and how. They are the
 * transport's options (see @x/transport `TransportOptions`: `region`, `language`, `timeoutMs`,
 * `retry`, `middleware`, ...), except that `credentials` also takes any provider of @x/credentials
 * and defaults to the default chain.
 */
export interface ClientOptions extends Omit<TransportOptions, 'credentials' | 'locale'> {
  /** A provider or `{ secretId, secretKey, token? }`. Default: env → profile file → instance role. */
  readonly credentials?: CredentialsInput | undefined;
  /** @deprecated Use `timeoutMs` (per attempt, default 30 s) and `totalTimeoutMs` (default 90 s). */
  readonly timeout?: TimeoutOption | undefined;
  /** Opt-in region failover (the Go/Python SDKs' breaker; see RegionFailoverOptions): `true` for the defaults. */
  readonly regionFailover?: boolean | RegionFailoverOptions | undefined;
}

/** Options of `createClient(service, options)`: everything but the service and version, which the descriptor gives. */
export type ServiceClientOptions = Omit<ClientOptions, 'service' | 'version'>;

/** What one call may override: the transport's call options (see @x/transport `CallOptions`). */
export interface CallOptions extends TransportCallOptions {
  /** @deprecated Use `timeoutMs` and `totalTimeoutMs`. */
  readonly timeout?: TimeoutOption | undefined;
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

/** An {@link ApiError} known to come from one action: its code autocompletes that action's documented codes. */
export type ActionApiError<Api extends ApiShape, Action extends string> = ApiError & {
  readonly code: ActionErrorCode<Api, Action>;
  readonly action: Action;
};

/** A client for one service and version; `Api` types its actions (a map from `@x/services`, e.g. `CvmApi`). */
export interface Client<Api extends ApiShape = UntypedApi> {
  /** Calls an action: resolves to its Response object (RequestId included) or throws a typed error. */
  call<Action extends ActionName<Api>>(
    action: Action,
    params?: InputOf<Api, Action>,
    options?: CallOptions,
  ): Promise<OutputOf<Api, Action>>;
  /** Sends `DryRun: true` to an action that declares it: `{ dryRun: 'would-succeed' }` on DryRunOperation; other errors throw. */
  dryRun<Action extends DryRunActionName<Api>>(
    action: Action,
    params?: InputOf<Api, Action>,
    options?: CallOptions,
  ): Promise<DryRunResult>;
  /** The items of an Offset/Limit/TotalCount listing across pages (`.pages()`: each page with its RequestId; `.toArray()`). */
  paginate<Action extends OffsetPagedAction<Api>, Field extends ArrayFieldOf<Api, Action>>(
    action: Action,
    params: InputOf<Api, Action> | undefined,
    options: { readonly items: Field; readonly pageSize?: number; readonly cursor?: undefined } & CallOptions,
  ): Paginator<ItemOf<Api, Action, Field>, OutputOf<Api, Action>>;
  /** The same for a listing paged by a cursor param (`NextToken`, `Context`, `Cursor`...), named in `cursor`. */
  paginate<Action extends CursorPagedAction<Api>, Field extends ArrayFieldOf<Api, Action>>(
    action: Action,
    params: InputOf<Api, Action> | undefined,
    options: {
      readonly items: Field;
      readonly cursor: CursorFieldOf<Api, Action>;
      readonly pageSize?: number;
    } & CallOptions,
  ): Paginator<ItemOf<Api, Action, Field>, OutputOf<Api, Action>>;
  /**
   * Starts a streaming (SSE) action; errors before the stream throw here, before the first event.
   * Where the service descriptor names the action's switch param (`Stream`), it is set to true.
   */
  stream<Action extends StreamingActionName<Api>>(
    action: Action,
    params?: InputOf<Api, Action>,
    options?: CallOptions,
  ): Promise<EventStream<EventOf<Api, Action>>>;
  /**
   * True when `error` is an ApiError answered to `action` of this service and, when `code` is given,
   * its code is that code or a dotted descendant of it. On a typed client `code` autocompletes the
   * codes the action documents (plus the common codes), and a code it never returns does not compile.
   */
  isError<Action extends ActionName<Api>>(
    error: unknown,
    action: Action,
    code?: ActionErrorCode<Api, Action> | readonly ActionErrorCode<Api, Action>[],
  ): error is ActionApiError<Api, Action>;
  /** The same client without types: for an action newer than the generated maps, with any params. */
  readonly untyped: Client<UntypedApi>;
  /** The transport underneath, for what the facade does not cover. */
  readonly transport: Transport;
  /** Releases kept-alive connections. */
  close(): void;
}

/**
 * Creates a client for one service and version. Pass a descriptor from `@x/services` for typed
 * actions, params, results, events and error codes; or plain options (`service`, `version`) for
 * an untyped client.
 *
 * @example
 * import { cvm } from '@x/services/cvm';
 * const client = createClient(cvm, { region: 'ap-guangzhou' });
 * const { TotalCount } = await client.call('DescribeInstances', { Limit: 10 });
 */
export function createClient<const Descriptor extends ServiceDescriptor>(
  service: Descriptor,
  options?: ServiceClientOptions,
): Client<ApiOf<Descriptor>>;
export function createClient(options: ClientOptions): Client;
export function createClient(first: ServiceDescriptor | ClientOptions, second?: ServiceClientOptions): Client {
  if (typeof first !== 'object' || first === null)
    throw new UsageError('must be a service descriptor or an options object', { argument: 'createClient' });
  if (second !== undefined && (typeof second !== 'object' || second === null))
    throw new UsageError('must be an options object', { argument: 'createClient(service, options)' });
  const descriptor: ServiceDescriptor = first;
  const options: ClientOptions =
    second === undefined ? (first as ClientOptions) : { ...second, service: first.service, version: first.version };
  return makeClient(descriptor, options);
}

function makeClient(descriptor: ServiceDescriptor, clientOptions: ClientOptions): Client {
  const { credentials, regionFailover: failover, ...rest } = withTimeouts(clientOptions);
  const transport = createTransport({
    ...rest,
    // Innermost: your middleware sees the call as made; the breaker sees each call's final outcome.
    middleware: failover
      ? [
          ...(rest.middleware ?? []),
          lazyFailover(clientOptions.service, failover === true ? {} : failover, rest.totalTimeoutMs),
        ]
      : rest.middleware,
    // A plain object is validated here, once (empty or space-padded keys are refused up front).
    credentials: credentials === undefined ? defaultCredentials() : toProvider(credentials),
  });
  const multipart = new Set(descriptor.multipart);
  const partCall = partCallFor(clientOptions, rest.totalTimeoutMs);
  // Without a region: TENCENTCLOUD_REGION or the profile file's, read at the first call.
  const withRegion = regionFiller(clientOptions.region);
  const call = async (action: string, params: object | undefined, options?: CallOptions) => {
    const perCall =
      multipart.has(action) && options?.multipart === undefined ? { ...options, multipart: true } : options;
    return (
      await transport.call(
        action,
        params as Record<string, unknown> | undefined,
        await withRegion(callOptions(perCall)),
      )
    ).data;
  };
  const client: Client<UntypedApi> = {
    call: call as Client<UntypedApi>['call'],
    async dryRun(action, params, options) {
      const perCall = await withRegion(callOptions(options));
      // Its own chunk in browser bundles: loaded by the first dryRun().
      const { dryRunCall } = await loadForCall(() => import('./dry-run'), 'dryRun()', partCall(action, perCall));
      return dryRunCall(transport, descriptor, action, params as object | undefined, perCall);
    },
    paginate(action: string, params: object | undefined, options: PaginateOptions & CallOptions) {
      return makePaginator(descriptor, action, params, options, call, partCall) as never;
    },
    async stream(action, params, options) {
      // Streaming (SSE) code is its own chunk in browser bundles: loaded by the first stream().
      const bounds = partCall(action, callOptions(options));
      const { eventStream, streamCall } = await loadForCall(() => import('./stream-call'), 'stream()', bounds);
      const perCall = streamCall(descriptor, clientOptions, options, action, params as object | undefined);
      const started = await transport.stream(action, perCall.params, await withRegion(perCall.options));
      return eventStream(started, clientOptions, action, perCall.options.region);
    },
    isError(error, action, code): error is never {
      if (!isApiError(error, code as string | readonly string[] | undefined)) return false;
      return error.action === action && (error.service === undefined || error.service === descriptor.service);
    },
    get untyped() {
      return client;
    },
    transport,
    close: () => transport.close(),
  };
  return client;
}

/** What bounds a part loaded for a call of this client: the call's deadline and signal (see loadForCall). */
function partCallFor(client: ClientOptions, clientTotalMs: number | undefined) {
  return (action: string, options: TransportCallOptions): PartCall => ({
    options,
    clientTotalMs,
    context: { service: client.service, version: client.version, action, region: options.region ?? client.region },
  });
}

/**
 * The region breaker, loaded (its own chunk in browser bundles) at the first call of a client
 * that enabled it; bad options are a UsageError of that call. One breaker per client. The call
 * waiting for it waits within its own deadline and signal (see loadForCall).
 */
function lazyFailover(service: string, options: RegionFailoverOptions, clientTotalMs: number | undefined): Middleware {
  let loaded: Promise<Middleware> | undefined;
  return (next) => {
    let handler: Promise<CallHandler> | undefined;
    let ready: CallHandler | undefined;
    return async (call, context) => {
      if (ready !== undefined) return ready(call, context);
      // A failed load (a NetworkError) fails this call; the next call tries again (see loadPart).
      loaded ??= loadPart(() => import('./region-breaker'), 'region failover').then(
        (module) => module.regionFailover(service, options),
        (err: unknown) => {
          loaded = undefined;
          throw err;
        },
      );
      if (handler === undefined) {
        handler = loaded.then(
          (middleware) => middleware(next),
          (err: unknown) => {
            handler = undefined;
            throw err;
          },
        );
        // Each call waiting for it gets its failure; a call that stopped waiting (its signal) leaves it unhandled otherwise.
        handler.catch(() => undefined);
      }
      const pending: Promise<CallHandler> = handler;
      ready = await withinCall(() => pending, 'region failover', { options: call.options, clientTotalMs, context });
      return ready(call, context);
    };
  };
}
