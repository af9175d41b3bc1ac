import { defineConfig } from 'tsup';
import { library, nodeFiles } from '../../tooling/tsup.preset.ts';

// `index` is universal (browsers, Workers); `index.node` adds the providers that read files.
// Two builds write into dist at once, so neither cleans it: the build script empties it first.
export default defineConfig([
  library({ index: 'src/index.ts', 'index.node': 'src/index.node.ts' }, { clean: false }),
  nodeFiles({ 'index.node': 'src/index.node.ts' }),
]);
