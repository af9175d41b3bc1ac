import { configuredRegion, type ConfiguredRegionReader } from '@x/credentials';
import type { CallOptions as TransportCallOptions } from '@x/transport';

/** Adds the configured region to a call's options when neither the client nor the call has one. */
export type RegionFiller = (options: TransportCallOptions) => Promise<TransportCallOptions>;

/**
 * For a client created without `region`: `TENCENTCLOUD_REGION`, else the profile file's `region`
 * (Node), looked up once at the first call (a failed lookup is tried again at the next). A
 * region given to the client or to the call always wins; with none anywhere, calls go out
 * without one, as before (global actions such as DescribeRegions need none).
 */
export function regionFiller(
  clientRegion: string | undefined,
  read: ConfiguredRegionReader = configuredRegion,
): RegionFiller {
  if (clientRegion !== undefined) return (options) => Promise.resolve(options);
  let pending: Promise<string | undefined> | undefined;
  return async (options) => {
    if (options.region !== undefined) return options;
    pending ??= read().then(
      (found) => found?.region,
      (err: unknown) => {
        pending = undefined;
        throw err;
      },
    );
    const region = await pending;
    return region === undefined ? options : { ...options, region };
  };
}
