// The package's vitest config for mutation runs (stryker.config.mjs): the same tests, with fewer fuzz
// cases, no child-process tests and longer timeouts (see tooling/vitest.mutation.preset.ts).
import { mergeConfig } from 'vitest/config';
import { mutationProject } from '../../tooling/vitest.mutation.preset.ts';
import base from './vitest.config';

// isolate: false: a mutant run re-runs the test files that reach it, and each one, isolated, would
// import the instrumented sources, @x/transport, @x/services and the official SDK again (most of a
// mutant's time here). The tests share no module state that matters: each starts its own emulator.
// The one module-level cache a mutant could poison for the next runs is schema.ts's memo of parsed
// type codes: a run that mutates schema.ts sets MUTATION_ISOLATE=1.
const isolate = process.env['MUTATION_ISOLATE'] === '1';
export default mergeConfig(mutationProject(base), { test: { isolate } });
