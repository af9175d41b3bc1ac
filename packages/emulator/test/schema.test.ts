import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUsageError } from '@x/errors';
import { signV1 } from '@x/transport/sign';
import { DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, startEmulator, type Emulator } from '../src/index';
import { client, cvm, raw, rejection } from './helpers';

let emulator: Emulator;
let seen: Record<string, unknown>[];
beforeAll(async () => {
  seen = [];
  emulator = await startEmulator({
    handlers: {
      cvm: {
        DescribeImages: (params) => {
          seen.push(params);
          return { TotalCount: 0, ImageSet: [] };
        },
      },
    },
  });
});
afterAll(() => emulator.close());

describe('validation like the gateway', () => {
  it('refuses an unknown param (the typo a user makes) naming it, with a RequestId', async () => {
    const err = await rejection(cvm(emulator).call('DescribeInstances', { Limt: 10 }));
    expect(err).toMatchObject({
      code: 'UnknownParameter',
      serverMessage: expect.stringContaining('`Limt`') as unknown,
    });
    expect(err['requestId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(emulator.requests.at(-1)?.errorCode).toBe('UnknownParameter');
  });

  it('names the path of nested params: unknown, missing and mistyped', async () => {
    const unknown = await rejection(
      cvm(emulator).call('DescribeInstances', { Filters: [{ Name: 'zone', Values: ['ap-guangzhou-3'], Valus: [] }] }),
    );
    expect(unknown).toMatchObject({
      code: 'UnknownParameter',
      serverMessage: expect.stringContaining('`Filters.0.Valus`') as unknown,
    });
    const missing = await rejection(cvm(emulator).call('DescribeInstances', { Filters: [{ Values: ['x'] }] }));
    expect(missing).toMatchObject({
      code: 'MissingParameter',
      serverMessage: expect.stringContaining('`Filters.0.Name`') as unknown,
    });
    const notArray = await rejection(
      cvm(emulator).call('DescribeInstances', { Filters: [{ Name: 'zone', Values: 'ap-guangzhou-3' }] }),
    );
    expect(notArray).toMatchObject({
      code: 'InvalidParameter',
      serverMessage: expect.stringContaining('`Filters.0.Values`') as unknown,
    });
    const objectForArray = await rejection(cvm(emulator).call('DescribeInstances', { Filters: { Name: 'zone' } }));
    expect(objectForArray).toMatchObject({
      code: 'InvalidParameter',
      serverMessage: expect.stringContaining('`Filters` must be an array') as unknown,
    });
    const stringForInteger = await rejection(cvm(emulator).call('DescribeInstances', { Limit: '10' }));
    expect(stringForInteger).toMatchObject({
      code: 'InvalidParameter',
      serverMessage: 'The parameter `Limit` must be a number, got the string "10".',
    });
    const missingTop = await rejection(cvm(emulator).call('RunInstances', { Placement: { Zone: 'ap-guangzhou-3' } }));
    expect(missingTop).toMatchObject({
      code: 'MissingParameter',
      serverMessage: 'The request is missing a required parameter `ImageId`.',
    });
  });

  it('answers in the language of X-TC-Language', async () => {
    const err = await rejection(
      cvm(emulator, { language: 'zh-CN' }).call('DescribeInstances', { Filters: [{ Values: ['x'] }] }),
    );
    expect(err).toMatchObject({ code: 'MissingParameter', serverMessage: '缺少必填参数 `Filters.0.Name`。' });
    const unknown = await rejection(cvm(emulator, { language: 'zh-CN' }).call('DescribeInstances', { Limt: 1 }));
    expect(unknown['serverMessage']).toBe('参数 `Limt` 未定义。');
  });

  it('accepts text for numbers from a query string, gives handlers the validated params, and keeps v1 common params out', async () => {
    const { data } = await cvm(emulator, { method: 'GET' }).call('DescribeInstances', { Limit: 3, Offset: 1 });
    expect(data['InstanceSet']).toHaveLength(3);
    seen.length = 0;
    // A string param whose value looks like a number travels as text and reaches the handler as a string.
    await cvm(emulator, { method: 'GET' }).call('DescribeImages', {
      ImageIds: ['123'],
      Limit: 5,
      Filters: [{ Name: 'image-type', Values: ['PUBLIC_IMAGE'] }],
    });
    expect(seen).toEqual([
      { ImageIds: ['123'], Limit: 5, Filters: [{ Name: 'image-type', Values: ['PUBLIC_IMAGE'] }] },
    ]);
    const host = `cvm.${new URL(emulator.url).host}`;
    const params: Record<string, string> = {
      Action: 'DescribeImages',
      Version: '2017-03-12',
      Region: 'ap-guangzhou',
      Limit: '7',
      Language: 'en-US',
      Nonce: '11886',
      Timestamp: String(Math.floor(Date.now() / 1000)),
      SecretId: DEFAULT_SECRET_ID,
      SignatureMethod: 'HmacSHA256',
    };
    params['Signature'] = await signV1({ method: 'GET', host, params, secretKey: DEFAULT_SECRET_KEY });
    const ok = await raw(emulator.url, {
      method: 'GET',
      path: `/?${new URLSearchParams(params)}`,
      headers: { Host: host },
    });
    expect(JSON.parse(ok.body)).toMatchObject({ Response: { TotalCount: 0 } });
    expect(seen.at(-1)).toEqual({ Limit: 7 });
    const badNumber = await rejection(cvm(emulator, { method: 'GET' }).call('DescribeInstances', { Limit: 'ten' }));
    expect(badNumber).toMatchObject({
      code: 'InvalidParameterValue',
      serverMessage: expect.stringContaining('`Limit`') as unknown,
    });
  });

  it('InvalidAction for an unknown action of a known service, NoSuchVersion for an unknown version, NoSuchProduct for an unknown service', async () => {
    expect((await rejection(client(emulator, 'vpc', '2017-03-12').call('DescribeEverything')))['code']).toBe(
      'InvalidAction',
    );
    expect((await rejection(client(emulator, 'vpc', '2099-01-01').call('DescribeVpcs')))['code']).toBe('NoSuchVersion');
    expect((await rejection(client(emulator, 'nosuchservice', '2017-03-12').call('DescribeVpcs')))['code']).toBe(
      'NoSuchProduct',
    );
  });

  it('`validate: false` lets anything through to the handler', async () => {
    const loose = await startEmulator({ validate: false });
    expect((await cvm(loose).call('DescribeInstances', { Limt: 10 })).data['TotalCount']).toBe(50);
    await loose.close();
  });
});

describe('synthesized answers', () => {
  it('answer every declared output field, the same for the same seed, other values for another seed', async () => {
    const other = await startEmulator({ seed: 2 });
    const twin = await startEmulator();
    const call = (e: Emulator) =>
      client(e, 'vpc', '2017-03-12')
        .call('DescribeVpcLimits', { LimitTypes: ['appid-max-vpcs'] })
        .then((r) => r.data);
    const [a, b, c] = await Promise.all([call(emulator), call(twin), call(other)]);
    expect(Object.keys(a).sort()).toEqual(['RequestId', 'VpcLimitSet']);
    expect((a['VpcLimitSet'] as unknown[])[0]).toEqual({
      LimitType: expect.stringMatching(/^LimitType-[0-9a-z]{8}$/) as unknown,
      LimitValue: expect.any(Number) as unknown,
    });
    expect({ ...b, RequestId: '' }).toEqual({ ...a, RequestId: '' });
    expect(c['VpcLimitSet']).not.toEqual(a['VpcLimitSet']);
    await Promise.all([other.close(), twin.close()]);
  });

  it('page list actions by Offset/Limit over a stable TotalCount', async () => {
    const cbs = client(emulator, 'cbs', '2017-03-12');
    type Disks = { TotalCount: number; DiskSet: { DiskId: string }[] };
    const first = (await cbs.call<Disks>('DescribeDisks', { Limit: 5 })).data;
    const all = (await cbs.call<Disks>('DescribeDisks', { Limit: 100 })).data;
    expect(all.TotalCount).toBeGreaterThan(5);
    expect(all.DiskSet).toHaveLength(all.TotalCount);
    expect(new Set(all.DiskSet.map((d) => d.DiskId)).size).toBe(all.TotalCount);
    expect(first.DiskSet).toEqual(all.DiskSet.slice(0, 5));
    const third = (await cbs.call<Disks>('DescribeDisks', { Offset: 2, Limit: 1 })).data;
    expect(third.DiskSet).toEqual([all.DiskSet[2]]);
    expect((await cbs.call<Disks>('DescribeDisks', { Offset: all.TotalCount })).data.DiskSet).toEqual([]);
    // vpc types its Limit as a string, as the real API does: a number is refused, text accepted.
    expect((await rejection(client(emulator, 'vpc', '2017-03-12').call('DescribeVpcs', { Limit: 5 })))['code']).toBe(
      'InvalidParameter',
    );
    expect(
      (await client(emulator, 'vpc', '2017-03-12').call<{ VpcSet: unknown[] }>('DescribeVpcs', { Limit: '5' })).data
        .VpcSet.length,
    ).toBeLessThanOrEqual(5);
  });

  it('stream synthesized events for streaming actions', async () => {
    const stream = await client(emulator, 'lkeap', '2024-05-22').stream<Record<string, unknown>>('ChatCompletions', {
      Model: 'deepseek-r1',
      Messages: [{ Role: 'user', Content: 'hi' }],
      Stream: true,
    });
    const events: Record<string, unknown>[] = [];
    for await (const event of stream.events) events.push(event.data);
    expect(events).toHaveLength(3);
    expect(Object.keys(events[0]!)).toEqual(expect.arrayContaining(['Choices', 'Usage']));
  });
});

describe('faults by documented error code', () => {
  it('answer the code with its catalog text in the request language', async () => {
    const e = await startEmulator({
      faults: [
        { service: 'cvm', action: 'RunInstances', error: 'ResourceInsufficient.SpecifiedInstanceType', times: 2 },
      ],
    });
    const params = { Placement: { Zone: 'ap-guangzhou-3' }, ImageId: 'img-487zeit5' };
    const en = await rejection(cvm(e).call('RunInstances', params));
    expect(en).toMatchObject({
      code: 'ResourceInsufficient.SpecifiedInstanceType',
      serverMessage: 'The specified instance type is insufficient.',
    });
    const zh = await rejection(cvm(e, { language: 'zh-CN' }).call('RunInstances', params));
    expect(zh['code']).toBe('ResourceInsufficient.SpecifiedInstanceType');
    expect(zh['serverMessage']).toBe('指定的实例类型库存不足。');
    // Invalid params are refused first; after `times` the fixture answers again.
    expect((await cvm(e).call('RunInstances', params)).data['InstanceIdSet']).toHaveLength(1);
    await e.close();
  });

  it('refuse at startEmulator a code the action does not document, unless forced; common codes pass', async () => {
    const err = await rejection(
      startEmulator({ faults: [{ service: 'cvm', action: 'RunInstances', error: 'ResourceNotFound.NoSuchBucket' }] }),
    );
    expect(isUsageError(err)).toBe(true);
    expect(err['message']).toContain(
      'ResourceNotFound.NoSuchBucket is not a documented error code of cvm RunInstances',
    );
    expect(err['argument']).toBe('rule.error');
    const typo = await rejection(
      startEmulator({
        faults: [{ service: 'cvm', action: 'RunInstance', error: 'ResourceInsufficient.SpecifiedInstanceType' }],
      }),
    );
    expect(typo['message']).toContain('no action RunInstance');
    expect(() =>
      emulator.faults.add({
        service: 'cvm',
        action: 'DescribeInstances',
        error: 'ResourceInsufficient.SpecifiedInstanceType',
      }),
    ).toThrow(/not a documented/);
    const forced = await startEmulator({
      faults: [
        { service: 'cvm', action: 'RunInstances', error: 'ResourceNotFound.NoSuchBucket', force: true },
        { action: 'DescribeRegions', error: 'InternalError' },
      ],
    });
    expect(
      (await rejection(cvm(forced).call('RunInstances', { Placement: { Zone: 'ap-guangzhou-3' }, ImageId: 'img-1' })))[
        'code'
      ],
    ).toBe('ResourceNotFound.NoSuchBucket');
    expect((await rejection(cvm(forced).call('DescribeRegions')))['code']).toBe('InternalError');
    await forced.close();
  });

  it('check a rule without a service against every service that has the action', () => {
    const remove = emulator.faults.add({ action: 'RunInstances', error: 'ResourceInsufficient.SpecifiedInstanceType' });
    remove();
    expect(() => emulator.faults.add({ action: 'RunInstances', error: 'NoSuch.Code' })).toThrow(
      /not a documented error code of any service RunInstances/,
    );
  });
});
