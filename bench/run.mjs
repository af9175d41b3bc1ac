// `npm run bench`: every client measured side by side, alternating A B A B to cancel drift, each
// run in a process of its own against one loopback server process. Prints markdown tables.
import { fork, execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { cpus } from 'node:os';
import { runOnBenchNode } from './bench-node.mjs';

runOnBenchNode(import.meta.url); // BENCH_NODE=24 (or a path): the whole bench on that Node

const here = (f) => fileURLToPath(new URL(f, import.meta.url));
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const workloads = [
  { inFlight: 1, calls: Number(process.env.BENCH_CALLS_1 ?? 2000) },
  { inFlight: 32, calls: Number(process.env.BENCH_CALLS_32 ?? 20000) },
];
const clients = ['x-node', 'raw-node', 'official', 'x-fetch', 'raw-fetch', 'raw-fetch-signal'];
// BENCH_CLIENTS=x-node,raw-node,official: only these (a quicker run on a busy machine).
const measured = process.env.BENCH_CLIENTS
  ? clients.filter((c) => process.env.BENCH_CLIENTS.split(',').includes(c))
  : clients;
const labels = {
  'x-node': '@x/client, Node sender',
  'raw-node': 'raw node:http + TC3 (floor)',
  official: 'official tencentcloud-sdk-nodejs-common',
  'x-fetch': '@x/client, fetch sender',
  'raw-fetch': 'raw fetch + TC3 (floor)',
  'raw-fetch-signal': 'raw fetch + TC3 + AbortSignal and timer',
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = fork(here('./server.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const { port } = await new Promise((resolve) => server.once('message', resolve));

const results = {};
for (const { inFlight, calls } of workloads) {
  for (let round = 0; round < rounds; round++) {
    for (const name of round % 2 === 0 ? measured : [...measured].reverse()) {
      const out = spawnSync(
        process.execPath,
        [here('./client.mjs'), name, String(inFlight), String(calls), String(port)],
        { encoding: 'utf8' },
      );
      if (out.status !== 0) throw new Error(`${name} failed: ${out.stderr}`);
      const r = JSON.parse(out.stdout.trim().split('\n').at(-1));
      ((results[inFlight] ??= {})[name] ??= []).push(r);
    }
  }
}
server.kill();

const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
console.log(
  `# @x benchmark\n\nNode ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${rounds} rounds (medians), loopback server in its own process.\n`,
);
for (const { inFlight, calls } of workloads) {
  const rows = results[inFlight];
  const m = Object.fromEntries(
    Object.entries(rows).map(([k, v]) => [
      k,
      {
        cpu: median(v.map((r) => r.cpuUsPerRequest)),
        rps: median(v.map((r) => r.requestsPerSecond)),
        rss: median(v.map((r) => r.rssMiB)),
        conns: Math.max(...v.map((r) => r.newConnections)),
      },
    ]),
  );
  console.log(`## ${inFlight} in flight × ${fmt(calls)} calls\n`);
  console.log(
    '| client | CPU µs/request | requests/s | RSS MiB | new TCP connections | vs its floor | vs official SDK |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const name of measured) {
    const floor = name.includes('fetch') ? m['raw-fetch'] : m['raw-node'];
    const ratio = (base) => (base === undefined ? '–' : `${fmt(m[name].cpu / base.cpu, 2)}x`);
    console.log(
      `| ${labels[name]} | ${fmt(m[name].cpu)} | ${fmt(m[name].rps)} | ${fmt(m[name].rss)} | ${m[name].conns} | ${ratio(floor)} | ${ratio(m.official)} |`,
    );
  }
  console.log('');
}

// Micro-benchmarks (signing, envelope parsing) and the cold import (BENCH_MICRO=0 skips them).
if (process.env.BENCH_MICRO !== '0') execFileSync(process.execPath, [here('./micro.mjs')], { stdio: 'inherit' });
