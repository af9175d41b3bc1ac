import { UsageError, type Locale } from '@x/errors';
import { failureOf } from './api-failure';
import type { Caller } from './authenticate';
import { GatewayRefusal, type Gateway, type Say } from './gateway';
import type { IncomingCall } from './read-request';
import type { RoutedCall } from './route-call';
import { STREAM_REPLY, type HandlerContext, type StreamReply } from './types';

/** What a handler answered: a result (RequestId still to add) or a stream of events. */
export type HandlerAnswer = Record<string, unknown> | StreamReply;

/** Whether a handler answered with `ctx.stream(...)`. */
export function isStreamReply(answer: HandlerAnswer): answer is StreamReply {
  return Boolean((answer as StreamReply)[STREAM_REPLY]);
}

/** Everything the handler of a call is told besides its params. */
export interface CallFacts {
  readonly call: IncomingCall;
  readonly caller: Caller;
  readonly routed: RoutedCall;
  readonly requestId: string;
  readonly language: Locale;
}

/**
 * Runs a call's handler. A thrown `{ code, message }` becomes that error; anything else thrown,
 * or an answer that is not an object, becomes InternalError; nothing becomes `{}`.
 */
export async function callHandler(facts: CallFacts, gateway: Gateway, say: Say): Promise<HandlerAnswer> {
  const { routed, call } = facts;
  let result: HandlerAnswer | void;
  try {
    result = await routed.handler(routed.params, handlerContext(facts, gateway));
  } catch (thrown) {
    const failure = failureOf(thrown);
    if (!failure) throw new GatewayRefusal('InternalError', say('The handler failed.', '内部错误。'));
    throw new GatewayRefusal(failure.code, failure.message);
  }
  if (result === undefined || result === null) return {};
  if (typeof result !== 'object' || Array.isArray(result)) {
    const what = Array.isArray(result) ? 'array' : typeof result;
    const message = say(
      `The handler of ${call.action} answered ${Array.isArray(result) ? 'an array' : what}, not an object.`,
      `接口 ${call.action} 的处理函数返回了 ${what}，而不是对象。`,
    );
    throw new GatewayRefusal('InternalError', message);
  }
  return result;
}

function handlerContext({ call, caller, routed, requestId, language }: CallFacts, gateway: Gateway): HandlerContext {
  const { service } = routed;
  const { version, action, region } = call;
  return {
    service,
    version,
    action,
    region,
    language,
    requestId,
    secretId: caller.secretId,
    body: call.rawBody,
    now: () => gateway.now(service, action),
    stream: (events): StreamReply => {
      const iterable =
        typeof events === 'object' && events !== null && (Symbol.asyncIterator in events || Symbol.iterator in events);
      if (!iterable)
        throw new UsageError('ctx.stream needs an iterable or async iterable of events', { argument: 'events' });
      return { [STREAM_REPLY]: true, events };
    },
    issueCredentials: gateway.issueCredentials,
  };
}
