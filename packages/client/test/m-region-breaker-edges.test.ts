import { describe, expect, it } from 'vitest';
import { ApiError, EnvelopeError, NetworkError, TimeoutError, UsageError } from '@x/errors';
import type { CallHandler, CallRequest } from '@x/transport';
import { RegionBreaker, backupUrl, outcomeOf, regionFailover } from '../src/region-breaker';

// The region breaker's edges, from the client's mutation report: option bounds, the exact failure
// rate, the window, stale and open-time results, the half-open probe, and the middleware's routing.

function clocked(options: ConstructorParameters<typeof RegionBreaker>[0] = {}) {
  let now = 1_000_000;
  const changes: string[] = [];
  const breaker = new RegionBreaker({ now: () => now, onStateChange: (f, t) => changes.push(`${f}→${t}`), ...options });
  const run = (success: boolean) => {
    const { generation } = breaker.before();
    breaker.after(generation, success);
  };
  return { breaker, run, changes, advance: (ms: number) => (now += ms) };
}
const usage = (run: () => unknown): UsageError => {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return err as UsageError;
  }
  throw new Error('expected a UsageError');
};

describe('RegionBreaker options', () => {
  it('counts and durations must be positive integers: 1 is accepted, 0 and 1.5 are not', () => {
    for (const name of ['windowMs', 'openMs', 'minFailures', 'maxConsecutiveFailures'] as const) {
      expect(() => new RegionBreaker({ [name]: 1 })).not.toThrow();
      const zero = usage(() => new RegionBreaker({ [name]: 0 }));
      expect(zero.message).toBe(`regionFailover.${name}: must be a positive integer, got 0`);
      expect(zero.argument).toBe(`regionFailover.${name}`);
      expect(usage(() => new RegionBreaker({ [name]: 1.5 })).message).toContain('got 1.5');
    }
  });

  it('failureRate must be in (0, 1]', () => {
    expect(() => new RegionBreaker({ failureRate: 1 })).not.toThrow();
    expect(() => new RegionBreaker({ failureRate: 0.01 })).not.toThrow();
    for (const bad of [0, -0.5, 1.01, Number.NaN]) {
      const err = usage(() => new RegionBreaker({ failureRate: bad }));
      expect(err.message).toBe(`regionFailover.failureRate: must be in (0, 1], got ${String(bad)}`);
    }
  });
});

describe('RegionBreaker counting', () => {
  it('opens at exactly the failure rate (6 of 8 = 75%), with no more than 3 in a row', () => {
    const { breaker, run } = clocked();
    run(true);
    run(false);
    run(false);
    run(false);
    run(true);
    run(false);
    run(false);
    expect(breaker.state).toBe('closed'); // 5 of 7 = 71%
    run(false); // 6 of 8 = 75%
    expect(breaker.state).toBe('open');
  });

  it('failures spread over one window count together; the window starts again after the breaker closes', () => {
    const { breaker, run, advance, changes } = clocked({ openMs: 1_000 });
    for (let i = 0; i < 4; i++) {
      run(false);
      advance(14_000); // 56 s in all, inside the 60 s window
    }
    run(false);
    expect(breaker.state).toBe('open');
    advance(1_000);
    expect(breaker.state).toBe('half-open');
    run(true);
    expect(breaker.state).toBe('closed');
    for (let i = 0; i < 4; i++) {
      run(false);
      advance(14_000);
    }
    run(false);
    expect(breaker.state).toBe('open');
    expect(changes).toEqual(['closed→open', 'open→half-open', 'half-open→closed', 'closed→open']);
  });

  it('a result of a call started before the breaker moved, or ending while it is open, changes nothing', () => {
    const { breaker, run, advance, changes } = clocked({ openMs: 1_000 });
    const stale = breaker.before();
    for (let i = 0; i < 5; i++) run(false);
    expect(breaker.state).toBe('open');
    const duringOpen = breaker.before();
    expect(duringOpen.useBackup).toBe(true);
    breaker.after(duringOpen.generation, false);
    breaker.after(stale.generation, true);
    expect(breaker.state).toBe('open');
    advance(1_000);
    expect(breaker.state).toBe('half-open');
    breaker.after(stale.generation, true); // still stale: the probe has not answered
    expect(breaker.state).toBe('half-open');
    const probe = breaker.before();
    expect(probe.useBackup).toBe(false);
    breaker.after(probe.generation, false);
    expect(breaker.state).toBe('open');
    expect(changes).toEqual(['closed→open', 'open→half-open', 'half-open→open']);
  });

  it('works without onStateChange', () => {
    const breaker = new RegionBreaker({});
    for (let i = 0; i < 6; i++) {
      const { generation } = breaker.before();
      breaker.after(generation, false);
    }
    expect(breaker.state).toBe('open');
  });
});

describe('outcomeOf', () => {
  it('an answered call is a success unless InternalError or without RequestId; no answer is a failure', () => {
    const api = (code: string, requestId = 'req-1') => new ApiError({ code, serverMessage: '', requestId });
    expect(outcomeOf(api('LimitExceeded'))).toBe(true);
    expect(outcomeOf(api('InternalError'))).toBe(false);
    expect(outcomeOf(api('LimitExceeded', ''))).toBe(false);
    expect(outcomeOf(new NetworkError({ reason: 'connection-refused', detail: 'refused' } as never))).toBe(false);
    expect(outcomeOf(new TimeoutError({ phase: 'total', timeoutMs: 5 } as never))).toBe(false);
    expect(outcomeOf(new EnvelopeError({ reason: 'invalid-json', detail: 'x' } as never))).toBe(false);
    expect(outcomeOf(new UsageError('bad', { argument: 'x' }))).toBeUndefined();
    expect(outcomeOf(new Error('plain'))).toBeUndefined();
  });
});

describe('backupUrl', () => {
  it('takes a whole URL as is and a bare domain as https://<service>.<domain>; refuses anything else', () => {
    expect(backupUrl('cvm')).toBe('https://cvm.ap-guangzhou.tencentcloudapi.com');
    expect(backupUrl('cvm', 'HTTP://127.0.0.1:9')).toBe('HTTP://127.0.0.1:9');
    expect(backupUrl('cvm', 'ap-shanghai.tencentcloudapi.com')).toBe('https://cvm.ap-shanghai.tencentcloudapi.com');
    for (const bad of ['see http://x.example', 'bad domain.example.com', 'example.com/path', 'localhost']) {
      const err = usage(() => backupUrl('cvm', bad));
      expect(err.message).toBe(
        `regionFailover.backupEndpoint: must be a URL or a domain such as "ap-guangzhou.tencentcloudapi.com", got ${JSON.stringify(bad)}`,
      );
    }
  });
});

describe('regionFailover middleware', () => {
  const request = (endpoint?: string): CallRequest<'call'> =>
    ({
      kind: 'call',
      action: 'DescribeZones',
      params: {},
      options: endpoint === undefined ? {} : { endpoint },
    }) as never;

  it('routes to the backup while open, unless the call names its own endpoint; reports outcomes', async () => {
    let now = 0;
    const breaker = new RegionBreaker({ now: () => now, openMs: 1_000 });
    const seen: (string | undefined)[] = [];
    let fail: unknown;
    const next: CallHandler = (async (call: CallRequest<'call'>) => {
      seen.push(call.options.endpoint);
      if (fail !== undefined) throw fail;
      return { data: { RequestId: 'r' } };
    }) as never;
    const handle = regionFailover('cvm', { backupEndpoint: 'http://backup.local:1' }, breaker)(next);
    const context = {} as never;

    fail = new NetworkError({ reason: 'connection-refused', detail: 'refused' } as never);
    for (let i = 0; i < 5; i++) await expect(handle(request(), context)).rejects.toBe(fail);
    expect(breaker.state).toBe('open');
    fail = undefined;
    await handle(request(), context);
    await handle(request('http://mine.local:2'), context);
    expect(seen.slice(5)).toEqual(['http://backup.local:1', 'http://mine.local:2']);

    now += 1_000; // half-open: the probe goes to the region and its success closes the breaker
    await handle(request(), context);
    expect(seen.at(-1)).toBeUndefined();
    expect(breaker.state).toBe('closed');

    fail = new UsageError('bad', { argument: 'x' }); // not counted: says nothing of the region
    for (let i = 0; i < 6; i++) await expect(handle(request(), context)).rejects.toBe(fail);
    expect(breaker.state).toBe('closed');
  });
});
