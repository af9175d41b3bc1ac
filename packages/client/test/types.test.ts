import { describe, expectTypeOf, it } from 'vitest';
import { createClient, type CvmApi, type CvmInstance, type HunyuanApi, type HunyuanChatEvent } from '../src/index';

// Compile-time checks (typecheck runs tsc over this file); the client is never called here.
describe('typed clients', () => {
  it('type action names, params, results, items and events', () => {
    const cvm = createClient<CvmApi>({ service: 'cvm', version: '2017-03-12', credentials: { secretId: 'AKIDEXAMPLE', secretKey: 'example-key' } });
    expectTypeOf(cvm.call<'DescribeInstances'>).returns.resolves.toMatchTypeOf<{ TotalCount: number; InstanceSet: readonly CvmInstance[]; RequestId: string }>();
    expectTypeOf(cvm.call<'DescribeInstances'>).parameter(1).toEqualTypeOf<CvmApi['DescribeInstances']['input'] | undefined>();
    // Any other action still works, untyped.
    expectTypeOf(cvm.call<'DescribeImages'>).returns.resolves.toMatchTypeOf<Record<string, unknown>>();
    expectTypeOf(cvm.paginate<'DescribeInstances', 'InstanceSet'>).returns.toEqualTypeOf<AsyncIterable<CvmInstance>>();
    const hunyuan = createClient<HunyuanApi>({ service: 'hunyuan', version: '2023-09-01', credentials: { secretId: 'AKIDEXAMPLE', secretKey: 'example-key' } });
    expectTypeOf(hunyuan.stream<'ChatCompletions'>).returns.resolves.toMatchTypeOf<AsyncIterable<HunyuanChatEvent>>();
    // @ts-expect-error InstanceIds must be strings
    void (() => cvm.call('DescribeInstances', { InstanceIds: [1] }));
    // @ts-expect-error TotalCount is not an array field
    void (() => cvm.paginate('DescribeInstances', {}, { items: 'TotalCount' }));
  });

  it('untyped clients take any action and params', () => {
    const any = createClient({ service: 'cvm', version: '2017-03-12', credentials: { secretId: 'AKIDEXAMPLE', secretKey: 'example-key' } });
    expectTypeOf(any.call<'Whatever'>).returns.resolves.toMatchTypeOf<Record<string, unknown> & { RequestId: string }>();
  });
});
