import { project } from '../../tooling/vitest.preset.ts';

export default project('client', { root: import.meta.url, sources: { '@x/client': './src/index.ts' } });
