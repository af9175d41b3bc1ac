import { NetworkError, type CallContext } from '@x/errors';
import { requestIdFromHeaders, type HeadersLike } from './headers';

/**
 * A part of this package loaded by import() once an answer came (the checks of a failed answer,
 * the exact 64-bit parser, the readers of unusual bodies: separate chunks in browser bundles). A
 * load that fails (a browser gone offline before the part arrived, a chunk removed by a new
 * deployment) is a NetworkError that says so, with the answer's RequestId: never the loader's own
 * TypeError.
 */
export function loadPart<Module>(
  load: Promise<Module>,
  context: CallContext | undefined,
  headers: HeadersLike | undefined,
): Promise<Module> {
  return load.catch((err: unknown) => {
    throw new NetworkError({
      detail: `the answer came but the code that reads it could not be loaded (${err instanceof Error ? err.message : String(err)})`,
      mayHaveReachedServer: true,
      requestId: requestIdFromHeaders(headers),
      cause: err,
      ...context,
    });
  });
}
