// Region failover over real HTTP: two emulators, the region's endpoint and the backup. Faults on
// the first make the breaker open; the clock is injected so the 60 s periods pass at once.
import { createClient, isApiError, isEnvelopeError, type BreakerState } from '@x/client';
import { startEmulator, type Emulator } from '@x/emulator';
import { cvm } from '@x/services/cvm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let region: Emulator;
let backup: Emulator;
beforeAll(async () => {
  [region, backup] = await Promise.all([startEmulator(), startEmulator()]);
});
afterAll(() => Promise.all([region.close(), backup.close()]));

function client() {
  let now = 1_000_000;
  const changes: string[] = [];
  const c = createClient(cvm, {
    region: 'ap-shanghai',
    endpoint: region.url,
    credentials: region.credentials,
    retry: false, // one request per call, so the counts below are exact
    regionFailover: {
      backupEndpoint: backup.url,
      now: () => now,
      onStateChange: (from: BreakerState, to: BreakerState) => changes.push(`${from}→${to}`),
    },
  });
  const served = async () => {
    const before = [region.requests.length, backup.requests.length];
    await c.call('DescribeRegions', {}).catch(() => undefined);
    return region.requests.length > before[0]! ? 'region' : backup.requests.length > before[1]! ? 'backup' : 'none';
  };
  return { c, changes, served, advance: (ms: number) => (now += ms) };
}

describe('region failover (opt-in) on @x/emulator', () => {
  it('after 5 InternalErrors calls go to the backup; after 60 s a failed probe re-opens, a good one closes', async () => {
    const { changes, served, advance } = client();
    region.faults.set({ service: 'cvm', error: 'InternalError' });
    for (let i = 0; i < 5; i++) expect(await served()).toBe('region');
    expect(changes).toEqual(['closed→open']);
    expect(await served()).toBe('backup');
    expect(await served()).toBe('backup');
    advance(60_000);
    expect(await served()).toBe('region'); // half-open probe, still failing
    expect(await served()).toBe('backup');
    region.faults.clear();
    advance(60_000);
    expect(await served()).toBe('region'); // the probe succeeds
    expect(await served()).toBe('region');
    expect(changes).toEqual(['closed→open', 'open→half-open', 'half-open→open', 'open→half-open', 'half-open→closed']);
    // The backup got the same request: same action, region header and signing service.
    const last = backup.requests.at(-1);
    expect([last?.service, last?.action, last?.region]).toEqual(['cvm', 'DescribeRegions', 'ap-shanghai']);
  });

  it('gateway error pages (no RequestId) count as failures; answers with a RequestId (ResourceNotFound) do not', async () => {
    const { c, changes } = client();
    region.faults.set({ service: 'cvm', action: 'DescribeInstances', fault: { kind: 'gateway-error', status: 502 } });
    for (let i = 0; i < 5; i++) {
      const err = await c.call('DescribeInstances', {}).catch((e: unknown) => e);
      expect(isEnvelopeError(err) && err.httpStatus).toBe(502);
    }
    expect(changes).toEqual(['closed→open']);
    region.faults.clear();

    const calm = client();
    region.faults.set({ service: 'cvm', action: 'StartInstances', error: 'InvalidInstanceId.NotFound' });
    for (let i = 0; i < 8; i++) {
      const err = await calm.c.call('StartInstances', { InstanceIds: ['ins-00000000'] }).catch((e: unknown) => e);
      expect(isApiError(err) && err.code).toBe('InvalidInstanceId.NotFound');
    }
    expect(calm.changes).toEqual([]);
    region.faults.clear();
  });

  it('is off by default: failures keep going to the region', async () => {
    const c = createClient(cvm, {
      region: 'ap-shanghai',
      endpoint: region.url,
      credentials: region.credentials,
      retry: false,
    });
    region.faults.set({ service: 'cvm', error: 'InternalError' });
    const before = region.requests.length;
    for (let i = 0; i < 7; i++) await c.call('DescribeRegions', {}).catch(() => undefined);
    expect(region.requests.length - before).toBe(7);
    region.faults.clear();
  });
});
