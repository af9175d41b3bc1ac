import { defineConfig } from 'tsup';
import { library } from '../../tooling/tsup.preset.ts';

// The Node entry (dist/node/, the "node" + "import" condition) is written after this by
// tooling/node-bundle.mjs (see the build script): one file with the packages @x/client uses
// inlined, and the parts loaded at first use as files of their own.
export default defineConfig([library({ index: 'src/index.ts', mock: 'src/mock.ts' })]);
