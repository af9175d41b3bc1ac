import { describe, expect, it } from 'vitest';
import { ApiError, EnvelopeError, NetworkError, UsageError } from '@x/errors';
import { RegionBreaker, type BreakerState } from '../src/index';
import { backupUrl, outcomeOf } from '../src/region-breaker';

function breaker(options: ConstructorParameters<typeof RegionBreaker>[0] = {}) {
  let now = 0;
  const changes: string[] = [];
  const b = new RegionBreaker({
    now: () => now,
    onStateChange: (from: BreakerState, to: BreakerState) => changes.push(`${from}→${to}`),
    ...options,
  });
  const run = (success: boolean) => {
    const { generation, useBackup } = b.before();
    b.after(generation, success);
    return useBackup;
  };
  return { b, run, changes, advance: (ms: number) => (now += ms) };
}

describe('RegionBreaker (the Go SDK semantics)', () => {
  it('opens at 5 failures with a failure rate of 75% or more, not before', () => {
    const { b, run } = breaker();
    run(true);
    for (let i = 0; i < 4; i++) run(false);
    expect(b.state).toBe('closed'); // 4 failures of 5
    run(false); // 5 of 6 = 83%
    expect(b.state).toBe('open');
  });

  it('stays closed at 5 failures under 75% (the rate matters), then opens on more than 5 in a row', () => {
    const { b, run } = breaker();
    for (let i = 0; i < 3; i++) run(true);
    for (let i = 0; i < 5; i++) run(false); // 5 of 8 = 62.5%, 5 in a row: not more than 5
    expect(b.state).toBe('closed');
    run(false); // 6 in a row
    expect(b.state).toBe('open');
  });

  it('resets its counters when the 60 s window ends', () => {
    const { b, run, advance } = breaker();
    for (let i = 0; i < 4; i++) run(false);
    advance(60_000);
    run(false);
    expect(b.state).toBe('closed');
  });

  it('open: calls use the backup for 60 s; then half-open: one success closes, one failure re-opens', () => {
    const { b, run, advance, changes } = breaker();
    for (let i = 0; i < 5; i++) run(false);
    expect(run(true)).toBe(true); // goes to the backup; its result does not count
    advance(59_999);
    expect(b.state).toBe('open');
    advance(1);
    expect(b.state).toBe('half-open');
    expect(run(false)).toBe(false); // the probe went to the region, and failed
    expect(b.state).toBe('open');
    advance(60_000);
    expect(run(true)).toBe(false);
    expect(b.state).toBe('closed');
    expect(changes).toEqual(['closed→open', 'open→half-open', 'half-open→open', 'open→half-open', 'half-open→closed']);
  });

  it('ignores results of calls started in an earlier generation', () => {
    const { b, run } = breaker();
    const slow = b.before(); // started while closed
    for (let i = 0; i < 5; i++) run(false);
    expect(b.state).toBe('open');
    b.after(slow.generation, false); // a late failure from before: ignored
    const slowOk = b.before();
    expect(slowOk.useBackup).toBe(true);
    expect(b.state).toBe('open');
  });

  it('counts like the Go SDK: an answer with a RequestId succeeds unless InternalError; no answer fails; client-side errors do not count', () => {
    const api = (code: string) => new ApiError({ code, serverMessage: '', requestId: 'r-1' });
    expect(outcomeOf(api('ResourceNotFound'))).toBe(true);
    expect(outcomeOf(api('InternalError'))).toBe(false);
    expect(outcomeOf(new NetworkError({ detail: 'connection refused', mayHaveReachedServer: false }))).toBe(false);
    expect(outcomeOf(new EnvelopeError({ reason: 'http-status', detail: '502 page', httpStatus: 502 }))).toBe(false);
    expect(outcomeOf(new UsageError('bad', { argument: 'params' }))).toBeUndefined();
  });

  it('takes the backup as a URL or a domain, and refuses bad settings', () => {
    expect(backupUrl('cvm')).toBe('https://cvm.ap-guangzhou.tencentcloudapi.com');
    expect(backupUrl('cvm', 'ap-shanghai.tencentcloudapi.com')).toBe('https://cvm.ap-shanghai.tencentcloudapi.com');
    expect(backupUrl('cvm', 'http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
    expect(() => backupUrl('cvm', 'not a host')).toThrow(/backupEndpoint/);
    expect(() => new RegionBreaker({ failureRate: 2 })).toThrow(/failureRate/);
    expect(() => new RegionBreaker({ openMs: 0 })).toThrow(/openMs/);
  });
});
