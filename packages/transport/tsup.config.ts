import { defineConfig } from 'tsup';
import { lazyParts, library, nodeFiles, versionOf } from '../../tooling/tsup.preset.ts';

// `index`/`sign` are universal (WebCrypto, fetch); the `.node` twins are what the "node" condition selects.
const entry = {
  'index': 'src/index.ts',
  'index.node': 'src/index.node.ts',
  'sign': 'src/sign.ts',
  'sign.node': 'src/sign.node.ts',
};
// X-TC-RequestClient names this version; injected at build time, never read from disk at run time.
const define = { __X_TRANSPORT_VERSION__: JSON.stringify(versionOf(import.meta.url)) };

// What prepareRequest loads at first need, which the index also exports (serializeParams...): a
// file of its own (see lazyParts); log-line.ts exports nothing the index does, so it stays a chunk.
const lazy = lazyParts(import.meta.url, { 'request-parts': 'src/request-parts.ts' });

// Four builds write into dist at once, so none cleans it: the build script empties it first.
export default defineConfig([
  library(
    { ...entry, ...lazy.splitEntries },
    { define, clean: false, format: ['esm'], dts: { entry }, esbuildPlugins: [lazy.splitBuild] },
  ),
  library(entry, { define, clean: false, format: ['cjs'] }),
  lazy.files({ define }),
  nodeFiles({ 'index.node': 'src/index.node.ts', 'sign.node': 'src/sign.node.ts' }, { define }),
]);
