import { defineProject } from 'vitest/config';

// These tests import the packages by name, through their built `dist` and exports conditions:
// what a user installs.
export default defineProject({
  test: {
    name: 'integration',
    include: ['test/**/*.test.ts'],
  },
});
