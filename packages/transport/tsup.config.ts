import { defineConfig } from 'tsup';
import { library, nodeFiles, versionOf } from '../../tooling/tsup.preset.ts';

// `index`/`sign` are universal (WebCrypto, fetch); the `.node` twins are what the "node" condition selects.
const entry = {
  'index': 'src/index.ts',
  'index.node': 'src/index.node.ts',
  'sign': 'src/sign.ts',
  'sign.node': 'src/sign.node.ts',
};
// X-TC-RequestClient names this version; injected at build time, never read from disk at run time.
const define = { __X_TRANSPORT_VERSION__: JSON.stringify(versionOf(import.meta.url)) };

// Two builds write into dist at once, so neither cleans it: the build script empties it first.
export default defineConfig([
  library(entry, { define, clean: false }),
  nodeFiles({ 'index.node': 'src/index.node.ts', 'sign.node': 'src/sign.node.ts' }, { define }),
]);
