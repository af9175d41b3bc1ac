import { defineConfig } from 'tsup';
import { library, nodeFiles } from '../../tooling/tsup.preset.ts';

// `index` is the Node entry (texts installed at import); `universal` loads them on demand (browsers, Workers).
// Two builds write into dist at once, so neither cleans it: the build script empties it first.
export default defineConfig([
  library({ index: 'src/index.ts', universal: 'src/universal.ts' }, { clean: false }),
  nodeFiles({ index: 'src/index.ts' }),
]);
