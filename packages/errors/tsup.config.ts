import { defineConfig } from 'tsup';
import { library } from '../../tooling/tsup.preset.ts';

// `index` is the Node entry (texts installed at import); `universal` loads them on demand (browsers, Workers).
export default defineConfig(library({ index: 'src/index.ts', universal: 'src/universal.ts' }));
