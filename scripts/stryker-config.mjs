// Shared StrykerJS settings: every package's stryker.config.mjs calls mutationConfig() from its own
// folder, so a run mutates that package's src/ and runs that package's vitest project only.
import { availableParallelism } from 'node:os';

/**
 * @param {{ mutate?: string[] }} [overrides] files to mutate when a package needs a narrower glob
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export function mutationConfig(overrides = {}) {
  return {
    testRunner: 'vitest',
    plugins: ['@stryker-mutator/vitest-runner'],
    // The package's own vitest project for mutation runs (vitest.mutation.config.ts, from
    // tooling/vitest.mutation.preset.ts): its tests only, fuzz tests cut to FUZZ_RUNS cases, no
    // child-process tests, longer test timeouts.
    vitest: { configFile: 'vitest.mutation.config.ts', related: true },
    mutate: overrides.mutate ?? ['src/**/*.ts', '!src/**/*.d.ts'],
    // perTest: each mutant runs only the tests that reached the mutated code.
    coverageAnalysis: 'perTest',
    // Leave one core to whatever else runs on the machine (2-core CI and shared dev boxes).
    concurrency: Math.max(1, availableParallelism() - 1),
    // A mutant times out after 2 x the dry-run time of its tests + 10 s. The dry run is measured
    // under the same load, and the absolute 10 s covers a loaded machine's jitter: a test that
    // takes 1 s in the dry run counts as a timeout only past 12 s (a hang, not a slow test).
    timeoutMS: 10_000,
    timeoutFactor: 2,
    // A rerun after a small change reuses the results of unchanged mutants and tests.
    // The file is a local cache (see .gitignore): committing it would churn on every src change.
    incremental: true,
    incrementalFile: 'reports/mutation/stryker-incremental.json',
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: 'reports/mutation/index.html' },
    jsonReporter: { fileName: 'reports/mutation/mutation.json' },
    // Mutate the package's files where they are, not in a sandbox copy: a copy under .stryker-tmp
    // breaks the packages' `extends: '../../tsconfig.base.json'` (Stryker rewrites only one
    // tsconfig, and test/tsconfig.json is a second one). Stryker restores the files when it ends;
    // don't build this package while its run is going on.
    inPlace: true,
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
    thresholds: { high: 90, low: 80, break: null },
  };
}
