import { readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  // One entry per exports target: `index`/`sign` are universal (WebCrypto, fetch: no Node
  // built-in may appear in them); the `.node` twins are what the "node" condition selects.
  entry: {
    index: 'src/index.ts',
    'index.node': 'src/index.node.ts',
    sign: 'src/sign.ts',
    'sign.node': 'src/sign.node.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  external: [/^node:/],
  // X-TC-RequestClient names this version; injected at build time, never read from disk at run time.
  define: { __X_TRANSPORT_VERSION__: JSON.stringify(version) },
  // The d.ts build sees the Node entries too.
  tsconfig: 'tsconfig.node.json',
});
