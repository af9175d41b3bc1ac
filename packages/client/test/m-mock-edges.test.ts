import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError, UsageError } from '@x/errors';
import { defineErrorCatalog, type ServiceDescriptor } from '../src/index';
import { matchesPattern, mockClient as typedMock, type MockClient, type MockClientOptions } from '../src/mock';
import { failure } from './failure';

// Untyped mocks: these tests use made-up actions and params.
const mockClient = (service: ServiceDescriptor, options?: MockClientOptions): MockClient =>
  typedMock(service, options) as unknown as MockClient;

// The edges of mockClient that its main tests do not reach: argument checks and their messages,
// pattern matching of arrays and nested objects, which rule wins, error texts and languages, and
// what a stream() of a mocked action sees. (Written from the client's mutation report.)

const cvm: ServiceDescriptor = { service: 'cvm', version: '2017-03-12' };
const hunyuan: ServiceDescriptor = { service: 'hunyuan', version: '2023-09-01', streaming: { ChatStream: '' } };

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('mockClient argument checks', () => {
  it('refuses what is not a service descriptor, naming mockClient(service)', () => {
    for (const bad of [null, 'cvm', 3, {}, { service: 7 }]) {
      const err = thrownBy(() => mockClient(bad as never));
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).message).toContain('must be a service descriptor');
      expect((err as UsageError).argument).toBe('mockClient(service)');
    }
  });

  it('on() refuses an empty or non-string action', () => {
    const mock = mockClient(cvm);
    for (const bad of ['', 42, undefined]) {
      const err = thrownBy(() => mock.on(bad as never));
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).message).toContain('must be an action name');
      expect((err as UsageError).argument).toBe('mock.on(action)');
    }
  });

  it('rejects() refuses an empty code or a non-Error object', () => {
    const behavior = mockClient(cvm).on('StartInstances');
    for (const bad of ['', 5, { code: 'X' }]) {
      const err = thrownBy(() => behavior.rejects(bad as never));
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).message).toContain('must be an error code or an Error');
      expect((err as UsageError).argument).toBe('rejects(code)');
      expect((thrownBy(() => behavior.rejectsOnce(bad as never)) as UsageError).argument).toBe('rejects(code)');
    }
  });

  it('a fake that returns no object fails the call with a UsageError naming the action', async () => {
    const mock = mockClient(cvm);
    mock.on('DescribeZones').callsFake(() => null as never);
    const err = await failure(mock.call('DescribeZones', {}));
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe('callsFake: the fake of DescribeZones must return an output object');
    expect((err as UsageError).argument).toBe('callsFake');
  });

  it('call() of an action mocked as a stream says to use stream()', async () => {
    const mock = mockClient(hunyuan);
    mock.on('ChatStream').streams([{ Note: 'a' }]);
    const err = await failure(mock.call('ChatStream', {}));
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toBe('action: ChatStream is mocked as a stream: use stream(), not call()');
    expect((err as UsageError).argument).toBe('action');
  });
});

describe('which rule answers', () => {
  it('no rule: the error names the action; rules of the action that do not match: "with these params"', async () => {
    const mock = mockClient(cvm);
    const none = await failure(mock.call('DescribeZones', {}));
    expect((none as UsageError).message).toBe(
      "action: the mock of cvm has no answer for DescribeZones: add mock.on('DescribeZones').resolves(...)",
    );
    expect((none as UsageError).argument).toBe('action');
    mock.on('RunInstances').resolves({});
    mock.on('DescribeZones', { Limit: 1 }).resolves({});
    const unmatched = await failure(mock.call('DescribeZones', { Limit: 2 }));
    expect((unmatched as UsageError).message).toContain('no answer for DescribeZones with these params');
  });

  it('a rule with used-up once-answers and no standing answer is passed over', async () => {
    const mock = mockClient(cvm);
    mock.on('DescribeZones').resolves({ Which: 'general' });
    mock.on('DescribeZones', { Limit: 1 }).resolvesOnce({ Which: 'once' });
    expect(await mock.call('DescribeZones', { Limit: 1 })).toMatchObject({ Which: 'once' });
    expect(await mock.call('DescribeZones', { Limit: 1 })).toMatchObject({ Which: 'general' });
  });

  it('among matching rules the last added wins, in both groups; specific beats general', async () => {
    const mock = mockClient(cvm);
    mock.on('DescribeZones').resolves({ Which: 'general-1' });
    mock.on('DescribeZones').resolves({ Which: 'general-2' });
    expect(await mock.call('DescribeZones', {})).toMatchObject({ Which: 'general-2' });
    mock.on('DescribeZones', { Limit: 1 }).resolves({ Which: 'specific-1' });
    mock.on('DescribeZones', (p: { Limit?: number }) => p.Limit === 1).resolves({ Which: 'specific-2' });
    expect(await mock.call('DescribeZones', { Limit: 1 })).toMatchObject({ Which: 'specific-2' });
    expect(await mock.call('DescribeZones', { Limit: 9 })).toMatchObject({ Which: 'general-2' });
  });

  it('an output keeps its own RequestId; an empty or missing one is replaced by a fresh UUID', async () => {
    const mock = mockClient(cvm);
    mock.on('A').resolves({ RequestId: 'req-given' });
    mock.on('B').resolves({ RequestId: '' });
    mock.on('C').resolves({});
    expect((await mock.call('A', {})).RequestId).toBe('req-given');
    for (const action of ['B', 'C'])
      expect((await mock.call(action, {})).RequestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
  });
});

describe('matchesPattern', () => {
  it('arrays: same length and every element matching', () => {
    expect(matchesPattern([1, 2], [1, 2])).toBe(true);
    expect(matchesPattern([1, 2, 3], [1, 2])).toBe(false);
    expect(matchesPattern([1, 3], [1, 2])).toBe(false);
    expect(matchesPattern([9, 2], [1, 2])).toBe(false); // every element, not some
    expect(matchesPattern({ 0: 1, 1: 2, length: 2 }, [1, 2])).toBe(false);
    expect(matchesPattern([{ Name: 'a', Extra: 1 }], [{ Name: 'a' }])).toBe(true);
  });

  it('objects: every key of the pattern, deeply; a non-object never matches an object pattern', () => {
    expect(matchesPattern({ A: 1, B: { C: 2, D: 3 } }, { B: { C: 2 } })).toBe(true);
    expect(matchesPattern({ A: 1, B: 2 }, { A: 1, B: 3 })).toBe(false); // every key, not some
    expect(matchesPattern(null, {})).toBe(false);
    expect(matchesPattern('x', {})).toBe(false);
    expect(matchesPattern(undefined, { A: undefined })).toBe(false);
    expect(matchesPattern({}, { A: undefined })).toBe(true);
  });

  it('bytes and scalars by identity', () => {
    const bytes = new Uint8Array([1]);
    expect(matchesPattern(bytes, bytes)).toBe(true);
    expect(matchesPattern(new Uint8Array([1]), bytes)).toBe(false);
    expect(matchesPattern(NaN, NaN)).toBe(true);
    expect(matchesPattern(0, -0)).toBe(false);
  });
});

describe('rejected calls', () => {
  const catalog = defineErrorCatalog('cvm', {
    'InvalidInstanceId.NotFound': {
      description: { 'zh-CN': '没有找到相应实例。', 'en-US': 'The instance was not found.' },
    },
  });

  it("without a message, the server message is the catalog text in the mock's language; else the code", async () => {
    const en = mockClient(cvm, { catalogs: [catalog] });
    en.on('StartInstances').rejects('InvalidInstanceId.NotFound');
    en.on('StopInstances').rejects('Nowhere.InAnyCatalog');
    en.on('RebootInstances').rejects('InvalidInstanceId.NotFound', 'as the server put it');
    const notFound = (await failure(en.call('StartInstances', {}))) as ApiError;
    expect(notFound).toBeInstanceOf(ApiError);
    expect(notFound.serverMessage).toBe('The instance was not found.');
    expect(notFound.requestId).toMatch(/^[0-9a-f]{8}-/);
    expect(notFound.region).toBe('ap-guangzhou');
    expect(((await failure(en.call('StopInstances', {}))) as ApiError).serverMessage).toBe('Nowhere.InAnyCatalog');
    expect(((await failure(en.call('RebootInstances', {}))) as ApiError).serverMessage).toBe('as the server put it');

    const zh = mockClient(cvm, { catalogs: [catalog], language: 'zh-CN', region: 'ap-shanghai' });
    zh.on('StartInstances').rejects('InvalidInstanceId.NotFound');
    const zhError = (await failure(zh.call('StartInstances', {}))) as ApiError;
    expect(zhError.serverMessage).toBe('没有找到相应实例。');
    expect(zhError.region).toBe('ap-shanghai');
  });

  it('rejects(error) throws that very error, once or always', async () => {
    const mock = mockClient(cvm);
    const network = new NetworkError({ reason: 'connection-reset', detail: 'reset by peer' } as never);
    mock.on('DescribeZones').rejectsOnce(network).resolves({ Ok: true });
    expect(await failure(mock.call('DescribeZones', {}))).toBe(network);
    expect(await mock.call('DescribeZones', {})).toMatchObject({ Ok: true });
  });

  it('the mock does not retry: one rejected call is one recorded call', async () => {
    const mock = mockClient(cvm);
    mock.on('DescribeZones').rejects('RequestLimitExceeded');
    await failure(mock.call('DescribeZones', {}));
    expect(mock.calls('DescribeZones')).toHaveLength(1);
  });
});

describe('stream() of a mocked action', () => {
  it('records the params and region the transport signed, and streams a resolves output as one event', async () => {
    const mock = mockClient(hunyuan, { region: 'ap-beijing' });
    mock.on('ChatStream', { Model: 'lite' }).resolves({ Choices: [] });
    const events: unknown[] = [];
    for await (const event of await mock.stream('ChatStream', { Model: 'lite' })) events.push(event);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ Choices: [] });
    for await (const _ of await mock.stream('ChatStream', { Model: 'lite' }, { region: 'ap-chengdu' })) void _;
    expect(mock.calls()).toEqual([
      { action: 'ChatStream', params: { Model: 'lite' }, via: 'stream', region: 'ap-beijing' },
      { action: 'ChatStream', params: { Model: 'lite' }, via: 'stream', region: 'ap-chengdu' },
    ]);
  });

  it('a rejects rule fails the stream with the ApiError of that code and a RequestId', async () => {
    const mock = mockClient(hunyuan);
    mock.on('ChatStream').rejects('LimitExceeded', 'too many');
    const err = (await failure(
      (async () => {
        for await (const _ of await mock.stream('ChatStream', {})) void _;
      })(),
    )) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('LimitExceeded');
    expect(err.serverMessage).toBe('too many');
    expect(err.requestId).toMatch(/^[0-9a-f]{8}-/);
  });
});
