// paginate and dryRun with the generated maps and descriptors, over real HTTP to @x/emulator.
import { createClient, isUsageError } from '@x/client';
import { startEmulator, type Emulator } from '@x/emulator';
import { serviceVersions } from '@x/services';
import { cvm } from '@x/services/cvm';
import { vpc } from '@x/services/vpc';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
const options = () => ({ region: 'ap-guangzhou', endpoint: emulator.url, credentials: emulator.credentials });

describe('paginate with the generated maps', () => {
  it('compiles only for Offset/Limit/TotalCount listings (cvm DescribeRegions has no Offset), cursor listings need their cursor', () => {
    const client = createClient(cvm, options());
    const never = false as boolean;
    if (never) {
      // @ts-expect-error DescribeRegions is not paged: this used to send Offset/Limit to it
      void client.paginate('DescribeRegions', {}, { items: 'RegionSet' });
      // @ts-expect-error DescribeResourcePoolPacks pages by NextToken, not Offset
      void client.paginate('DescribeResourcePoolPacks', {}, { items: 'DedicatedResourcePackSet' });
      void client.paginate('DescribeResourcePoolPacks', {}, { items: 'DedicatedResourcePackSet', cursor: 'NextToken' });
    }
    expectTypeOf(client.paginate('DescribeInstances', {}, { items: 'InstanceSet' }).pages()).toMatchTypeOf<
      AsyncIterable<{ requestId: string }>
    >();
  });

  it('pages cvm DescribeInstances with a RequestId per page', async () => {
    const client = createClient(cvm, options());
    const ids = new Set<string>();
    let items = 0;
    for await (const page of client.paginate('DescribeInstances', {}, { items: 'InstanceSet', pageSize: 20 }).pages()) {
      ids.add(page.requestId);
      items += page.items.length;
    }
    expect([items, ids.size]).toEqual([50, 3]);
  });

  it('sends vpc DescribeVpcs Offset/Limit as strings, as its definitions type them (numbers are refused)', async () => {
    const client = createClient(vpc, options());
    await expect(client.untyped.call('DescribeVpcs', { Offset: 0, Limit: 5 })).rejects.toThrow(
      /`Offset` must be a string/,
    );
    const { TotalCount } = await client.call('DescribeVpcs', { Limit: '1' });
    const all = await client.paginate('DescribeVpcs', {}, { items: 'VpcSet', pageSize: 5 }).toArray();
    expect(all.length).toBe(TotalCount);
    expect(new Set(all.map((v) => v.VpcId)).size).toBe(all.length);
  });

  it('the descriptors mark the actions that take DryRun and the listings with text Offset/Limit', () => {
    expect(serviceVersions.length).toBe(298);
    expect(Object.keys(cvm.dryRun)).toContain('RunInstances');
    expect(cvm.dryRun).not.toHaveProperty('DescribeInstances');
    expect(vpc.textPaging).toMatchObject({ DescribeVpcs: ['Offset', 'Limit'] });
  });
});

describe('dryRun with the generated descriptors', () => {
  it('would-succeed for RunInstances; refused before sending for an action without DryRun', async () => {
    const client = createClient(cvm, options());
    expect(
      (await client.dryRun('RunInstances', { Placement: { Zone: 'ap-guangzhou-3' }, ImageId: 'img-487zeit5' })).dryRun,
    ).toBe('would-succeed');
    const never = false as boolean;
    // @ts-expect-error TerminateInstances has no DryRun param: it would run for real
    if (never) void client.dryRun('TerminateInstances', { InstanceIds: ['ins-1'] });
    const err = await client.untyped
      .dryRun('TerminateInstances', { InstanceIds: ['ins-00000001'] })
      .catch((e: unknown) => e);
    expect(isUsageError(err) && err.message).toContain('cvm TerminateInstances has no DryRun param');
  });
});
