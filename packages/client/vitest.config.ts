import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: {
    // README examples import the package by name; point that at the source, so tests need no build.
    alias: { '@x/client': fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
  },
  test: {
    name: 'client',
    include: ['test/**/*.test.ts'],
  },
});
