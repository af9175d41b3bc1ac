import { project } from '../../tooling/vitest.preset.ts';

// These tests import the packages by name, through their built `dist` and exports conditions:
// what a user installs.
export default project('integration', { root: import.meta.url });
