// `npm run test:nodes [-- 22 24]`: the whole vitest suite again, once per Node version, each on a
// binary from npm (scripts/node-from-npm.mjs). `npm test` runs it on the machine's Node; this runs
// it on the others a user may have. The packages must be built (npm test builds them; this runs
// `turbo run build` first, a cache hit after npm test). Exits non-zero when any version fails or
// its binary cannot be had, and ends with one line per version saying what ran where.
import { spawnSync } from 'node:child_process';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeFromNpm, nodeVersionFor, TESTED_NODE_VERSIONS } from './node-from-npm.mjs';

const root = fileURLToPath(new URL('../', import.meta.url));
const specs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(TESTED_NODE_VERSIONS);

const build = spawnSync(join(root, 'node_modules', '.bin', 'turbo'), ['run', 'build', '--output-logs=errors-only'], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) {
  console.error('test:nodes: the build failed, no suite was run');
  process.exit(1);
}

const outcomes = [];
for (const spec of specs) {
  const started = Date.now();
  let bin;
  try {
    bin = nodeFromNpm(spec);
  } catch (err) {
    outcomes.push({
      version: `v${safeVersion(spec)}`,
      passed: false,
      what: `no binary (${err instanceof Error ? err.message : String(err)})`,
    });
    continue;
  }
  const version = `v${nodeVersionFor(spec)}`;
  console.log(`\n=== vitest suite on Node ${version} (${bin}) ===\n`);
  // That Node first on PATH too, so the tests' child processes that run `node` (or npm) use it as well.
  const run = spawnSync(bin, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PATH: `${dirname(bin)}${delimiter}${process.env.PATH ?? ''}` },
  });
  const seconds = Math.round((Date.now() - started) / 1000);
  const passed = run.status === 0;
  outcomes.push({
    version,
    passed,
    what: passed
      ? `vitest suite passed (${seconds} s)`
      : `vitest suite FAILED (${run.signal ?? `exit ${run.status}`}, ${seconds} s)`,
  });
}

console.log('\n=== Node versions ===');
for (const { version, what } of outcomes) console.log(`Node ${version}: ${what}`);
process.exit(outcomes.every((o) => o.passed) ? 0 : 1);

function safeVersion(spec) {
  try {
    return nodeVersionFor(spec);
  } catch {
    return String(spec);
  }
}
