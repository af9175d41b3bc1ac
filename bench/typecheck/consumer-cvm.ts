// A consumer of the typed cvm client: what `bench/typecheck.mjs` type-checks.
import { createClient } from '@x/client';
import { cvm } from '@x/services/cvm';

const client = createClient(cvm, { region: 'ap-guangzhou' });
export async function run(): Promise<number> {
  const { InstanceSet } = await client.call('DescribeInstances', { Limit: 10 });
  let ids = 0;
  for await (const instance of client.paginate('DescribeInstances', {}, { items: 'InstanceSet' }))
    ids += instance.InstanceId ? 1 : 0;
  try {
    await client.call('StartInstances', { InstanceIds: ['ins-1'] });
  } catch (err) {
    if (client.isError(err, 'StartInstances', 'InvalidInstanceId.NotFound')) ids--;
  }
  return (InstanceSet?.length ?? 0) + ids;
}
