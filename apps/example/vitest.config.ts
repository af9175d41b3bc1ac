import { project } from '../../tooling/vitest.preset.ts';

export default project('example', { root: import.meta.url });
