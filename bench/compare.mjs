// `node compare.mjs <checkoutA> <checkoutB> [client] [inFlight] [calls] [rounds]`: one client of
// client.mjs (default x-node, 32 in flight, 20,000 calls, 4 rounds) run from two built checkouts
// of this repo (e.g. a `git worktree` of an older commit), A B B A ... against one loopback server,
// each run in a fresh process. For finding which commit moved the CPU per call: on a shared
// machine compare the two medians of one run, never figures of different runs.
import { fork, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runOnBenchNode } from './bench-node.mjs';

runOnBenchNode(import.meta.url);

const [a, b, client = 'x-node', inFlight = '32', calls = '20000', rounds = '4'] = process.argv.slice(2);
if (a === undefined || b === undefined)
  throw new Error('usage: node compare.mjs <checkoutA> <checkoutB> [client] [inFlight] [calls] [rounds]');
const server = fork(fileURLToPath(new URL('./server.mjs', import.meta.url)), [], {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
const { port } = await new Promise((resolve) => server.once('message', resolve));
const cpu = { [a]: [], [b]: [] };
for (let round = 0; round < Number(rounds); round++) {
  for (const tree of round % 2 === 0 ? [a, b] : [b, a]) {
    const out = spawnSync(process.execPath, [`${tree}/bench/client.mjs`, client, inFlight, calls, String(port)], {
      encoding: 'utf8',
    });
    if (out.status !== 0) throw new Error(`${tree}: ${out.stderr}`);
    cpu[tree].push(JSON.parse(out.stdout.trim().split('\n').at(-1)).cpuUsPerRequest);
  }
}
server.kill();
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
console.log(
  `Node ${process.version}, ${client}, ${inFlight} in flight × ${calls} calls, ${rounds} rounds, CPU µs per request:`,
);
for (const tree of [a, b])
  console.log(`  ${tree}: median ${median(cpu[tree]).toFixed(1)} (${cpu[tree].map((x) => x.toFixed(0)).join(' ')})`);
console.log(`  B / A: ${(median(cpu[b]) / median(cpu[a])).toFixed(2)}x`);
