export * from './universal';
import { lazyDefaultCredentials } from './lazy-default';
import { makeFromWebIdentity } from './web-identity';

export { configuredRegion, fromProfile, profileFiles } from './node-only';
/** Web identity (TKE OIDC); in this build the token must be passed, as there is no file system. */
export const fromWebIdentity = /* @__PURE__ */ makeFromWebIdentity(undefined);
/**
 * What a client uses when no `credentials` are given: the environment, then the profile file, then
 * the CVM instance role, cached; one CredentialsError listing all three when none has credentials.
 */
export const defaultCredentials = /* @__PURE__ */ lazyDefaultCredentials(() => import('./default-universal'));
