// How long a consumer's type-check takes with the generated types: tsc --extendedDiagnostics over
// a file using the typed cvm client, against the same file untyped. Medians of 5 runs each.
//   npm run bench:types -w @x/bench
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runOnBenchNode } from './bench-node.mjs';

runOnBenchNode(import.meta.url); // BENCH_NODE=24 (or a path): on that Node

const here = dirname(fileURLToPath(import.meta.url));
const tsc = join(here, '..', 'node_modules', 'typescript', 'bin', 'tsc');
const runs = Number(process.env.RUNS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measure(file) {
  const dir = mkdtempSync(join(tmpdir(), 'x-typecheck-'));
  const config = join(dir, 'tsconfig.json');
  // What a user's project has: strict, bundler resolution, skipLibCheck (the default of most templates).
  writeFileSync(
    config,
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: 'ES2022',
        module: 'Preserve',
        moduleResolution: 'Bundler',
        lib: ['ES2022', 'DOM'],
        skipLibCheck: true,
        noEmit: true,
        types: [],
      },
      files: [join(here, 'typecheck', file)],
    }),
  );
  const check = [];
  const total = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(process.execPath, [tsc, '-p', config, '--extendedDiagnostics'], { encoding: 'utf8' });
    check.push(Number(/Check time:\s+([\d.]+)s/.exec(out)[1]));
    total.push(Number(/Total time:\s+([\d.]+)s/.exec(out)[1]));
  }
  return { check: median(check), total: median(total) };
}

for (const file of ['consumer-untyped.ts', 'consumer-cvm.ts']) {
  const { check, total } = measure(file);
  console.log(
    `${file}: tsc check ${check.toFixed(2)} s, total ${total.toFixed(2)} s (median of ${runs}, Node ${process.version})`,
  );
}
