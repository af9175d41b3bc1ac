import { defineConfig } from 'tsup';
import { library, nodeFiles } from '../../tooling/tsup.preset.ts';

// `index` is the Node entry (texts installed at import); `universal` loads them on demand (browsers, Workers).
// The two `split/` entries of the ESM build are no exports: they only shape the files of its code
// split (see src/split/answer-errors.ts). The CJS build, which does not split, leaves them out.
// Three builds write into dist at once, so none cleans it: the build script empties it first.
const entries = { index: 'src/index.ts', universal: 'src/universal.ts' };
export default defineConfig([
  library(
    {
      ...entries,
      'split/answer-errors': 'src/split/answer-errors.ts',
      'split/call-errors': 'src/split/call-errors.ts',
    },
    // Types only for the exports: declarations of the split entries would split the .d.ts files too.
    { clean: false, format: ['esm'], dts: { entry: entries } },
  ),
  library(entries, { clean: false, format: ['cjs'] }),
  nodeFiles({ index: 'src/index.ts' }),
]);
