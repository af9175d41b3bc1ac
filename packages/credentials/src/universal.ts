// Everything that runs in every runtime. Both entries (index.ts, index.node.ts) re-export it.
export {
  makeCredentials,
  staticCredentials,
  toProvider,
  type CredentialProvider,
  type Credentials,
  type CredentialsRequest,
  type CredentialsInput,
} from './credentials';
export {
  ENV_SECRET_ID,
  ENV_SECRET_KEY,
  ENV_SESSION_TOKEN,
  fromEnv,
  type Environment,
  type FromEnvOptions,
} from './env';
export { DEFAULT_REFRESH_MARGIN_MS, REFRESH_BACKOFF_MS, cachedProvider, type CacheOptions } from './cache';
export { chain } from './chain';
export { parseIni } from './ini';
export { DEFAULT_METADATA_URL, fromInstanceMetadata, type FromInstanceMetadataOptions } from './instance-metadata';
export { ENV_PROFILE, type FromProfileOptions } from './profile-options';
export {
  ENV_REGION,
  regionFromEnv,
  type ConfiguredRegion,
  type ConfiguredRegionOptions,
  type ConfiguredRegionReader,
} from './region';
export { fromAssumeRole, type FromAssumeRoleOptions, type StsOptions } from './assume-role';
export type { FromWebIdentityOptions } from './web-identity';
export type { DefaultCredentialsOptions } from './default-chain';
