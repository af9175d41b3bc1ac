import { defineConfig } from 'tsup';
import { lazyParts, library } from '../../tooling/tsup.preset.ts';

// The Node entry (dist/node/, the "node" + "import" condition) is written after this by
// tooling/node-bundle.mjs (see the build script): one file with the packages @x/client uses
// inlined, and the parts loaded at first use as files of their own.
// The page walking and the region breaker load at first use, and the index also exports them
// (paginateItems, RegionBreaker): files of their own (see lazyParts). dry-run.ts and
// stream-call.ts export nothing the index does, so they stay chunks.
const lazy = lazyParts(import.meta.url, { paginate: 'src/paginate.ts', 'region-breaker': 'src/region-breaker.ts' });
const entry = { index: 'src/index.ts', mock: 'src/mock.ts' };
export default defineConfig([
  library(
    { ...entry, ...lazy.splitEntries },
    { clean: false, format: ['esm'], dts: { entry }, esbuildPlugins: [lazy.splitBuild] },
  ),
  library(entry, { clean: false, format: ['cjs'] }),
  lazy.files(),
]);
