// The same consumer without @x/services: the baseline of `bench/typecheck.mjs`.
import { createClient } from '@x/client';

const client = createClient({ service: 'cvm', version: '2017-03-12', region: 'ap-guangzhou' });
export async function run(): Promise<number> {
  const { InstanceSet } = await client.call('DescribeInstances', { Limit: 10 });
  let ids = 0;
  for await (const instance of client.paginate('DescribeInstances', {}, { items: 'InstanceSet' }))
    ids += instance['InstanceId'] ? 1 : 0;
  return (Array.isArray(InstanceSet) ? InstanceSet.length : 0) + ids;
}
