import { UsageError } from '@x/errors';
import { runtimeEnv, type Environment } from './runtime-env';

/** The variable the official SDKs read for the default region. */
export const ENV_REGION = 'TENCENTCLOUD_REGION';

/** Where a configured region came from, for messages. */
export interface ConfiguredRegion {
  readonly region: string;
  /** `TENCENTCLOUD_REGION`, or `[profile] region (file)`. */
  readonly source: string;
}

/** Options of `configuredRegion`. */
export interface ConfiguredRegionOptions {
  /** Where to read `TENCENTCLOUD_REGION` and `TENCENTCLOUD_PROFILE`. Default `process.env`. */
  readonly env?: Environment;
  /** Read only this profile file (Node). Default: `~/.tencentcloud/credentials`, then `/etc/tencentcloud/credentials`. */
  readonly file?: string;
  /** Profile (section) name. Default: `TENCENTCLOUD_PROFILE`, else `default`. */
  readonly profile?: string;
}

const REGION_SHAPE = /^[a-z]{2,}(-[a-z0-9]+)+$/;

/** Refuses a configured value that is not a region, naming where it came from (not a bad request later). */
export function checkedRegion(region: string, source: string): ConfiguredRegion {
  const trimmed = region.trim();
  if (!REGION_SHAPE.test(trimmed)) {
    throw new UsageError(`must be a region such as "ap-guangzhou", got ${JSON.stringify(region)} from ${source}`, {
      argument: 'region',
    });
  }
  return { region: trimmed, source };
}

/** `TENCENTCLOUD_REGION`, where the runtime has an environment and it is set (an empty value counts as unset). */
export function regionFromEnv(env: Environment | undefined = runtimeEnv()): ConfiguredRegion | undefined {
  const value = env?.[ENV_REGION];
  return value === undefined || value.trim() === '' ? undefined : checkedRegion(value, ENV_REGION);
}

/**
 * The region to use when a client is given none: `TENCENTCLOUD_REGION`, else (Node) the `region`
 * key of the profile's section in the profile file; undefined when neither is set. Runtimes
 * without files (browsers, Workers) read only the environment, and browsers have none.
 */
export type ConfiguredRegionReader = (options?: ConfiguredRegionOptions) => Promise<ConfiguredRegion | undefined>;
