// The package's vitest config for mutation runs (stryker.config.mjs): the same tests, with fewer fuzz
// cases, no child-process tests and longer timeouts (see tooling/vitest.mutation.preset.ts).
import { mutationProject } from '../../tooling/vitest.mutation.preset.ts';
import base from './vitest.config';

export default mutationProject(base);
