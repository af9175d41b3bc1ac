// What a consumer of @x/client + @x/services gets from the compiler. Every `@ts-expect-error` line
// is a mistake the compiler must refuse (typecheck fails if it ever compiles); the rest must compile.
// The clients are created but never called.
import { createClient } from '@x/client';
import { cbs } from '@x/services/cbs';
import { cvm, type CvmApi, type Instance } from '@x/services/cvm';
import { hunyuan, type Choice } from '@x/services/hunyuan';
import { sts } from '@x/services/sts';
import { teo } from '@x/services/teo';
import { vpc } from '@x/services/vpc';
import { cvm as cvm20170312 } from '@x/services/cvm/v20170312';
import type { ActionErrorCode } from '@x/services';
import { describe, expect, expectTypeOf, it } from 'vitest';

const credentials = { secretId: 'AKIDEXAMPLE', secretKey: 'example-key' };
const never = false as boolean; // the calls below only need to compile
let err: unknown;

describe('generated service types in a consumer', () => {
  it('cvm', () => {
    const client = createClient(cvm, { region: 'ap-guangzhou', credentials });
    expectTypeOf(client.call<'DescribeInstances'>)
      .returns.resolves.toHaveProperty('InstanceSet')
      .toEqualTypeOf<readonly Instance[] | undefined>();
    expectTypeOf(client.paginate('DescribeInstances', {}, { items: 'InstanceSet' })).toMatchTypeOf<
      AsyncIterable<Instance>
    >();
    expectTypeOf(createClient(cvm20170312, { credentials })).toEqualTypeOf(client);
    if (never) {
      void client.call('DescribeInstances', { Limit: 10, Filters: [{ Name: 'zone', Values: ['ap-guangzhou-6'] }] });
      // @ts-expect-error misspelt action
      void client.call('DescribeInstance', {});
      // @ts-expect-error misspelt param
      void client.call('DescribeInstances', { Limt: 10 });
      // @ts-expect-error wrong param type
      void client.call('DescribeInstances', { Limit: '10' });
      // @ts-expect-error missing required param (InstanceIds)
      void client.call('StartInstances', {});
      // @ts-expect-error cvm has no streaming action
      void client.stream('DescribeInstances');
    }
    if (client.isError(err, 'RunInstances', 'ResourceInsufficient.SpecifiedInstanceType'))
      expectTypeOf(err.requestId).toBeString();
    // @ts-expect-error an error code RunInstances does not document
    void client.isError(err, 'RunInstances', 'InvalidVpcId.NotFound');
    expectTypeOf<'InvalidInstanceId.NotFound'>().toMatchTypeOf<ActionErrorCode<CvmApi, 'StartInstances'>>();
  });

  it('cbs', () => {
    const client = createClient(cbs, { credentials });
    if (never) {
      void client.paginate('DescribeDisks', { Limit: 50 }, { items: 'DiskSet' });
      // @ts-expect-error misspelt action
      void client.call('DescribeDisk');
      // @ts-expect-error misspelt param
      void client.call('DescribeDisks', { DiskId: ['disk-1'] });
      // @ts-expect-error wrong param type
      void client.call('DescribeDisks', { DiskIds: 'disk-1' });
      // @ts-expect-error missing required param (DiskIds)
      void client.call('AttachDisks', { InstanceId: 'ins-1' });
      // @ts-expect-error TotalCount is not an array field
      void client.paginate('DescribeDisks', {}, { items: 'TotalCount' });
    }
    // @ts-expect-error an error code DescribeDisks does not document
    void client.isError(err, 'DescribeDisks', 'InvalidDisk.NotFound');
  });

  it('vpc', () => {
    const client = createClient(vpc, { credentials });
    if (never) {
      void client.call('CreateVpc', { VpcName: 'main', CidrBlock: '10.0.0.0/16' });
      // @ts-expect-error misspelt action
      void client.call('CreateVPC', { VpcName: 'main', CidrBlock: '10.0.0.0/16' });
      // @ts-expect-error misspelt param
      void client.call('CreateVpc', { VpcName: 'main', CidrBlock: '10.0.0.0/16', DnsServer: ['1.1.1.1'] });
      // @ts-expect-error wrong param type
      void client.call('CreateVpc', { VpcName: 'main', CidrBlock: 10 });
      // @ts-expect-error missing required param (CidrBlock)
      void client.call('CreateVpc', { VpcName: 'main' });
    }
    // @ts-expect-error an error code DescribeVpcs does not document
    void client.isError(err, 'DescribeVpcs', 'InvalidInstanceId.NotFound');
  });

  it('sts', () => {
    const client = createClient(sts, { credentials });
    if (never) {
      void client.call('AssumeRole', { RoleArn: 'qcs::cam::uin/1:roleName/r', RoleSessionName: 's' });
      // @ts-expect-error misspelt action
      void client.call('AssumeRoles', { RoleArn: 'a', RoleSessionName: 's' });
      // @ts-expect-error misspelt param
      void client.call('AssumeRole', { RoleArn: 'a', RoleSessionName: 's', Duration: 900 });
      // @ts-expect-error wrong param type
      void client.call('AssumeRole', { RoleArn: 'a', RoleSessionName: 's', DurationSeconds: '900' });
      // @ts-expect-error missing required param (RoleSessionName)
      void client.call('AssumeRole', { RoleArn: 'a' });
    }
    void client.isError(err, 'GetCallerIdentity', 'AuthFailure.AccessKeyIllegal');
    // @ts-expect-error an error code GetCallerIdentity does not document
    void client.isError(err, 'GetCallerIdentity', 'InvalidParameter.GrantOtherResource');
  });

  it('hunyuan (streaming)', async () => {
    const client = createClient(hunyuan, { credentials });
    if (never) {
      const stream = await client.stream('ChatCompletions', {
        Model: 'hunyuan-turbos-latest',
        Messages: [{ Role: 'user', Content: 'hi' }],
      });
      for await (const event of stream) {
        expectTypeOf(event.Choices).toEqualTypeOf<readonly Choice[] | undefined>();
        // @ts-expect-error a wrong stream event field
        void event.Choice;
      }
      // @ts-expect-error misspelt action
      void client.stream('ChatCompletion', { Model: 'm', Messages: [] });
      // @ts-expect-error misspelt param
      void client.call('ChatCompletions', { Model: 'm', Message: [] });
      // @ts-expect-error wrong param type
      void client.call('ChatCompletions', { Model: 'm', Messages: [], Temperature: 'hot' });
      // @ts-expect-error missing required param (Model)
      void client.call('ChatCompletions', { Messages: [] });
      // @ts-expect-error GetEmbedding does not stream
      void client.stream('GetEmbedding', { Input: 'x' });
    }
    // @ts-expect-error an error code ChatCompletions does not document
    void client.isError(err, 'ChatCompletions', 'InvalidInstanceId.NotFound');
  });

  it('teo', () => {
    const client = createClient(teo, { credentials });
    if (never) {
      void client.paginate('DescribeZones', {}, { items: 'Zones' });
      // @ts-expect-error misspelt action
      void client.call('DescribeZone');
      // @ts-expect-error misspelt param
      void client.call('DescribeZones', { Limits: 10 });
      // @ts-expect-error wrong param type
      void client.call('DescribeZones', { Offset: '0' });
      // @ts-expect-error missing required param (ZoneId)
      void client.call('DeleteZone', {});
    }
    // @ts-expect-error an error code DescribeZones does not document
    void client.isError(err, 'DescribeZones', 'InvalidInstanceId.NotFound');
    expect(client.transport).toBeDefined();
  });

  it('refuses a map given without its descriptor', () => {
    // @ts-expect-error createClient<CvmApi>({ service: 'cbs' }) would type cbs calls as cvm's
    void (() => createClient<CvmApi>({ service: 'cbs', version: '2017-03-12' }));
  });
});
