// The cold import of @x/client, timed the way an application pays it: a fresh `node` running a file
// whose first line is `import '@x/client'`, against the same `node` running an empty file. Both are
// ES module files, so the difference is the import alone (resolving, reading, compiling, linking
// and running our code), not the start of the ESM loader.
//
// Beside it, the loader's floors, made of one-line packages in a temp folder: one package (what
// @x/client's Node entry is to Node: one file, errors/envelope/transport/credentials inlined), and
// the graph of five packages that importing them one by one would be (client -> credentials ->
// transport -> envelope -> errors). What Node charges per package whatever its code is the floor;
// the rest is ours.
import { execFileSync, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Wall-clock ms of one `node <args>` run. */
function time(args, cwd, env) {
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, args, { stdio: 'ignore', cwd, env: env && { ...process.env, ...env } });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

// Who imports whom in @x/client's graph (each package's own imports of the others).
const GRAPH = {
  client: ['errors', 'credentials', 'transport'],
  credentials: ['errors', 'transport'],
  transport: ['errors', 'envelope'],
  envelope: ['errors'],
  errors: [],
};

/** A temp folder holding the one-line packages `@floor/*` with GRAPH's imports, `@floor/one`, and the entry files. */
function floorPackages() {
  const root = mkdtempSync(join(tmpdir(), 'x-cold-floor-'));
  // `one` imports nothing: the floor of a single package, beside GRAPH's five.
  for (const [name, imports] of Object.entries({ ...GRAPH, one: [] })) {
    const dir = join(root, 'node_modules', '@floor', name);
    mkdirSync(join(dir, 'dist', 'node'), { recursive: true });
    const exports = { '.': { node: { import: './dist/node/index.js' }, default: './dist/node/index.js' } };
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `@floor/${name}`, type: 'module', exports }));
    const lines = imports.map((dep) => `import { ${dep} } from '@floor/${dep}';`);
    const sum = ['1', ...imports].join(' + ');
    writeFileSync(join(dir, 'dist', 'node', 'index.js'), `${lines.join('\n')}\nexport const ${name} = ${sum};\n`);
  }
  writeFileSync(join(root, 'bare.mjs'), '');
  writeFileSync(join(root, 'client.mjs'), "import '@floor/client';\n");
  writeFileSync(join(root, 'one.mjs'), "import '@floor/one';\n");
  return root;
}

/** The benchmarks' loopback server (server.mjs) in a process of its own; resolves with its URL and a way to stop it. */
async function answerServer() {
  const child = fork(here('./server.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const { port } = await new Promise((resolve) => child.once('message', resolve));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

/**
 * Runs every series `runs` times, alternated (bare, import, bare, import...), so a load spike on a
 * shared machine hits all series alike; returns the medians in ms.
 */
export async function measureColdImport(runs = 10) {
  const floor = floorPackages();
  const server = await answerServer();
  const endpoint = { ENDPOINT: server.url };
  const series = {
    bare: () => time([here('./cold/bare.mjs')]),
    client: () => time([here('./cold/client.mjs')]),
    floorBare: () => time(['bare.mjs'], floor),
    floor: () => time(['one.mjs'], floor),
    floorGraph: () => time(['client.mjs'], floor),
    evalBare: () => time(['--input-type=module', '-e', '0']),
    evalImport: () => time(['--input-type=module', '-e', "await import('@x/client')"]),
    // The parts of the client loaded at first use (the HTTP/1.1 client among them) are paid by the
    // first call, not the import: this series shows what the import saved is not merely moved.
    firstCall: () => time([here('./cold/first-call.mjs')], undefined, endpoint),
    firstFetch: () => time([here('./cold/first-fetch.mjs')], undefined, endpoint),
  };
  const samples = Object.fromEntries(Object.keys(series).map((name) => [name, []]));
  try {
    for (let i = 0; i < runs; i++) for (const [name, run] of Object.entries(series)) samples[name].push(run());
  } finally {
    rmSync(floor, { recursive: true, force: true });
    server.stop();
  }
  const m = Object.fromEntries(Object.entries(samples).map(([name, xs]) => [name, median(xs)]));
  return {
    runs,
    bare: m.bare,
    client: m.client - m.bare,
    floor: m.floor - m.floorBare,
    floorGraph: m.floorGraph - m.floorBare,
    dynamicImport: m.evalImport - m.evalBare,
    firstCall: m.firstCall - m.bare,
    firstFetch: m.firstFetch - m.bare,
  };
}

/** The lines `npm run bench` prints. */
export function describeColdImport(r) {
  return [
    `cold import of @x/client: ${r.client.toFixed(1)} ms over a bare node start ` +
      `(a file with \`import '@x/client'\` against an empty file; median of ${r.runs} alternated runs; bare ${r.bare.toFixed(1)} ms)`,
    `  the ESM loader's floor for one one-line package: ${r.floor.toFixed(1)} ms; what is ours: ${(r.client - r.floor).toFixed(1)} ms ` +
      `(@x/client's Node entry is one file; 5 one-line packages, the graph it would be without inlining: ${r.floorGraph.toFixed(1)} ms)`,
    `  as a dynamic import (node --input-type=module -e "await import('@x/client')" against -e 0): ${r.dynamicImport.toFixed(1)} ms`,
    `  import, createClient and one call to a local http server: ${r.firstCall.toFixed(1)} ms over a bare node start ` +
      `(the same first request with the runtime's own fetch, no SDK: ${r.firstFetch.toFixed(1)} ms)`,
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { runOnBenchNode } = await import('./bench-node.mjs');
  runOnBenchNode(import.meta.url);
  console.log(`Node ${process.version}`);
  console.log(describeColdImport(await measureColdImport(Number(process.env.BENCH_COLD_RUNS ?? 10))));
}
