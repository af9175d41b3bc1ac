import { NetworkError, type CallContext } from '@x/errors';
import { requestIdFromHeaders, type HeadersLike } from './headers';

/**
 * A part of this package loaded by import() once an answer came (the checks of a failed answer,
 * the exact 64-bit parser, the readers of unusual bodies: separate chunks in browser bundles). A
 * load that fails (a browser gone offline before the part arrived, a chunk removed by a new
 * deployment) is a NetworkError that says so, with the answer's RequestId: never the loader's own
 * TypeError. With a `signal`, the wait ends when it aborts (a load over a stalled network can take
 * minutes; the reader's signal still ends the read): the rejection is the signal's reason.
 */
export function loadPart<Module>(
  load: Promise<Module>,
  context: CallContext | undefined,
  headers: HeadersLike | undefined,
  signal?: AbortSignal | undefined,
): Promise<Module> {
  const loaded = load.catch((err: unknown) => {
    throw new NetworkError({
      detail: `the answer came but the code that reads it could not be loaded (${err instanceof Error ? err.message : String(err)})`,
      mayHaveReachedServer: true,
      requestId: requestIdFromHeaders(headers),
      cause: err,
      ...context,
    });
  });
  return signal === undefined ? loaded : orAbort(loaded, signal);
}

/** `promise`, or a rejection with the signal's reason once it aborts, whichever comes first. */
export function orAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // Nobody waits for the promise any more: its failure must not be an unhandled rejection.
    promise.catch(() => undefined);
    return Promise.reject(signal.reason as unknown);
  }
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(signal.reason as unknown);
    signal.addEventListener('abort', stop, { once: true });
    // The handlers return nothing, so the promise `finally` is chained on never rejects.
    void promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}
