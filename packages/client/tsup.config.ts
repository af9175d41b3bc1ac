import { defineConfig } from 'tsup';
import { library, nodeBundle } from '../../tooling/tsup.preset.ts';

// Two builds write into dist at once, so neither cleans it: the build script empties it first.
// `mock` stays on the split build on Node too: it is test-time code, where start-up matters less.
export default defineConfig([
  library({ index: 'src/index.ts', mock: 'src/mock.ts' }, { clean: false }),
  nodeBundle({ index: 'src/index.ts' }),
]);
