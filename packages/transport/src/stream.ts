import type { ServerSentEvent } from '@x/envelope';
import type { CallResult, StreamResult } from './call';
import { eventsOf } from './decode';
import type { Answer } from './execute';
import type { ResolvedCall } from './resolve-call';

/** The StreamResult of a stream() call's answer: its events, or the one envelope the server answered with. */
export function streamResult<T>(answer: Answer, call: ResolvedCall): StreamResult<T> {
  if (!('response' in answer)) return singleEvent<T>(answer);
  const { response, attempt } = answer;
  const user = call.signal;
  const parsed = eventsOf<T>(response, call.decode, user);
  const events = (async function* () {
    try {
      yield* parsed;
    } catch (err) {
      // Aborting mid-stream breaks the connection; report the caller's own reason.
      if (user?.aborted) throw user.reason;
      throw err;
    } finally {
      attempt.release();
    }
  })();
  return {
    requestId: answer.requestId,
    httpStatus: response.status,
    attempts: answer.attempts,
    retryDelayMs: answer.retryDelayMs,
    events,
    isEventStream: true,
  };
}

/** The server answered with a plain envelope (e.g. `Stream: false`): one event. */
function singleEvent<T>(result: CallResult): StreamResult<T> {
  const events = (async function* (): AsyncGenerator<ServerSentEvent<T>> {
    yield { data: result.data as unknown as T };
  })();
  return {
    requestId: result.requestId,
    httpStatus: result.httpStatus,
    attempts: result.attempts,
    retryDelayMs: result.retryDelayMs,
    events,
    isEventStream: false,
  };
}
