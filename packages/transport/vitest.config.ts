import { fileURLToPath } from 'node:url';
import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: {
    // Tests run on Node: the package's names point at the Node entries' sources.
    alias: [
      { find: /^@x\/transport\/sign$/, replacement: fileURLToPath(new URL('./src/sign.node.ts', import.meta.url)) },
      { find: /^@x\/transport$/, replacement: fileURLToPath(new URL('./src/index.node.ts', import.meta.url)) },
    ],
  },
  define: { __X_TRANSPORT_VERSION__: JSON.stringify('0.0.0-test') },
  test: {
    name: 'transport',
    include: ['test/**/*.test.ts'],
  },
});
