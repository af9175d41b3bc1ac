export * from './universal';
import { lazyDefaultCredentials } from './lazy-default';
import { readTextFile } from './profile-file';
import { makeFromWebIdentity } from './web-identity';

export { configuredRegion, fromProfile, profileFiles } from './profile-file';
/** Web identity (TKE OIDC), reading the token file named by TKE_WEB_IDENTITY_TOKEN_FILE on each refresh. */
export const fromWebIdentity = makeFromWebIdentity(readTextFile);
/**
 * What a client uses when no `credentials` are given: the environment, then the profile file, then
 * the CVM instance role, cached; one CredentialsError listing all three when none has credentials.
 */
export const defaultCredentials = lazyDefaultCredentials(() => import('./default-node'));
