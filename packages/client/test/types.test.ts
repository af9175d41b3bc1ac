import { describe, expect, expectTypeOf, it } from 'vitest';
import { ApiError, createClient, isUsageError, type ServiceDescriptor } from '../src/index';

// A hand-written map in the shape @x/services generates (the generated ones are tested in tests/integration).
interface Thing {
  readonly ThingId: string;
  readonly Size?: number;
}
interface ThingsApi {
  readonly DescribeThings: {
    readonly input: { readonly Limit?: number; readonly Offset?: number; readonly ThingIds?: readonly string[] };
    readonly output: { readonly TotalCount?: number; readonly ThingSet?: readonly Thing[] };
    readonly errors: 'ResourceNotFound.ThingNotFound' | 'InvalidParameterValue.ThingIdMalformed';
  };
  readonly CreateThing: {
    readonly input: { readonly Name: string };
    readonly output: { readonly ThingId?: string };
    readonly errors: never;
  };
  readonly Chat: {
    readonly input: { readonly Prompt: string; readonly Stream?: boolean };
    readonly output: { readonly Text?: string };
    readonly errors: 'FailedOperation.ModelBusy';
    readonly event: { readonly Delta?: string };
  };
}
const things: ServiceDescriptor<ThingsApi, 'things', '2024-01-01'> = {
  service: 'things',
  version: '2024-01-01',
  streaming: { Chat: 'Stream' },
};
const credentials = { secretId: 'AKIDEXAMPLE', secretKey: 'example-key' };

// Compile-time checks (typecheck runs tsc over this file); the clients are never called here.
describe('typed clients', () => {
  it('type action names, params, results, items, events and error codes from a descriptor', () => {
    const client = createClient(things, { credentials });
    expectTypeOf(client.call<'DescribeThings'>).returns.resolves.toEqualTypeOf<
      ThingsApi['DescribeThings']['output'] & { readonly RequestId: string }
    >();
    expectTypeOf(client.call<'DescribeThings'>)
      .parameter(1)
      .toEqualTypeOf<ThingsApi['DescribeThings']['input'] | undefined>();
    expectTypeOf(client.paginate('DescribeThings', {}, { items: 'ThingSet' })).toMatchTypeOf<AsyncIterable<Thing>>();
    expectTypeOf(client.stream<'Chat'>).returns.resolves.toMatchTypeOf<AsyncIterable<{ readonly Delta?: string }>>();
    // @ts-expect-error a misspelt action
    void (() => client.call('DescribeThing'));
    // @ts-expect-error a misspelt param
    void (() => client.call('DescribeThings', { Limt: 10 }));
    // @ts-expect-error ThingIds must be strings
    void (() => client.call('DescribeThings', { ThingIds: [1] }));
    // @ts-expect-error Name is required
    void (() => client.call('CreateThing', {}));
    // @ts-expect-error TotalCount is not an array field
    void (() => client.paginate('DescribeThings', {}, { items: 'TotalCount' }));
    // @ts-expect-error DescribeThings does not stream
    void (() => client.stream('DescribeThings'));
    // The escape hatch for actions newer than the map: untyped, any params.
    expectTypeOf(client.untyped.call<'DescribeNewThings'>).returns.resolves.toMatchTypeOf<
      Record<string, unknown> & { RequestId: string }
    >();
  });

  it('narrow errors to the codes an action documents', () => {
    const client = createClient(things, { credentials });
    const err: unknown = undefined;
    if (client.isError(err, 'DescribeThings', 'ResourceNotFound.ThingNotFound')) {
      expectTypeOf(err.action).toEqualTypeOf<'DescribeThings'>();
      expectTypeOf(err.requestId).toEqualTypeOf<string>();
    }
    void client.isError(err, 'DescribeThings', 'ResourceNotFound'); // a dotted ancestor of a documented code
    void client.isError(err, 'DescribeThings', ['AuthFailure', 'RequestLimitExceeded']); // common codes: any action
    // @ts-expect-error CreateThing documents no ThingNotFound
    void client.isError(err, 'CreateThing', 'ResourceNotFound.ThingNotFound');
    // @ts-expect-error not a code of this action
    void client.isError(err, 'Chat', 'InvalidParameterValue.ThingIdMalformed');
  });

  it('untyped clients take any action, params and array field', () => {
    const any = createClient({ service: 'cbs', version: '2017-03-12', credentials });
    expectTypeOf(any.call<'Whatever'>).returns.resolves.toMatchTypeOf<
      Record<string, unknown> & { RequestId: string }
    >();
    expectTypeOf(any.paginate('DescribeDisks', {}, { items: 'DiskSet' })).toMatchTypeOf<
      AsyncIterable<Record<string, unknown>>
    >();
    void (() => any.paginate('DescribeDisks', {}, { items: 'DiskSet' }));
    void any.isError(undefined, 'DescribeDisks', 'ResourceNotFound.Anything');
  });

  it('refuses a type argument without its descriptor', () => {
    // @ts-expect-error a map is not a descriptor: the service would be unchecked
    void (() => createClient<ThingsApi>({ service: 'cbs', version: '2017-03-12' }));
  });
});

describe('descriptor behaviour', () => {
  it('isError checks the action and service at run time', () => {
    const client = createClient(things, { credentials });
    const error = new ApiError({
      code: 'ResourceNotFound.ThingNotFound',
      serverMessage: 'no',
      requestId: 'r-1',
      service: 'things',
      action: 'DescribeThings',
    });
    expect(client.isError(error, 'DescribeThings', 'ResourceNotFound')).toBe(true);
    expect(client.isError(error, 'DescribeThings', 'ResourceNotFound.ThingNotFound')).toBe(true);
    expect(client.isError(error, 'DescribeThings')).toBe(true);
    expect(client.isError(error, 'CreateThing')).toBe(false);
    expect(client.isError(new Error('x'), 'DescribeThings')).toBe(false);
    const other = createClient({ service: 'cvm', version: '2017-03-12', credentials });
    expect(other.isError(error, 'DescribeThings')).toBe(false);
    client.close();
    other.close();
  });

  it('stream() refuses an action the descriptor does not stream and a switch set to false, before sending', async () => {
    const client = createClient(things, { credentials, endpoint: 'http://127.0.0.1:9' });
    const refused = async (run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (err) {
        return err;
      }
      return undefined;
    };
    const notStreaming = await refused(() => client.untyped.stream('DescribeThings'));
    expect(isUsageError(notStreaming) && notStreaming.message).toMatch(
      /DescribeThings does not answer with an event stream: use call\(\)/,
    );
    const off = await refused(() => client.stream('Chat', { Prompt: 'hi', Stream: false }));
    expect(isUsageError(off) && off.message).toMatch(/Stream: true/);
    client.close();
  });
});
