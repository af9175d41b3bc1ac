// The package's vitest config for mutation runs (stryker.config.mjs): the same tests, with room for
// instrumented code on a loaded machine (a property test of 10k cases can pass 5 s there).
import { mergeConfig } from 'vitest/config';
import base from './vitest.config';

export default mergeConfig(base, { test: { testTimeout: 60_000, hookTimeout: 60_000 } });
