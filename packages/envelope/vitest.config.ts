import { project } from '../../tooling/vitest.preset.ts';

export default project('envelope', { root: import.meta.url, sources: { '@x/envelope': './src/index.ts' } });
