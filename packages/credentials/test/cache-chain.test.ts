import { describe, expect, it } from 'vitest';
import { CredentialsError, isCredentialsError, NetworkError } from '@x/errors';
import { cachedProvider, chain, fromEnv, makeCredentials, type Credentials } from '../src/index.node';

function counter(make: (n: number) => Credentials | Error, delayMs = 5) {
  let calls = 0;
  const provider = async () => {
    calls++;
    const n = calls;
    await new Promise((r) => setTimeout(r, delayMs));
    const out = make(n);
    if (out instanceof Error) throw out;
    return out;
  };
  return { provider, calls: () => calls };
}

const temp = (n: number, expiresAt: number) =>
  makeCredentials({ secretId: `AKIDTMP${n}`, secretKey: `key-${n}-xxxxxxxx`, token: `token-${n}-xxxx`, expiresAt });

describe('cachedProvider', () => {
  it('reuses credentials until the refresh margin, then refreshes', async () => {
    let now = 1_000_000;
    const hour = 3_600_000;
    const source = counter((n) => temp(n, now + hour));
    const cached = cachedProvider(source.provider, { now: () => now });
    expect((await cached()).secretId).toBe('AKIDTMP1');
    now += hour - 5 * 60_000 - 1; // one ms before the 5-minute margin
    expect((await cached()).secretId).toBe('AKIDTMP1');
    expect(source.calls()).toBe(1);
    now += 2; // inside the margin: the current keys at once, the new ones from the background refresh
    expect((await cached()).secretId).toBe('AKIDTMP1');
    await expect.poll(async () => (await cached()).secretId).toBe('AKIDTMP2');
    expect(source.calls()).toBe(2);
  });

  it('refreshes credentials of a short life at half their remaining life', async () => {
    let now = 0;
    const source = counter((n) => temp(n, now + 60_000)); // 1 minute, less than the margin
    const cached = cachedProvider(source.provider, { now: () => now });
    await cached();
    now = 29_000;
    expect((await cached()).secretId).toBe('AKIDTMP1');
    now = 30_000;
    expect((await cached()).secretId).toBe('AKIDTMP1');
    await expect.poll(async () => (await cached()).secretId).toBe('AKIDTMP2');
  });

  it('runs one refresh for 100 concurrent callers', async () => {
    const source = counter((n) => temp(n, Date.now() + 3_600_000), 20);
    const cached = cachedProvider(source.provider);
    const results = await Promise.all(Array.from({ length: 100 }, () => cached()));
    expect(source.calls()).toBe(1);
    expect(new Set(results.map((c) => c.secretId))).toEqual(new Set(['AKIDTMP1']));
  });

  it('does not cache a failure: the next call tries again', async () => {
    const source = counter((n) => (n === 1 ? new Error('sts down') : temp(n, Date.now() + 3_600_000)));
    const cached = cachedProvider(source.provider);
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => cached()));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(source.calls()).toBe(1);
    expect((await cached()).secretId).toBe('AKIDTMP2');
    expect(source.calls()).toBe(2);
  });

  it('falls back to unexpired credentials when an early refresh fails, and fails once they expire', async () => {
    let now = 0;
    const source = counter((n) => (n === 1 ? temp(1, 600_000) : new Error(`refresh ${n} failed`)));
    const cached = cachedProvider(source.provider, { now: () => now });
    await cached();
    now = 400_000; // inside the margin, not expired
    expect((await cached()).secretId).toBe('AKIDTMP1');
    now = 600_000; // expired: the caller waits for the refresh, and sees it fail
    await expect(cached()).rejects.toThrow(/refresh \d failed/);
  });

  it('keeps credentials without expiry for good', async () => {
    const source = counter(() => makeCredentials({ secretId: 'AKIDFOREVER', secretKey: 'forever-key' }));
    const cached = cachedProvider(source.provider);
    await cached();
    await cached();
    expect(source.calls()).toBe(1);
  });
});

describe('chain', () => {
  it('returns the first provider that gives credentials', async () => {
    const provider = chain(
      fromEnv({ env: {} }),
      () => Promise.resolve(makeCredentials({ secretId: 'AKIDSECOND', secretKey: 'second-key' })),
      () => Promise.reject(new Error('never asked')),
    );
    expect((await provider()).secretId).toBe('AKIDSECOND');
  });

  it('fails with one error listing every provider tried and why', async () => {
    const metadata = () =>
      Promise.reject(new NetworkError({ detail: 'connection refused', mayHaveReachedServer: false }));
    const named = async function customVault(): Promise<Credentials> {
      throw new CredentialsError({ detail: 'x', tried: [{ provider: 'vault', reason: 'sealed' }] });
    };
    const err = await chain(fromEnv({ env: {} }), named, metadata)().catch((e: unknown) => e);
    expect(isCredentialsError(err)).toBe(true);
    expect((err as CredentialsError).tried).toEqual([
      { provider: 'env', reason: 'TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set' },
      { provider: 'vault', reason: 'sealed' },
      { provider: 'metadata', reason: 'Network error: connection refused' },
    ]);
    expect((err as Error).message).toMatch(/^No Tencent Cloud credentials found\. Tried, in order:\n {2}- env: /);
  });
});
