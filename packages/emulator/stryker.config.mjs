// Mutation testing for this package: `npm run mutate` here, or `npm run mutate` at the root for all.
import { mutationConfig } from '../../scripts/stryker-config.mjs';

// src/fixtures holds generated data (seeded instances, regions, canned answers): mutating it would
// measure the data, not the emulator's behaviour, so it is left out. related: false: with perTest
// coverage each mutant run names its tests, so vitest need not work out the related test files.
const base = mutationConfig({ mutate: ['src/**/*.ts', '!src/**/*.d.ts', '!src/fixtures/**'] });
export default { ...base, vitest: { ...base.vitest, related: false } };
