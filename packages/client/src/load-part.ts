import { NetworkError } from '@x/errors';

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
