// Micro-benchmarks: TC3 signing (node:crypto vs WebCrypto, cold vs cached keys) and envelope
// parsing (small, 1 MB, 64-bit integers) next to plain JSON.parse; then the cold import of @x/client.
import { bench, group, run, summary } from 'mitata';
import { makeSigning, primitives as nodePrimitives } from '@x/transport/sign';
import { parseEnvelope } from '@x/envelope';
import { runOnBenchNode } from './bench-node.mjs';
import { describeColdImport, measureColdImport } from './cold.mjs';

runOnBenchNode(import.meta.url); // BENCH_NODE=24 (or a path): on that Node

const web = makeSigning((await import('../packages/transport/dist/sign.js')).primitives);
const node = makeSigning(nodePrimitives);
const input = {
  method: 'POST',
  host: 'cvm.tencentcloudapi.com',
  contentType: 'application/json; charset=utf-8',
  payload: '{"Limit":1,"Offset":0}',
  service: 'cvm',
  timestamp: 1700000000,
  secretId: 'AKIDEXAMPLE',
  secretKey: 'example-secret-key',
};
let n = 0;

group('TC3 signing', () => {
  summary(() => {
    bench('node:crypto, cached keys', async () => node.signTc3(input));
    bench('node:crypto, cold keys', async () => node.signTc3({ ...input, secretKey: `k${n++}` }));
    bench('WebCrypto, cached keys', async () => web.signTc3(input));
    bench('WebCrypto, cold keys', async () => web.signTc3({ ...input, secretKey: `k${n++}` }));
  });
});

const small = JSON.stringify({
  Response: { TotalCount: 0, InstanceStatusSet: [], RequestId: 'b5b41468-520d-4192-b42f-595cc34b6c1c' },
});
const item = {
  InstanceId: 'ins-12345678',
  InstanceName: 'web-01',
  Placement: { Zone: 'ap-guangzhou-3' },
  CPU: 2,
  Memory: 4,
  PrivateIpAddresses: ['10.0.0.4'],
  Tags: [{ Key: 'team', Value: 'blue' }],
};
const list = [];
while (JSON.stringify(list).length < 1_000_000) list.push({ ...item, Index: list.length });
const large = JSON.stringify({ Response: { TotalCount: list.length, InstanceSet: list, RequestId: 'r' } });
const big = JSON.stringify({
  Response: { Ids: Array.from({ length: 20 }, (_, i) => `__${i}__`), RequestId: 'r' },
}).replace(/"__(\d+)__"/g, (_m, i) => `${18446744073709551615n - BigInt(i)}`);

group('envelope parsing', () => {
  summary(() => {
    bench('small body: JSON.parse', () => JSON.parse(small));
    bench('small body: parseEnvelope', () => parseEnvelope(small));
  });
  summary(() => {
    bench('1 MB body: JSON.parse', () => JSON.parse(large));
    bench('1 MB body: parseEnvelope', () => parseEnvelope(large));
  });
  summary(() => {
    bench('64-bit integers: JSON.parse (rounds them)', () => JSON.parse(big));
    bench('64-bit integers: parseEnvelope (exact bigint)', () => parseEnvelope(big));
  });
});

await run({ colors: false });

console.log(`\n${describeColdImport(await measureColdImport(Number(process.env.BENCH_COLD_RUNS ?? 10)))}`);
