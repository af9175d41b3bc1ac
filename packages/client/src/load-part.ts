import { NetworkError, TimeoutError, type CallContext } from '@x/errors';
import { DEFAULT_TOTAL_TIMEOUT_MS, untilAborted, type CallOptions as TransportCallOptions } from '@x/transport';

/**
 * A part of @x/client loaded by import() at first use (streams, paging, dry runs, the region
 * breaker: separate chunks in browser bundles). A load that fails (a browser gone offline, a chunk
 * removed by a new deployment) is a NetworkError that names the part, not the loader's own
 * TypeError; nothing was sent. The next use tries again: Node, Bun and Deno load it then; a browser
 * keeps a failed module load until the page reloads (whatwg/html#6768).
 */
export function loadPart<Module>(load: () => Promise<Module>, what: string): Promise<Module> {
  return load().catch((err: unknown) => {
    throw new NetworkError({
      detail: `the code of ${what} could not be loaded (${err instanceof Error ? err.message : String(err)})`,
      mayHaveReachedServer: false,
      cause: err,
    });
  });
}

/** The call a part is loaded for: its options, the client's total deadline and what the call is. */
export interface PartCall {
  readonly options: TransportCallOptions;
  /** The client's `totalTimeoutMs` (the call's own wins). */
  readonly clientTotalMs: number | undefined;
  readonly context: CallContext;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * {@link loadPart} for one call, bounded as the call is: the wait ends with the call's signal (its
 * reason) or after the call's total deadline (a TimeoutError, scope `total`, waiting for the
 * part's code). A load over a stalled network can take minutes in a browser; a call with a
 * deadline must not. The call's own deadlines start when it goes out, once the part is there (a
 * load is bounded on its own rather than taken off the call's total, so that a TimeoutError
 * always names the deadline the caller set).
 */
export function loadForCall<Module>(load: () => Promise<Module>, what: string, call: PartCall): Promise<Module> {
  return withinCall(() => loadPart(load, what), what, call);
}

/** `pending()` (a part being loaded) waited for within the call's deadline and signal; see {@link loadForCall}. */
export function withinCall<Module>(pending: () => Promise<Module>, what: string, call: PartCall): Promise<Module> {
  const { signal } = call.options;
  // Aborted already: nothing is loaded for a call that will not be made.
  if (signal?.aborted) return Promise.reject(signal.reason as unknown);
  const totalMs = call.options.totalTimeoutMs ?? call.clientTotalMs ?? DEFAULT_TOTAL_TIMEOUT_MS;
  const work = signal === undefined ? pending() : untilAborted(pending(), signal);
  // A total the transport refuses is refused by the call itself, after the load: no timer here.
  if (!(typeof totalMs === 'number' && totalMs > 0 && totalMs <= MAX_TIMER_MS)) return work;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const context = call.context;
      reject(
        new TimeoutError({
          scope: 'total',
          timeoutMs: totalMs,
          mayHaveReachedServer: false,
          waitingFor: `the code of ${what}`,
          ...context,
        }),
      );
    }, totalMs);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
