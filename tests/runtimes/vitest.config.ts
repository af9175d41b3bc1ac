import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'runtimes',
    include: ['test/**/*.test.ts'],
    // Packing and installing the tarballs takes a while on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
