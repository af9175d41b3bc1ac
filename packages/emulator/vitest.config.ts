import { project } from '../../tooling/vitest.preset.ts';

export default project('emulator', { root: import.meta.url, sources: { '@x/emulator': './src/index.ts' } });
