// Not an export of the package: an entry of its build only, so that tsup (esbuild's code splitting)
// writes what a client's first call runs (plain credentials checked into a provider, the region
// from the environment, the default chain's loader) into dist files apart from the providers only
// the default chain runs (fromEnv, fromInstanceMetadata, chain, the cache), which @x/client loads
// by import() for a client without credentials. A browser bundler assigns whole dist files to
// chunks: in one file, the providers would be in the first download with toProvider.
// tests/runtimes/test/lazy-parts.test.ts checks the chunks.
export { makeCredentials, toProvider } from '../credentials';
export { configuredRegion } from '../node-only';
export { regionFromEnv } from '../region';
export { runtimeEnv } from '../runtime-env';
export { lazyDefaultCredentials } from '../lazy-default';
