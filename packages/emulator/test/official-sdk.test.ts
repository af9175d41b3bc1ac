import { createRequire } from 'node:module';
import type { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopbackAgent, startEmulator, type Emulator } from '../src/index';

// The official Node SDK (tencentcloud-sdk-nodejs-common) against the emulator: proof that the
// emulator speaks the real protocol, not just ours. The SDK signs with the service taken from the
// endpoint's first label (`127.0.0.1:port` would sign for a service "127"), so it keeps a real
// endpoint name and gets an agent whose sockets all go to the emulator on 127.0.0.1 (no DNS, no
// network). Its default `https://` becomes `http://`: the emulator speaks plain HTTP.
const require = createRequire(import.meta.url);
const { CommonClient } = require('tencentcloud-sdk-nodejs-common') as {
  CommonClient: new (
    endpoint: string,
    version: string,
    config: Record<string, unknown>,
  ) => {
    request(
      action: string,
      params: Record<string, unknown>,
      options?: Record<string, unknown>,
    ): Promise<Record<string, unknown>>;
  };
};

interface SdkError {
  code?: string;
  message?: string;
  requestId?: string;
}

let emulator: Emulator;
let agent: Agent;
beforeAll(async () => {
  emulator = await startEmulator();
  agent = loopbackAgent(emulator);
});
afterAll(async () => {
  agent.destroy();
  await emulator.close();
});

const officialClient = (
  secretKey: string,
  endpoint = 'cvm.tencentcloudapi.com',
  version = '2017-03-12',
  extra: Record<string, unknown> = {},
) =>
  new CommonClient(endpoint, version, {
    credential: { secretId: emulator.credentials.secretId, secretKey },
    region: 'ap-guangzhou',
    profile: { httpProfile: { protocol: 'http://', agent, reqTimeout: 10, ...extra } },
  });

describe('the official Node SDK', () => {
  it('calls the emulator and gets the fixture data', async () => {
    const result = await officialClient(emulator.credentials.secretKey).request('DescribeInstances', {
      Limit: 3,
      Filters: [{ Name: 'zone', Values: ['ap-guangzhou-3'] }],
    });
    expect(result['TotalCount']).toBe(17);
    expect(result['InstanceSet']).toHaveLength(3);
    expect(emulator.requests.at(-1)).toMatchObject({
      signatureMethod: 'TC3-HMAC-SHA256',
      service: 'cvm',
      action: 'DescribeInstances',
      secretId: emulator.credentials.secretId,
    });
    expect(emulator.requests.at(-1)?.headers['x-tc-traceid']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gets AuthFailure.SignatureFailure with a wrong key', async () => {
    const err = (await officialClient('not-the-right-key')
      .request('DescribeInstances', {})
      .catch((e: unknown) => e)) as SdkError;
    expect(err.code).toBe('AuthFailure.SignatureFailure');
    expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(emulator.requests.at(-1)?.requestId).toBe(err.requestId);
  });

  it('is accepted with a port in its endpoint, though it signs the host without it', async () => {
    const withPort = officialClient(emulator.credentials.secretKey, `cvm.tencentcloudapi.com:${emulator.port}`);
    const result = await withPort.request('DescribeRegions', {});
    expect(result['TotalCount']).toBe(20);
    expect(emulator.requests.at(-1)?.headers['host']).toBe(`cvm.tencentcloudapi.com:${emulator.port}`);
  });

  it('signs GET requests the emulator accepts', async () => {
    const result = await officialClient(emulator.credentials.secretKey, undefined, undefined, {
      reqMethod: 'GET',
    }).request('DescribeInstances', { Limit: 2 });
    expect(result['InstanceSet']).toHaveLength(2);
    expect(emulator.requests.at(-1)).toMatchObject({ method: 'GET', action: 'DescribeInstances' });
  });

  it('uses temporary credentials from the STS fixture, token included', async () => {
    const sts = officialClient(emulator.credentials.secretKey, 'sts.tencentcloudapi.com', '2018-08-13');
    const assumed = (await sts.request('AssumeRole', {
      RoleArn: 'qcs::cam::uin/100000000001:roleName/reader',
      RoleSessionName: 'sdk',
    })) as {
      Credentials: { TmpSecretId: string; TmpSecretKey: string; Token: string };
    };
    const temp = new CommonClient('sts.tencentcloudapi.com', '2018-08-13', {
      credential: {
        secretId: assumed.Credentials.TmpSecretId,
        secretKey: assumed.Credentials.TmpSecretKey,
        token: assumed.Credentials.Token,
      },
      region: 'ap-guangzhou',
      profile: { httpProfile: { protocol: 'http://', agent, reqTimeout: 10 } },
    });
    expect(await temp.request('GetCallerIdentity', {})).toMatchObject({
      Type: 'AssumedRole',
      Arn: 'qcs::sts:100000000001:assumed-role/reader/sdk',
    });
  });

  it('reads the error messages in Chinese when it asks for zh-CN', async () => {
    const client = new CommonClient('cvm.tencentcloudapi.com', '2017-03-12', {
      credential: { secretId: 'AKIDUNKNOWN0000000000', secretKey: 'k' },
      region: 'ap-guangzhou',
      profile: { language: 'zh-CN', httpProfile: { protocol: 'http://', agent, reqTimeout: 10 } },
    });
    const err = (await client.request('DescribeRegions', {}).catch((e: unknown) => e)) as SdkError;
    expect(err.code).toBe('AuthFailure.SecretIdNotFound');
    expect(err.message).toMatch(/^密钥不存在/);
  });
  it('calls synthesized and fixture actions of five more services, and gets the gateway validation errors', async () => {
    const call = (service: string, version: string, action: string, params: Record<string, unknown>) =>
      officialClient(emulator.credentials.secretKey, `${service}.tencentcloudapi.com`, version).request(action, params);
    expect(await call('sts', '2018-08-13', 'GetCallerIdentity', {})).toMatchObject({ Type: 'RootAccount' });
    expect(
      await call('hunyuan', '2023-09-01', 'ChatCompletions', {
        Model: 'hunyuan-lite',
        Messages: [{ Role: 'user', Content: 'hi' }],
      }),
    ).toMatchObject({
      Choices: [{ FinishReason: 'stop' }],
    });
    const vpcs = await call('vpc', '2017-03-12', 'DescribeVpcs', { Limit: '2' });
    expect(Object.keys(vpcs)).toEqual(expect.arrayContaining(['TotalCount', 'VpcSet', 'RequestId']));
    expect((vpcs['VpcSet'] as unknown[]).length).toBeLessThanOrEqual(2);
    const disks = await call('cbs', '2017-03-12', 'DescribeDisks', { Limit: 3, Offset: 1 });
    expect(disks['DiskSet']).toHaveLength(Math.min(3, (disks['TotalCount'] as number) - 1));
    expect(Object.keys(await call('tke', '2018-05-25', 'DescribeClusters', { Limit: 1 }))).toEqual(
      expect.arrayContaining(['TotalCount', 'Clusters']),
    );
    expect(Object.keys(await call('cam', '2019-01-16', 'ListUsers', {}))).toEqual(
      expect.arrayContaining(['Data', 'RequestId']),
    );
    const unknown = (await call('cbs', '2017-03-12', 'DescribeDisks', { Limt: 3 }).catch(
      (e: unknown) => e,
    )) as SdkError;
    expect(unknown).toMatchObject({ code: 'UnknownParameter', message: 'The parameter `Limt` is not recognized.' });
    expect(unknown.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
