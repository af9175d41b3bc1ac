import { defineConfig } from 'tsup';
import { library, versionOf } from '../../tooling/tsup.preset.ts';

// `index`/`sign` are universal (WebCrypto, fetch); the `.node` twins are what the "node" condition selects.
const entry = {
  'index': 'src/index.ts',
  'index.node': 'src/index.node.ts',
  'sign': 'src/sign.ts',
  'sign.node': 'src/sign.node.ts',
};
// X-TC-RequestClient names this version; injected at build time, never read from disk at run time.
const define = { __X_TRANSPORT_VERSION__: JSON.stringify(versionOf(import.meta.url)) };

export default defineConfig(library(entry, { define }));
