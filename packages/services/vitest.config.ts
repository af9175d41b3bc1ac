import { defineProject } from 'vitest/config';

// Tests import the built package by name (`@x/services/cvm`): the generator writes dist/ at build.
export default defineProject({
  test: {
    name: 'services',
    include: ['test/**/*.test.ts'],
    // Regenerating all 298 service-versions in memory takes ~10-20 s on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
