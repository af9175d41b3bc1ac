import { defineConfig } from 'tsup';
import { lazyParts, library, nodeFiles } from '../../tooling/tsup.preset.ts';

// `index` is universal (browsers, Workers); `index.node` adds the providers that read files.
// The `split/` entries of the ESM build are no exports: they only shape the files of its code
// split (see src/split/first-call.ts, and lazyParts below). The CJS build, which does not split,
// leaves them out.
// Four builds write into dist at once, so none cleans it: the build script empties it first.
const entries = { index: 'src/index.ts', 'index.node': 'src/index.node.ts' };
// The default chain (fromEnv, the instance role, chain, the cache) loads when a client has no
// credentials, and the index also exports its providers: a file of its own (see lazyParts).
// default-node.ts (index.node's chain, with the file providers) stays a chunk of the ESM build.
const lazy = lazyParts(import.meta.url, { 'default-universal': 'src/default-universal.ts' });
export default defineConfig([
  library(
    { ...entries, 'split/first-call': 'src/split/first-call.ts', ...lazy.splitEntries },
    // Types only for the exports: declarations of the split entry would split the .d.ts files too.
    { clean: false, format: ['esm'], dts: { entry: entries }, esbuildPlugins: [lazy.splitBuild] },
  ),
  library(entries, { clean: false, format: ['cjs'] }),
  lazy.files(),
  nodeFiles({ 'index.node': 'src/index.node.ts' }),
]);
