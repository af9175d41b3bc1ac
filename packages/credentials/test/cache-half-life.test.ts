// When cachedProvider asks again for keys of a short life: at half their remaining life counted
// from when they arrived (not from the epoch, not twice the life), and only once per backoff.
import { describe, expect, it } from 'vitest';
import { cachedProvider, chain, makeCredentials, type Credentials } from '../src/index.node';

const temp = (n: number, expiresAt: number) =>
  makeCredentials({ secretId: `AKIDTMP${n}`, secretKey: `key-${n}`, token: `token-${n}`, expiresAt });

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('cachedProvider: short-lived keys', () => {
  it('keys issued at 10 s for 60 s are reused until 40 s, then refreshed', async () => {
    let now = 10_000;
    let calls = 0;
    const cached = cachedProvider(() => Promise.resolve(temp(++calls, 70_000)), { now: () => now });
    await cached();
    now = 39_999;
    await cached();
    await tick();
    expect(calls).toBe(1);
    now = 40_000;
    await cached();
    await tick();
    expect(calls).toBe(2);
  });

  it('a refresh that keeps failing is not repeated on every call while the keys are still valid', async () => {
    let now = 0;
    let calls = 0;
    const provider = (): Promise<Credentials> =>
      ++calls === 1 ? Promise.resolve(temp(1, 600_000)) : Promise.reject(new Error('STS down'));
    const cached = cachedProvider(provider, { now: () => now });
    await cached();
    now = 500_000;
    for (let i = 0; i < 3; i++) {
      expect((await cached()).secretId).toBe('AKIDTMP1');
      await tick();
    }
    expect(calls).toBe(2);
  });
});

describe('chain', () => {
  it('accepts a request without a signal', async () => {
    const creds = makeCredentials({ secretId: 'AKID', secretKey: 'k' });
    expect(await chain(() => Promise.resolve(creds))({})).toBe(creds);
  });
});
