import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: {
    // README examples import the package by name; point that at the source, so tests need no build.
    alias: { '@x/transport': fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
  },
  test: {
    name: 'transport',
    include: ['test/**/*.test.ts'],
  },
});
