import type { Environment } from './runtime-env';

/** Options of `fromProfile`. */
export interface FromProfileOptions {
  /** Profile (INI section) name. Default: `TENCENTCLOUD_PROFILE`, else `default`. */
  readonly profile?: string;
  /** Read only this file. Default: `~/.tencentcloud/credentials`, then `/etc/tencentcloud/credentials`. */
  readonly file?: string;
  /** Environment for `TENCENTCLOUD_PROFILE` and the home directory. Default `process.env`. */
  readonly env?: Environment;
}

/** The variable that names the profile (INI section) to read. */
export const ENV_PROFILE = 'TENCENTCLOUD_PROFILE';
