import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: {
    // Tests run on Node: the package's own name points at the Node entry's source.
    alias: { '@x/credentials': fileURLToPath(new URL('./src/index.node.ts', import.meta.url)) },
  },
  test: {
    name: 'credentials',
    include: ['test/**/*.test.ts'],
  },
});
