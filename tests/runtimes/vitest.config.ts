import { project } from '../../tooling/vitest.preset.ts';

// Packing and installing the tarballs takes a while on 2 cores.
export default project('runtimes', { root: import.meta.url, test: { testTimeout: 120_000, hookTimeout: 180_000 } });
