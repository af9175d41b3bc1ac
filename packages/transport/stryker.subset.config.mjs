// A mutation run of some src files against a named subset of the package's tests, with its own
// reports and incremental file (reports/<SUBSET_NAME>/). For files every test reaches (the
// HTTP/1.1 client, serialize, proxy): against all ~400 tests one surviving mutant costs a minute
// on a shared 2-core machine, so a full run takes many hours. See MUTATION.md, round 4.
//   SUBSET_NAME=units SUBSET_TESTS=test/a.test.ts,test/b.test.ts \
//     npx stryker run stryker.subset.config.mjs --concurrency 1 --ignoreStatic --mutate 'src/x.ts'
import { mutationConfig } from '../../scripts/stryker-config.mjs';

const name = process.env['SUBSET_NAME'] || 'subset';
const base = mutationConfig();
export default {
  ...base,
  vitest: { ...base.vitest, configFile: 'vitest.subset.config.ts' },
  incrementalFile: `reports/${name}/stryker-incremental.json`,
  htmlReporter: { fileName: `reports/${name}/index.html` },
  jsonReporter: { fileName: `reports/${name}/mutation.json` },
};
