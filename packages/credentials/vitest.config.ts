import { project } from '../../tooling/vitest.preset.ts';

// Tests run on Node: the package's name points at the Node entry's source.
export default project('credentials', { root: import.meta.url, sources: { '@x/credentials': './src/index.node.ts' } });
