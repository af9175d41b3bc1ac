// The demo the root README's first command runs: the whole stack against @x/emulator, in-process,
// offline. (The example CLI of apps/example will take this over.)
import { createClient, isApiError } from '@x/client';
import { startEmulator, STREAM_ERROR_PROMPT } from '@x/emulator';

const emulator = await startEmulator();
console.log(`Started @x/emulator on ${emulator.url} (offline: no Tencent Cloud account needed)\n`);
const options = { region: 'ap-guangzhou', endpoint: emulator.url, credentials: emulator.credentials };
const cvm = createClient({ service: 'cvm', version: '2017-03-12', ...options, retry: { baseDelayMs: 50, throttlingBaseDelayMs: 50 } });

// 1. A call.
const regions = await cvm.call('DescribeRegions');
console.log(`1. DescribeRegions → ${regions.TotalCount} regions (RequestId ${regions.RequestId})`);

// 2. Pagination over the 50 seeded instances.
let count = 0;
for await (const instance of cvm.paginate('DescribeInstances', {}, { items: 'InstanceSet', pageSize: 20 })) {
  if (count++ < 2) console.log(`   ${instance.InstanceId} ${instance.InstanceName} ${instance.InstanceState} ${instance.Placement.Zone}`);
}
console.log(`2. paginate(DescribeInstances) → ${count} instances in ${Math.ceil(count / 20)} pages`);

// 3. A typed error with its catalog hint, in Chinese.
const wrongKey = createClient({ service: 'cvm', version: '2017-03-12', ...options, credentials: { secretId: emulator.credentials.secretId, secretKey: 'not-the-key' }, language: 'zh-CN' });
try {
  await wrongKey.call('DescribeInstances');
} catch (err) {
  if (isApiError(err, 'AuthFailure')) console.log(`3. ${err.name} [${err.category}, retryable: ${err.retryable}]\n   ${err.message}`);
}

// 4. A throttled call, retried with backoff.
emulator.faults.add({ action: 'DescribeInstancesStatus', fault: { kind: 'throttle' }, times: 2 });
const status = await cvm.transport.call('DescribeInstancesStatus', { Limit: 1 });
console.log(`4. DescribeInstancesStatus throttled twice → succeeded after ${status.attempts} attempts (${status.retryDelayMs} ms of backoff)`);

// 5. A dry run.
const dry = await cvm.dryRun('RunInstances', { Placement: { Zone: 'ap-guangzhou-3' }, ImageId: 'img-487zeit5' });
console.log(`5. RunInstances dry run → ${dry.dryRun}`);

// 6. A stream, token by token, then one that fails mid-way.
const hunyuan = createClient({ service: 'hunyuan', version: '2023-09-01', ...options });
process.stdout.write('6. ChatCompletions stream → ');
for await (const event of await hunyuan.stream('ChatCompletions', { Stream: true, Messages: [{ Role: 'user', Content: 'hello' }] })) {
  process.stdout.write(event.Choices[0].Delta.Content);
}
try {
  for await (const _event of await hunyuan.stream('ChatCompletions', { Stream: true, Messages: [{ Role: 'user', Content: STREAM_ERROR_PROMPT }] }));
} catch (err) {
  console.log(`\n   a failing stream ends with ${err.name} ${err.code}: ${err.serverMessage}`);
}

await emulator.close();
