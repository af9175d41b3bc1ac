import type { CallContext } from '@x/errors';
import type { ResponseData, ServerSentEvent } from '@x/envelope';
import type { CallOptions } from './options';
import type { RetryBudget } from './retry';

/** What a request asks for: `call` (one JSON answer) or `stream` (an event stream). */
export type CallKind = 'call' | 'stream';

/** One call or stream as middleware sees it: a middleware may hand `next` a changed copy. */
export interface CallRequest<Kind extends CallKind = CallKind> {
  readonly kind: Kind;
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The call's own options (not the transport's); what a middleware may change. */
  readonly options: CallOptions;
}

/** What every answered call tells besides its data. */
export interface AnswerInfo {
  readonly requestId: string;
  readonly httpStatus: number;
  /** HTTP attempts made (1 without retries). */
  readonly attempts: number;
  /** Total ms waited between attempts. */
  readonly retryDelayMs: number;
}

/** A successful call: the Response object and how it was obtained. */
export interface CallResult<T = Record<string, unknown>> extends AnswerInfo {
  readonly data: ResponseData<T>;
}

/** A started stream: events arrive as the server sends them. */
export interface StreamResult<T = unknown> extends AnswerInfo {
  /** Iterate once; leaving the loop early releases the connection. */
  readonly events: AsyncIterableIterator<ServerSentEvent<T>>;
  /** False when the server answered with one plain envelope (e.g. `Stream: false`), which `events` yields as its only event. */
  readonly isEventStream: boolean;
}

/** The result of a request of that kind. */
export type ResultOf<Kind extends CallKind> = Kind extends 'stream' ? StreamResult : CallResult;

/** Runs one request: `call()` and `stream()` both go through it, middleware included. */
export type CallHandler = <Kind extends CallKind>(
  request: CallRequest<Kind>,
  context: CallContext,
) => Promise<ResultOf<Kind>>;
/** `(next) => (request, context) => next(request, context)`: array order, outermost first. */
export type Middleware = (next: CallHandler) => CallHandler;

export interface Transport {
  call<T = Record<string, unknown>>(
    action: string,
    params?: Readonly<Record<string, unknown>>,
    options?: CallOptions,
  ): Promise<CallResult<T>>;
  stream<T = unknown>(
    action: string,
    params?: Readonly<Record<string, unknown>>,
    options?: CallOptions,
  ): Promise<StreamResult<T>>;
  /** The clock correction learnt from the server (ms), 0 until a SignatureExpire. */
  readonly clockOffsetMs: number;
  readonly budget: RetryBudget | undefined;
  /** Releases kept-alive connections. */
  close(): void;
}

/** The CallContext of a request: `context` itself while it still describes it (no new object per call). */
export function contextFor(request: CallRequest, context: CallContext, defaultRegion: string | undefined): CallContext {
  const region = request.options.region ?? defaultRegion;
  if (context.action === request.action && context.region === region) return context;
  return { service: context.service, version: context.version, action: request.action, region };
}

/**
 * Wraps `core` in the middleware, outermost first. Each `next` handed to a middleware refreshes
 * the context from the request it is given, so a middleware that changes `options.region` (or the
 * action) passes on a context that says so.
 */
export function composeMiddleware(
  core: CallHandler,
  middleware: readonly Middleware[],
  defaultRegion: string | undefined,
): CallHandler {
  let handler = core;
  for (let i = middleware.length - 1; i >= 0; i--) {
    const inner = handler;
    const refreshed: CallHandler = (request, context) => inner(request, contextFor(request, context, defaultRegion));
    handler = middleware[i]!(refreshed);
  }
  return handler;
}
