import { defineConfig } from 'tsup';

export default defineConfig({
  // `index` is the universal build (no Node built-in may appear in it: browsers, Workers);
  // `index.node` is what the "node" exports condition selects: it adds the providers that read files.
  entry: { index: 'src/index.ts', 'index.node': 'src/index.node.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  external: [/^node:/],
  // The d.ts build sees both entries, so it needs Node's types; tsconfig.json keeps them out of the universal sources.
  tsconfig: 'tsconfig.node.json',
});
