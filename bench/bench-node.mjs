// BENCH_NODE picks the Node the benchmarks run on, so figures of two Node versions can be set side
// by side: a major with a pinned version (22, 24) or an exact version (24.22.3), both binaries
// taken from npm by scripts/node-from-npm.mjs (unpacked once into a cached temp folder), or the
// path of any node binary. Unset: the Node that runs npm. Everything a bench starts (the server,
// each client process, the cold-import timings) uses process.execPath, so it all follows.
import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeFromNpm } from '../scripts/node-from-npm.mjs';

/** Re-runs `script` (an import.meta.url) on BENCH_NODE and exits with its status, unless this already is that Node. */
export function runOnBenchNode(script) {
  const wanted = process.env.BENCH_NODE?.trim();
  if (!wanted) return;
  let bin;
  try {
    bin = wanted.includes('/') ? realpathSync(resolve(wanted)) : nodeFromNpm(wanted);
  } catch (err) {
    console.error(`BENCH_NODE=${wanted}: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  if (bin === realpathSync(process.execPath)) return;
  const run = spawnSync(bin, [fileURLToPath(script), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (run.error) console.error(`BENCH_NODE=${wanted}: cannot run ${bin}: ${run.error.message}`);
  process.exit(run.status ?? 1);
}
