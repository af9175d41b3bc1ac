import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isApiError } from '@x/errors';
import { STREAM_ERROR_PROMPT, startEmulator, type Emulator } from '../src/index';
import { client, cvm, rejection } from './helpers';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

interface Instance {
  InstanceId: string;
  InstanceName: string;
  InstanceState: string;
  Placement: { Zone: string };
}

describe('cvm 2017-03-12', () => {
  it('pages through 50 seeded instances with Offset/Limit/TotalCount, no duplicates', async () => {
    const t = cvm(emulator);
    const ids: string[] = [];
    for (let offset = 0; ; offset += 20) {
      const { data } = await t.call('DescribeInstances', { Offset: offset, Limit: 20 });
      expect(data['TotalCount']).toBe(50);
      const page = data['InstanceSet'] as Instance[];
      ids.push(...page.map((i) => i.InstanceId));
      if (page.length < 20) break;
    }
    expect(ids).toHaveLength(50);
    expect(new Set(ids).size).toBe(50);
    expect(ids.every((id) => /^ins-[a-z0-9]{8}$/.test(id))).toBe(true);
  });

  it('is the same seeded set in every emulator', async () => {
    const other = await startEmulator();
    const a = await cvm(emulator).call('DescribeInstances', { Limit: 5 });
    const b = await cvm(other).call('DescribeInstances', { Limit: 5 });
    expect((b.data['InstanceSet'] as Instance[]).map((i) => i.InstanceId)).toEqual(
      (a.data['InstanceSet'] as Instance[]).map((i) => i.InstanceId),
    );
    await other.close();
  });

  it('filters by zone, state, name and id, and selects InstanceIds', async () => {
    const t = cvm(emulator);
    const zone = await t.call('DescribeInstances', {
      Filters: [{ Name: 'zone', Values: ['ap-guangzhou-3'] }],
      Limit: 100,
    });
    expect((zone.data['InstanceSet'] as Instance[]).every((i) => i.Placement.Zone === 'ap-guangzhou-3')).toBe(true);
    expect(zone.data['TotalCount']).toBe(17);
    const stopped = await t.call('DescribeInstances', { Filters: [{ Name: 'instance-state', Values: ['STOPPED'] }] });
    expect(stopped.data['TotalCount']).toBe(7);
    const named = await t.call('DescribeInstances', {
      Filters: [{ Name: 'instance-name', Values: ['web-01', 'db-03'] }],
    });
    expect((named.data['InstanceSet'] as Instance[]).map((i) => i.InstanceName).sort()).toEqual(['db-03', 'web-01']);
    const first = (zone.data['InstanceSet'] as Instance[])[0]!.InstanceId;
    const byId = await t.call('DescribeInstances', { InstanceIds: [first] });
    expect(byId.data['TotalCount']).toBe(1);
    const status = await t.call('DescribeInstancesStatus', { InstanceIds: [first] });
    expect(status.data['InstanceStatusSet']).toEqual([{ InstanceId: first, InstanceState: 'RUNNING' }]);
  });

  it('refuses Limit above 100, malformed ids and unknown filters', async () => {
    const t = cvm(emulator);
    expect((await rejection(t.call('DescribeInstances', { Limit: 101 })))['code']).toBe('InvalidParameterValue');
    expect((await rejection(t.call('DescribeInstances', { InstanceIds: ['i-bad'] })))['code']).toBe(
      'InvalidInstanceId.Malformed',
    );
    expect(
      (await rejection(t.call('DescribeInstances', { Filters: [{ Name: 'color', Values: ['red'] }] })))['code'],
    ).toBe('InvalidFilter');
  });

  it('RunInstances: DryRun answers DryRunOperation; the same ClientToken gives the same instance once', async () => {
    const t = cvm(emulator);
    const base = { Placement: { Zone: 'ap-guangzhou-3' }, ImageId: 'img-487zeit5', InstanceName: 'made-by-test' };
    const dry = await rejection(t.call('RunInstances', { ...base, DryRun: true }));
    expect(isApiError(dry, 'DryRunOperation') && dry.category).toBe('dry-run');
    const first = await t.call('RunInstances', { ...base, ClientToken: 'token-abc' });
    const again = await t.call('RunInstances', { ...base, ClientToken: 'token-abc' });
    expect(again.data['InstanceIdSet']).toEqual(first.data['InstanceIdSet']);
    const listed = await t.call('DescribeInstances', {
      Filters: [{ Name: 'instance-name', Values: ['made-by-test'] }],
    });
    expect(listed.data['TotalCount']).toBe(1);
    expect((await rejection(t.call('RunInstances', { ImageId: 'img-1' })))['code']).toBe('MissingParameter');
  });

  it('DescribeRegions lists the regions', async () => {
    const { data } = await cvm(emulator).call('DescribeRegions');
    expect((data['RegionSet'] as { Region: string }[]).map((r) => r.Region)).toContain('ap-shanghai-fsi');
  });
});

describe('sts 2018-08-13', () => {
  const sts = () => client(emulator, 'sts', '2018-08-13');
  const roleArn = 'qcs::cam::uin/100000000001:roleName/deployer';

  it('AssumeRole issues temporary credentials the emulator accepts, with their token', async () => {
    const { data } = await sts().call('AssumeRole', {
      RoleArn: roleArn,
      RoleSessionName: 'ci-run',
      DurationSeconds: 900,
    });
    const creds = data['Credentials'] as { TmpSecretId: string; TmpSecretKey: string; Token: string };
    expect(data['ExpiredTime']).toBeGreaterThan(Date.now() / 1000 + 890);
    const temp = { secretId: creds.TmpSecretId, secretKey: creds.TmpSecretKey, token: creds.Token };
    const who = await client(emulator, 'sts', '2018-08-13', { credentials: temp }).call('GetCallerIdentity');
    expect(who.data).toMatchObject({ Type: 'AssumedRole', Arn: 'qcs::sts:100000000001:assumed-role/deployer/ci-run' });
    const noToken = await rejection(
      cvm(emulator, { credentials: { secretId: temp.secretId, secretKey: temp.secretKey } }).call('DescribeRegions'),
    );
    expect(noToken['code']).toBe('AuthFailure.TokenFailure');
  });

  it('temporary credentials stop working when they expire (emulator clock)', async () => {
    let now = Date.now();
    const timed = await startEmulator({ now: () => now });
    const { data } = await client(timed, 'sts', '2018-08-13').call('AssumeRole', {
      RoleArn: roleArn,
      RoleSessionName: 'short',
      DurationSeconds: 60,
    });
    const creds = data['Credentials'] as { TmpSecretId: string; TmpSecretKey: string; Token: string };
    now += 61_000;
    const err = await rejection(
      client(timed, 'cvm', '2017-03-12', {
        credentials: { secretId: creds.TmpSecretId, secretKey: creds.TmpSecretKey, token: creds.Token },
        now: () => now,
      }).call('DescribeRegions'),
    );
    expect(err['code']).toBe('AuthFailure.TokenFailure');
    await timed.close();
  });

  it('AssumeRoleWithWebIdentity is the one action accepted unsigned', async () => {
    const unsigned = client(emulator, 'sts', '2018-08-13', { credentials: undefined, auth: 'skip' });
    const { data } = await unsigned.call('AssumeRoleWithWebIdentity', {
      ProviderId: 'OIDC',
      WebIdentityToken: 'a.b.c',
      RoleArn: roleArn,
      RoleSessionName: 'pod',
    });
    expect(data['Credentials']).toHaveProperty('TmpSecretId');
    expect(emulator.requests.at(-1)?.params).toMatchObject({
      ProviderId: 'OIDC',
      WebIdentityToken: '[REDACTED]',
      RoleSessionName: 'pod',
    });
    expect(JSON.stringify(emulator.requests)).not.toContain('a.b.c');
    expect((await rejection(unsigned.call('AssumeRole', { RoleArn: roleArn, RoleSessionName: 'x1' })))['code']).toBe(
      'AuthFailure.InvalidAuthorization',
    );
  });

  it('validates RoleArn and RoleSessionName', async () => {
    expect((await rejection(sts().call('AssumeRole', { RoleSessionName: 'x1' })))['code']).toBe('MissingParameter');
    expect((await rejection(sts().call('AssumeRole', { RoleArn: 'bad', RoleSessionName: 'x1' })))['code']).toBe(
      'InvalidParameter.ResourceError',
    );
  });
});

describe('hunyuan 2023-09-01 ChatCompletions', () => {
  const hunyuan = () => client(emulator, 'hunyuan', '2023-09-01');
  type Event = { Choices?: { FinishReason: string; Delta: { Content: string } }[] };

  it('streams SSE token by token with the RequestId header, the last event finishing with stop', async () => {
    const stream = await hunyuan().stream<Event>('ChatCompletions', {
      Model: 'hunyuan-lite',
      Stream: true,
      Messages: [{ Role: 'user', Content: 'hi' }],
    });
    expect(stream.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const events: Event[] = [];
    for await (const e of stream.events) events.push(e.data);
    expect(events.length).toBeGreaterThan(3);
    expect(events.map((e) => e.Choices?.[0]?.Delta.Content).join('')).toBe('你好！This is the emulator. You said: hi');
    expect(events.at(-1)?.Choices?.[0]?.FinishReason).toBe('stop');
  });

  it('answers plain JSON without Stream', async () => {
    const { data } = await hunyuan().call('ChatCompletions', {
      Model: 'hunyuan-lite',
      Messages: [{ Role: 'user', Content: 'hi' }],
    });
    expect(data['Choices']).toEqual([
      { FinishReason: 'stop', Message: { Role: 'assistant', Content: '你好！This is the emulator. You said: hi' } },
    ]);
  });

  it('ends with a mid-stream ErrorMsg on the magic prompt', async () => {
    const stream = await hunyuan().stream('ChatCompletions', {
      Model: 'hunyuan-lite',
      Stream: true,
      Messages: [{ Role: 'user', Content: `x ${STREAM_ERROR_PROMPT}` }],
    });
    let seen = 0;
    const err = await rejection(
      (async () => {
        for await (const _e of stream.events) seen++;
      })(),
    );
    expect(seen).toBe(2);
    expect(err).toMatchObject({ code: '4001', requestId: stream.requestId });
  });

  it('refuses a call without Messages', async () => {
    expect((await rejection(hunyuan().call('ChatCompletions', { Model: 'hunyuan-lite' })))['code']).toBe(
      'MissingParameter',
    );
  });
});
