import { project } from '../../tooling/vitest.preset';

export default project('example', { root: import.meta.url });
