import { project } from '../../tooling/vitest.preset';

export default project('envelope', { root: import.meta.url, sources: { '@x/envelope': './src/index.ts' } });
