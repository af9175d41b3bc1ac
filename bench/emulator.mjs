// The emulator's start-up and first-call costs, each in a fresh Node process (nothing cached):
// import + startEmulator(), resident memory after start, then the first call to a large service
// (its schema loaded on demand) and a second call, with memory after. `node bench/emulator.mjs`.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RUNS = 5;
const CASES = [
  { service: 'cvm', version: '2017-03-12', action: 'DescribeInstances', params: { Limit: 1 } },
  { service: 'csip', version: '2022-11-21', action: 'DescribeCVMAssets', params: {} },
  { service: 'vpc', version: '2017-03-12', action: 'DescribeVpcs', params: { Limit: '1' } },
];

async function child(which) {
  const { service, version, action, params } = CASES[which];
  const t0 = performance.now();
  const { startEmulator } = await import('@x/emulator');
  const { createTransport } = await import('@x/transport');
  const imported = performance.now();
  const emulator = await startEmulator();
  const started = performance.now();
  const rssStarted = process.memoryUsage().rss;
  const transport = createTransport({
    service,
    version,
    region: 'ap-guangzhou',
    endpoint: emulator.url,
    credentials: emulator.credentials,
    retry: false,
  });
  await createTransport({
    service: 'sts',
    version: '2018-08-13',
    endpoint: emulator.url,
    credentials: emulator.credentials,
  }).call('GetCallerIdentity'); // warms the HTTP path
  const c0 = performance.now();
  await transport.call(action, params);
  const first = performance.now() - c0;
  const c1 = performance.now();
  await transport.call(action, params);
  const second = performance.now() - c1;
  const rssAfter = process.memoryUsage().rss;
  await emulator.close();
  process.stdout.write(
    JSON.stringify({
      importMs: imported - t0,
      startMs: started - imported,
      rssStartedMB: rssStarted / 1e6,
      firstMs: first,
      secondMs: second,
      rssAfterMB: rssAfter / 1e6,
    }),
  );
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main() {
  const self = fileURLToPath(import.meta.url);
  console.log(`@x/emulator, median of ${RUNS} fresh processes (Node ${process.versions.node})`);
  for (let i = 0; i < CASES.length; i++) {
    const runs = Array.from({ length: RUNS }, () =>
      JSON.parse(execFileSync(process.execPath, [self, '--child', String(i)], { encoding: 'utf8' })),
    );
    const m = (key) => median(runs.map((r) => r[key])).toFixed(1);
    const { service, action } = CASES[i];
    console.log(
      `${service} ${action}: import ${m('importMs')} ms, startEmulator ${m('startMs')} ms, RSS after start ${m('rssStartedMB')} MB; ` +
        `first call ${m('firstMs')} ms, second ${m('secondMs')} ms, RSS after ${m('rssAfterMB')} MB`,
    );
  }
}

if (process.argv[2] === '--child') await child(Number(process.argv[3]));
else main();
