import { project } from '../../tooling/vitest.preset';

export default project('client', { root: import.meta.url, sources: { '@x/client': './src/index.ts' } });
