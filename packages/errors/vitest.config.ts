import { project } from '../../tooling/vitest.preset.ts';

export default project('errors', { root: import.meta.url, sources: { '@x/errors': './src/index.ts' } });
