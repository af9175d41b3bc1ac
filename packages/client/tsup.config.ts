import { defineConfig } from 'tsup';
import { library } from '../../tooling/tsup.preset.ts';

export default defineConfig(library({ index: 'src/index.ts', mock: 'src/mock.ts' }));
