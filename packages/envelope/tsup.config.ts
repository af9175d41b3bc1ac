import { defineConfig } from 'tsup';
import { lazyParts, library, nodeFiles } from '../../tooling/tsup.preset.ts';

// What reading an answer loads at first need, which the index also exports (parseEnvelope,
// parseJson): files of their own (see lazyParts). event-source.ts and body-source.ts export
// nothing the index does, so they stay chunks; the stream parser takes json.ts's file too.
const lazy = lazyParts(import.meta.url, { 'envelope-checks': 'src/envelope-checks.ts', json: 'src/json.ts' });

// Four builds write into dist at once, so none cleans it: the build script empties it first.
export default defineConfig([
  library(
    { index: 'src/index.ts', ...lazy.splitEntries },
    { clean: false, format: ['esm'], dts: { entry: { index: 'src/index.ts' } }, esbuildPlugins: [lazy.splitBuild] },
  ),
  library({ index: 'src/index.ts' }, { clean: false, format: ['cjs'] }),
  lazy.files(),
  nodeFiles({ index: 'src/index.ts' }),
]);
