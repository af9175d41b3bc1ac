import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isUsageError } from '@x/errors';
import {
  ApiFailure,
  DEFAULT_SECRET_ID,
  DEFAULT_SECRET_KEY,
  startEmulator,
  type EmulatorOptions,
  type FaultRule,
} from '../src/index';
import { client, cvm, rejection } from './helpers';

describe('options are checked before anything listens', () => {
  const refused = async (options: unknown) => {
    const err = await rejection(startEmulator(options as EmulatorOptions));
    expect(isUsageError(err)).toBe(true);
    return err['argument'];
  };

  it('names the bad option', async () => {
    expect(await refused({ host: '0.0.0.0' })).toBe('host');
    expect(await refused({ port: 70000 })).toBe('port');
    expect(await refused({ credentials: {} })).toBe('credentials');
    expect(await refused({ credentials: { AKIDX: '' } })).toBe('credentials.AKIDX');
    expect(await refused({ credentials: { AKIDX: { secretKey: 'k', token: 7 } } })).toBe('credentials.AKIDX.token');
    expect(await refused({ now: 5 })).toBe('now');
    expect(await refused({ handlers: { demo: { '2024-01-01': { Greet: 'hello' } } } })).toBe(
      'handlers.demo.2024-01-01.Greet',
    );
    expect(await refused({ faults: [{ fault: { kind: 'explode' } }] })).toBe('rule.fault.kind');
    expect(await refused({ cors: { origin: 5 } })).toBe('cors');
    expect(await refused({ seed: 1.5 })).toBe('seed');
  });
});

describe('credentials', () => {
  it('exposes the first configured pair, which works, and keeps its secrets out of logs', async () => {
    const emulator = await startEmulator({
      credentials: { AKIDMINE000000000000000000000000: { secretKey: 'my-test-key', token: 'my-token' } },
    });
    expect({ ...emulator.credentials }).toEqual({
      secretId: 'AKIDMINE000000000000000000000000',
      secretKey: 'my-test-key',
      token: 'my-token',
    });
    const shown = `${JSON.stringify(emulator)} ${inspect(emulator, { depth: 5 })} ${JSON.stringify(emulator.credentials)} ${inspect(emulator.credentials)}`;
    expect(shown).not.toContain('my-test-key');
    expect(shown).not.toContain('my-token');
    expect(shown).toContain('AKIDMINE000000000000000000000000');
    expect((await cvm(emulator).call('DescribeRegions')).data['TotalCount']).toBe(20);
    // The default pair is not accepted unless configured.
    const err = await rejection(
      cvm(emulator, { credentials: { secretId: DEFAULT_SECRET_ID, secretKey: DEFAULT_SECRET_KEY } }).call(
        'DescribeRegions',
      ),
    );
    expect(err['code']).toBe('AuthFailure.SecretIdNotFound');
    await emulator.close();
  });
});

describe('handlers', () => {
  it('merge over the fixtures action by action; a handler under the service answers every version', async () => {
    const emulator = await startEmulator({
      handlers: {
        cvm: { '2017-03-12': { DescribeRegions: () => ({ TotalCount: 1, RegionSet: [{ Region: 'ap-guangzhou' }] }) } },
        demo: {
          Echo: (params, ctx) => ({ Params: params, Version: ctx.version }),
          '2024-01-01': { Echo: () => ({ Pinned: true }) },
        },
      },
    });
    expect((await cvm(emulator).call('DescribeRegions')).data['TotalCount']).toBe(1);
    expect((await cvm(emulator).call('DescribeInstances', { Limit: 1 })).data['TotalCount']).toBe(50); // fixture kept
    expect((await client(emulator, 'demo', '2099-09-09').call('Echo', { A: 1 })).data).toMatchObject({
      Params: { A: 1 },
      Version: '2099-09-09',
    });
    expect((await client(emulator, 'demo', '2024-01-01').call('Echo')).data).toMatchObject({ Pinned: true });
    expect((await rejection(client(emulator, 'demo', '2024-01-01').call('Other')))['code']).toBe('InvalidAction');
    await emulator.close();
  });

  it('`fixtures: false` drops the fixtures (answers are synthesized); with `synthesize: false` too it starts empty', async () => {
    const synthesized = await startEmulator({ fixtures: false });
    expect((await cvm(synthesized).call('DescribeInstances', { Limit: 1 })).data['TotalCount']).not.toBe(50);
    await synthesized.close();
    const emulator = await startEmulator({ fixtures: false, synthesize: false });
    expect((await rejection(cvm(emulator).call('DescribeRegions')))['code']).toBe('NoSuchProduct');
    await emulator.close();
  });

  it('a handler of yours under the service replaces the built-in fixture of that action in every version', async () => {
    const emulator = await startEmulator({
      handlers: {
        cvm: { DescribeRegions: () => ({ TotalCount: 2, RegionSet: [] }) },
        hunyuan: {
          ChatCompletions: () => ({ Mine: true }),
          '2023-09-01': { ChatCompletions: () => ({ Pinned: true }) },
        },
      },
    });
    expect((await cvm(emulator).call('DescribeRegions')).data['TotalCount']).toBe(2);
    expect((await cvm(emulator).call('DescribeInstances', { Limit: 1 })).data['TotalCount']).toBe(50); // other fixtures kept
    expect(
      (
        await client(emulator, 'hunyuan', '2023-09-01').call('ChatCompletions', {
          Model: 'hunyuan-lite',
          Messages: [{ Role: 'user', Content: 'hi' }],
        })
      ).data,
    ).toMatchObject({ Pinned: true });
    await emulator.close();
  });

  it('turn results, nothing, thrown codes and bugs into envelopes', async () => {
    const emulator = await startEmulator({
      fixtures: false,
      handlers: {
        demo: {
          Nothing: () => undefined,
          Coded: () => {
            throw new ApiFailure('ResourceNotFound.Widget', 'No widget w-1.');
          },
          Plain: () => {
            throw { code: 'LimitExceeded' };
          },
          Bug: () => {
            throw new TypeError('oops');
          },
          Text: () => 'hello' as unknown as Record<string, unknown>,
          Async: async () => ({ Later: true }),
        },
      },
    });
    const demo = client(emulator, 'demo', '2024-01-01');
    const nothing = await demo.call('Nothing');
    expect(Object.keys(nothing.data)).toEqual(['RequestId']);
    expect(await rejection(demo.call('Coded'))).toMatchObject({
      code: 'ResourceNotFound.Widget',
      serverMessage: 'No widget w-1.',
    });
    const plain = await rejection(demo.call('Plain'));
    expect(plain['code']).toBe('LimitExceeded');
    expect(String(plain['serverMessage'])).not.toBe('');
    expect((await rejection(demo.call('Bug')))['code']).toBe('InternalError');
    expect((await rejection(demo.call('Text')))['code']).toBe('InternalError');
    expect((await demo.call('Async')).data['Later']).toBe(true);
    await emulator.close();
  });
});

describe('faults at runtime', () => {
  it('set replaces every rule, all or nothing; clear removes them', async () => {
    const emulator = await startEmulator();
    emulator.faults.add({ fault: { kind: 'latency', ms: 1 } });
    emulator.faults.set({ action: 'DescribeRegions', fault: { kind: 'gateway-error', status: 503 } });
    expect(emulator.faults.list()).toEqual([
      { action: 'DescribeRegions', fault: { kind: 'gateway-error', status: 503 } },
    ]);
    const err = await rejection(cvm(emulator).call('DescribeRegions'));
    expect(err).toMatchObject({ httpStatus: 503 });
    expect(String(err['bodyExcerpt'])).toContain('503 Service Unavailable');
    const bad: FaultRule[] = [{ fault: { kind: 'latency', ms: 1 } }, { fault: { kind: 'throttle', rate: 2 } }];
    const refused = await rejection(Promise.resolve().then(() => emulator.faults.set(bad)));
    expect(refused).toMatchObject({ kind: 'usage', argument: 'rule.fault.rate' });
    expect(emulator.faults.list()).toHaveLength(1); // the old set stays
    expect(() => emulator.faults.add({ fault: { kind: 'clock-offset', ms: 1000 }, times: 1 })).toThrow(
      /times does not apply/,
    );
    expect(() => emulator.faults.add({ fault: { kind: 'reset', when: 'later' as 'mid-body' } })).toThrow(
      /rule\.fault\.when/,
    );
    emulator.faults.clear();
    expect((await cvm(emulator).call('DescribeRegions')).httpStatus).toBe(200);
    await emulator.close();
  });
});

describe('streaming handlers', () => {
  it('stream events from an async generator; a failure thrown mid-stream becomes a last ErrorMsg event', async () => {
    const emulator = await startEmulator({
      fixtures: false,
      handlers: {
        demo: {
          Count: (params, ctx) =>
            ctx.stream(
              (async function* () {
                for (let i = 1; i <= 3; i++) {
                  if (i === Number(params['FailAt'])) throw new ApiFailure('FailedOperation.Broke', `broke at ${i}`);
                  yield { N: i };
                }
              })(),
            ),
          NotIterable: (_params, ctx) => ctx.stream(42 as unknown as Iterable<unknown>),
        },
      },
    });
    const demo = client(emulator, 'demo', '2024-01-01');
    const all = await demo.stream<{ N: number }>('Count');
    const seen: number[] = [];
    for await (const event of all.events) seen.push(event.data.N);
    expect(seen).toEqual([1, 2, 3]);

    const failing = await demo.stream<{ N: number }>('Count', { FailAt: 3 });
    const before: number[] = [];
    const err = await rejection(
      (async () => {
        for await (const event of failing.events) before.push(event.data.N);
      })(),
    );
    expect(before).toEqual([1, 2]);
    expect(err).toMatchObject({ code: 'FailedOperation.Broke', requestId: failing.requestId });
    expect((await rejection(demo.call('NotIterable')))['code']).toBe('InternalError');
    await emulator.close();
  });
});

describe('recorded requests', () => {
  it('keep at most recordLimit, dropping the oldest', async () => {
    const emulator = await startEmulator({ recordLimit: 2 });
    for (const limit of [1, 2, 3]) await cvm(emulator).call('DescribeInstances', { Limit: limit });
    expect(emulator.requests.map((r) => r.params['Limit'])).toEqual([2, 3]);
    await emulator.close();
  });
});

describe('service settings', () => {
  it('merge over the fixtures field by field: narrower regions keep the region requirement', async () => {
    const emulator = await startEmulator({ services: { cvm: { regions: ['ap-shanghai'] } } });
    expect((await rejection(cvm(emulator).call('DescribeRegions')))['code']).toBe('UnsupportedRegion');
    expect((await cvm(emulator, { region: 'ap-shanghai' }).call('DescribeRegions')).httpStatus).toBe(200);
    expect((await rejection(cvm(emulator, { region: undefined }).call('DescribeRegions')))['code']).toBe(
      'MissingParameter',
    );
    await emulator.close();
  });

  it('unsignedActions lets a handler of yours be called with Authorization: SKIP', async () => {
    const emulator = await startEmulator({
      fixtures: false,
      handlers: { demo: { Ping: () => ({ Pong: true }) } },
      services: { demo: { unsignedActions: ['Ping'] } },
    });
    const { data } = await client(emulator, 'demo', '2024-01-01', { credentials: undefined, auth: 'skip' }).call(
      'Ping',
    );
    expect(data['Pong']).toBe(true);
    expect(emulator.requests.at(-1)).toMatchObject({ signatureMethod: 'SKIP', service: 'demo', secretId: undefined });
    await emulator.close();
  });
});
