import { project } from '../../tooling/vitest.preset.ts';

// Tests run on Node: the package's names point at the Node entries' sources.
const sources = { '@x/transport/sign': './src/sign.node.ts', '@x/transport': './src/index.node.ts' };
const define = { __X_TRANSPORT_VERSION__: JSON.stringify('0.0.0-test') };

export default project('transport', { root: import.meta.url, sources, define });
