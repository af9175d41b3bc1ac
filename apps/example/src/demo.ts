import { createClient, isApiError, type ClientOptions } from '@x/client';
import { cvm as cvmService } from '@x/services/cvm';
import { hunyuan as hunyuanService } from '@x/services/hunyuan';
import { STREAM_ERROR_PROMPT, type Emulator } from '@x/emulator';

const out = (text: string) => process.stdout.write(`${text}\n`);

/**
 * A tour of the stack: a call, pagination, a typed error with its hint, a throttled call retried,
 * a dry run and a stream. On the embedded emulator (the default) it can also inject the throttling.
 */
export async function demo(base: Partial<ClientOptions>, emulator: Emulator | undefined): Promise<void> {
  const options = { ...base, region: 'ap-guangzhou' };
  const cvm = createClient(cvmService, { ...options, retry: { baseDelayMs: 50, throttlingBaseDelayMs: 50 } });

  const regions = await cvm.call('DescribeRegions', {});
  out(`1. call DescribeRegions → ${regions.TotalCount} regions (RequestId ${regions.RequestId})`);

  // The heading first, then what the step printed: each line below belongs to the step above it.
  out('2. paginate DescribeInstances, 20 per page (the first two instances):');
  let count = 0;
  let pages = 0;
  for await (const page of cvm.paginate('DescribeInstances', {}, { items: 'InstanceSet', pageSize: 20 }).pages()) {
    pages++;
    for (const instance of page.items) {
      if (count++ < 2)
        out(
          `     ${instance.InstanceId}  ${instance.InstanceName}  ${instance.InstanceState}  ${instance.Placement?.Zone}`,
        );
    }
  }
  out(`     → ${count} instances in ${pages} pages, each with its own RequestId`);

  const wrongKey = createClient(cvmService, {
    ...options,
    credentials: { secretId: 'AKIDNOSUCHKEY0000000000000000000', secretKey: 'not-a-real-secret-key' },
    language: 'zh-CN',
  });
  try {
    await wrongKey.call('DescribeInstances', {});
  } catch (error) {
    if (!isApiError(error)) throw error;
    out(
      `3. a typed error (a key that does not exist): ${error.code} [category ${error.category}, retryable ${error.retryable}]`,
    );
    out(`     hint (zh-CN): ${error.hint ?? '(none)'}`);
    out(`     RequestId ${error.requestId}`);
  }

  if (emulator) {
    emulator.faults.add({ action: 'DescribeInstancesStatus', fault: { kind: 'throttle' }, times: 2 });
    const status = await cvm.transport.call('DescribeInstancesStatus', { Limit: 1 });
    out(
      `4. DescribeInstancesStatus answered RequestLimitExceeded twice → succeeded on attempt ${status.attempts} after ${status.retryDelayMs} ms of backoff`,
    );
  } else {
    out('4. (throttling is injected only on the embedded emulator: skipped)');
  }

  const dry = await cvm.dryRun('RunInstances', { Placement: { Zone: 'ap-guangzhou-3' }, ImageId: 'img-487zeit5' });
  out(`5. dry run RunInstances → ${dry.dryRun}`);

  const hunyuan = createClient(hunyuanService, options);
  process.stdout.write('6. stream ChatCompletions → ');
  for await (const event of await hunyuan.stream('ChatCompletions', {
    Model: 'hunyuan-lite',
    Messages: [{ Role: 'user', Content: 'hello' }],
  })) {
    process.stdout.write(event.Choices?.[0]?.Delta?.Content ?? '');
  }
  out('');
  if (emulator) {
    try {
      for await (const _event of await hunyuan.stream('ChatCompletions', {
        Model: 'hunyuan-lite',
        Messages: [{ Role: 'user', Content: STREAM_ERROR_PROMPT }],
      }));
    } catch (error) {
      if (!isApiError(error)) throw error;
      out(`     a stream failing mid-way ends with ApiError ${error.code}: ${error.serverMessage}`);
    }
  }
}
