import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@x/client';
import { isEnvelopeError, isNetworkError } from '@x/errors';
import { startEmulator, type Emulator } from '@x/emulator';

// Issue 16 over real HTTP: reads are retried by default, errors of call() carry their context.
let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

const cvm = () =>
  createClient({
    service: 'cvm',
    version: '2017-03-12',
    region: 'ap-guangzhou',
    endpoint: emulator.url,
    credentials: emulator.credentials,
    retry: { baseDelayMs: 1 },
  });

describe('read actions are idempotent by default', () => {
  it('DescribeRegions is retried after a 502 page and after a reset, and succeeds', async () => {
    for (const fault of [
      { kind: 'gateway-error', status: 502 },
      { kind: 'reset', when: 'before-response' },
    ] as const) {
      const remove = emulator.faults.add({ action: 'DescribeRegions', fault, times: 1 });
      const result = await cvm().transport.call('DescribeRegions');
      expect(result.attempts, fault.kind).toBe(2);
      remove();
    }
  });

  it('RunInstances is not repeated after a 502 (it may have run), unless marked idempotent', async () => {
    const remove = emulator.faults.add({ action: 'RunInstances', fault: { kind: 'gateway-error', status: 502 } });
    const err = await cvm()
      .call('RunInstances', { Placement: { Zone: 'ap-guangzhou-3' }, ImageId: 'img-487zeit5' })
      .catch((e: unknown) => e);
    expect(isEnvelopeError(err) && err.attempts).toBe(1);
    remove();
  });

  it('a read can opt out per call', async () => {
    const remove = emulator.faults.add({ action: 'DescribeRegions', fault: { kind: 'gateway-error', status: 502 } });
    const err = await cvm()
      .call('DescribeRegions', {}, { idempotent: false })
      .catch((e: unknown) => e);
    expect(isEnvelopeError(err) && err.attempts).toBe(1);
    remove();
  });
});

describe('errors of call() carry their context', () => {
  it('a NetworkError names the service, version, action, region and the attempts made', async () => {
    const remove = emulator.faults.add({
      action: 'DescribeRegions',
      fault: { kind: 'reset', when: 'before-response' },
    });
    const err = await cvm()
      .call('DescribeRegions')
      .catch((e: unknown) => e);
    expect(isNetworkError(err)).toBe(true);
    expect(err).toMatchObject({
      service: 'cvm',
      version: '2017-03-12',
      action: 'DescribeRegions',
      region: 'ap-guangzhou',
      attempts: 3,
    });
    expect((err as Error).message).toMatch(/cvm:DescribeRegions in ap-guangzhou; 3 attempts\)$/);
    remove();
  });
});
