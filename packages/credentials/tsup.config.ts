import { defineConfig } from 'tsup';
import { library } from '../../tooling/tsup.preset.ts';

// `index` is universal (browsers, Workers); `index.node` adds the providers that read files.
export default defineConfig(library({ index: 'src/index.ts', 'index.node': 'src/index.node.ts' }));
