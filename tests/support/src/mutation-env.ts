// What tests read to behave differently under a mutation run (StrykerJS runs the suite once per
// mutant; each package's vitest.mutation.config.ts sets these variables, `npm test` does not).

/**
 * fast-check's `numRuns` for a fuzz or property test: `cases` in `npm test`; at most FUZZ_RUNS in a
 * mutation run, where 10k cases per test and per mutant would take hours on 2 cores.
 */
export function fuzzRuns(cases: number): number {
  const cap = Number(process.env['FUZZ_RUNS']);
  return Number.isInteger(cap) && cap > 0 ? Math.min(cases, cap) : cases;
}

/**
 * True in a mutation run: tests that start a child process on the package's built `dist/` see the
 * unmutated code, so they can never kill a mutant there and only cost time (`it.skipIf`).
 */
export const inMutationRun: boolean = process.env['MUTATION_RUN'] === '1';
