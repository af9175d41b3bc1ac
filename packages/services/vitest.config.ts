import { project } from '../../tooling/vitest.preset.ts';

// Tests import the built package by name (`@x/services/cvm`): the generator writes dist/ at build.
// Regenerating all 298 service-versions in memory takes ~10-20 s on 2 cores.
export default project('services', { root: import.meta.url, test: { testTimeout: 120_000, hookTimeout: 120_000 } });
