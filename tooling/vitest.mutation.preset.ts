import { mergeConfig, type UserWorkspaceConfig } from 'vitest/config';

// A package's vitest project for mutation runs (its stryker.config.mjs names vitest.mutation.config.ts):
// the same tests, run once per mutant, so what costs time and cannot kill a mutant is cut down.

/** Fuzz and property tests run at most this many cases per mutant (10k+ in `npm test`). */
export const MUTATION_FUZZ_RUNS = 200;

export function mutationProject(base: UserWorkspaceConfig): UserWorkspaceConfig {
  return mergeConfig(base, {
    test: {
      // Instrumented code on a loaded 2-core machine: a test that takes 2 s in `npm test` can take 20.
      testTimeout: 60_000,
      hookTimeout: 60_000,
      // Read by @x/test-support: fuzzRuns() caps the cases, inMutationRun skips the tests that start a
      // child process on dist/ (unmutated code: they cannot kill a mutant).
      env: { FUZZ_RUNS: String(MUTATION_FUZZ_RUNS), MUTATION_RUN: '1' },
    },
  });
}
