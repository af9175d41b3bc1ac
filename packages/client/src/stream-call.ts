import { EnvelopeError, UsageError } from '@x/errors';
import type { StreamResult } from '@x/transport';
import type { ServerSentEvent } from '@x/envelope';
import type { ServiceDescriptor } from './api';
import { callOptions } from './call-options';
import type { CallOptions, ClientOptions, EventStream } from './client';

/**
 * The events of a started stream, as their data. Only an untyped client can get a single JSON
 * answer here (typed ones set the switch): its one event would be a whole answer that a loop over
 * deltas cannot read, so it is refused.
 */
export async function eventStream(
  started: StreamResult,
  client: ClientOptions,
  action: string,
  region: string | undefined,
): Promise<EventStream<never>> {
  if (!started.isEventStream) {
    await started.events.return?.();
    throw new EnvelopeError({
      reason: 'unexpected-content-type',
      detail: `${action} answered with one JSON response, not an event stream: set its streaming param (e.g. Stream: true), or use call()`,
      httpStatus: started.httpStatus,
      requestId: started.requestId,
      service: client.service,
      version: client.version,
      action,
      region: region ?? client.region,
    });
  }
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
}

/**
 * The params and options of a stream() call: the action's switch param set to true where the
 * descriptor names one, its streaming host where it has one; an action the descriptor knows
 * not to stream is refused before anything is sent.
 */
export function streamCall(
  descriptor: ServiceDescriptor,
  client: ClientOptions,
  options: CallOptions | undefined,
  action: string,
  params: object | undefined,
) {
  const perCall = callOptions(options);
  const record = params as Record<string, unknown> | undefined;
  if (descriptor.streaming === undefined) return { params: record, options: perCall };
  if (!Object.prototype.hasOwnProperty.call(descriptor.streaming, action)) {
    throw new UsageError(`${descriptor.service} ${action} does not answer with an event stream: use call()`, {
      argument: 'action',
    });
  }
  const switchParam = descriptor.streaming[action];
  let streamParams = record;
  if (switchParam) {
    if (record?.[switchParam] === false) {
      throw new UsageError(`stream() needs ${switchParam}: true (or leave it out); use call() for a single answer`, {
        argument: `params.${switchParam}`,
      });
    }
    streamParams = { ...record, [switchParam]: true };
  }
  // An explicit endpoint (the emulator, a proxy) and the international site keep their host.
  const host = descriptor.streamHosts?.[action];
  const streamOptions =
    host !== undefined && client.endpoint === undefined && client.site !== 'intl'
      ? { ...perCall, endpoint: `https://${host}` }
      : perCall;
  return { params: streamParams, options: streamOptions };
}
