import { defineConfig } from 'tsup';
import { library, nodeFiles } from '../../tooling/tsup.preset.ts';

// `index` is universal (browsers, Workers); `index.node` adds the providers that read files.
// The `split/` entry of the ESM build is no export: it only shapes the files of its code split
// (see src/split/first-call.ts). The CJS build, which does not split, leaves it out.
// Three builds write into dist at once, so none cleans it: the build script empties it first.
const entries = { index: 'src/index.ts', 'index.node': 'src/index.node.ts' };
export default defineConfig([
  library(
    { ...entries, 'split/first-call': 'src/split/first-call.ts' },
    // Types only for the exports: declarations of the split entry would split the .d.ts files too.
    { clean: false, format: ['esm'], dts: { entry: entries } },
  ),
  library(entries, { clean: false, format: ['cjs'] }),
  nodeFiles({ 'index.node': 'src/index.node.ts' }),
]);
