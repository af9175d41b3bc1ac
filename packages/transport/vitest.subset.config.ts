// The mutation project (vitest.mutation.config.ts) limited to the test files in SUBSET_TESTS
// (comma-separated), for stryker.subset.config.mjs. A mutant these tests kill is killed by the
// whole suite too: a score measured here is a lower bound of the full one.
import base from './vitest.mutation.config';

const only = process.env['SUBSET_TESTS'];
if (!only) throw new Error('SUBSET_TESTS must name the test files, e.g. test/http1-parsers.test.ts');
export default { ...base, test: { ...base.test, include: only.split(',') } };
