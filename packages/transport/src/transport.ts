import { UsageError, type CallContext } from '@x/errors';
import { makeSigner, plainHeaders } from './sign-request';
import {
  composeMiddleware,
  type CallHandler,
  type CallKind,
  type CallRequest,
  type CallResult,
  type ResultOf,
  type StreamResult,
  type Transport,
} from './call';
import { resolveEndpoint } from './endpoint';
import { execute, type CallDeps } from './execute';
import type { CallOptions, TransportOptions } from './options';
import { resolveCall, type ResolvedCall, type TransportSettings } from './resolve-call';
import { RetryBudget, isReadAction, resolveRetry } from './retry';
import type { Sender } from './sender';
import { sleep } from './signals';
import { streamResult } from './stream';
import type { SignTc3 } from './tc3';

export interface TransportDeps {
  readonly signTc3: SignTc3;
  readonly defaultSender: (options: TransportOptions) => Sender & { close?(): void };
}

function budgetOf(budget: TransportOptions['budget']): RetryBudget | undefined {
  if (budget === false) return undefined;
  return budget instanceof RetryBudget ? budget : new RetryBudget(budget ?? {});
}

/** What every call of a transport shares, checked once. */
function settle(
  deps: TransportDeps,
  options: TransportOptions,
): { settings: TransportSettings; callDeps: CallDeps; sender: Sender } {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    throw new UsageError('must be an options object', { argument: 'options' });
  const endpoint = resolveEndpoint(options); // validates service, region, site, endpoint up front
  if (typeof options.version !== 'string')
    throw new UsageError('is required, e.g. "2017-03-12"', { argument: 'version' });
  const sender = options.sender ?? deps.defaultSender(options);
  const settings: TransportSettings = {
    options,
    endpoint,
    retry: resolveRetry(options.retry),
    idempotent: options.idempotent ?? isReadAction,
  };
  const callDeps: CallDeps = {
    service: options.service,
    version: options.version,
    credentials: options.credentials,
    unsignedPayload: options.unsignedPayload,
    // The transport hands its headers to the sender only: a plain object, no print guard.
    signRequest: makeSigner(deps.signTc3, plainHeaders),
    sender,
    logger: options.logger,
    now: options.now === undefined ? Date.now : checkedClock(options.now),
    clockOffsetMs: 0,
    budget: budgetOf(options.budget),
    random: options.random ?? Math.random,
    wait: options.sleep ?? sleep,
  };
  return { settings, callDeps, sender };
}

/** Builds a transport on the given signer and default sender (the entries pick them). */
/**
 * A `now` option that answers a number each time, or a UsageError naming it: the call's deadline,
 * its retries and its signature are computed from it, and a bigint or a string would fail there
 * with a bare TypeError. (Whether the time can be signed is checked where it is: attempt.ts.)
 */
function checkedClock(now: () => number): () => number {
  return () => {
    const time: unknown = now();
    if (typeof time !== 'number' || Number.isNaN(time))
      throw new UsageError(`must return milliseconds since the epoch, got ${String(time)}`, { argument: 'now' });
    return time;
  };
}

export function makeCreateTransport(deps: TransportDeps) {
  return function createTransport(options: TransportOptions): Transport {
    const { settings, callDeps, sender } = settle(deps, options);
    // The core under the middleware: resolve the request, run its attempts, shape the result.
    // Not async: each async layer costs a promise and a turn per call (bench/README.md).
    const core: CallHandler = <Kind extends CallKind>(request: CallRequest<Kind>, context: CallContext) => {
      let call: ResolvedCall;
      try {
        call = resolveCall(settings, request, context);
      } catch (err) {
        return Promise.reject(err as Error);
      }
      const answer = execute(callDeps, call);
      // Only a stream request opens an event stream (a call reads one as an EnvelopeError).
      return (request.kind === 'stream' ? answer.then((found) => streamResult(found, call)) : answer) as Promise<
        ResultOf<Kind>
      >;
    };
    const handler = composeMiddleware(core, options.middleware ?? [], options.region);
    const run = <Kind extends CallKind>(
      kind: Kind,
      action: string,
      params: Readonly<Record<string, unknown>> | undefined,
      callOptions: CallOptions,
    ): Promise<ResultOf<Kind>> => {
      try {
        const context: CallContext = {
          service: options.service,
          version: options.version,
          action,
          region: callOptions.region ?? options.region,
        };
        return handler({ kind, action, params: params ?? {}, options: callOptions }, context);
      } catch (err) {
        // A middleware that throws instead of rejecting still fails the call as a rejection.
        return Promise.reject(err as Error);
      }
    };
    return {
      call<T>(action: string, params?: Readonly<Record<string, unknown>>, callOptions: CallOptions = {}) {
        return run('call', action, params, callOptions) as Promise<CallResult<T>>;
      },
      stream<T>(action: string, params?: Readonly<Record<string, unknown>>, callOptions: CallOptions = {}) {
        return run('stream', action, params, callOptions) as Promise<StreamResult<T>>;
      },
      get clockOffsetMs() {
        return callDeps.clockOffsetMs;
      },
      budget: callDeps.budget,
      close() {
        (sender as { close?: () => void }).close?.();
      },
    };
  };
}
