import { defineConfig } from 'tsup';
import { library, nodeFiles } from '../../tooling/tsup.preset.ts';

// Two builds write into dist at once, so neither cleans it: the build script empties it first.
export default defineConfig([
  library({ index: 'src/index.ts' }, { clean: false }),
  nodeFiles({ index: 'src/index.ts' }),
]);
