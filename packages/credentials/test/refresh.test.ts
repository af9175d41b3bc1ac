import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCredentialsError, isTimeoutError } from '@x/errors';
import { createTransport } from '@x/transport';
import {
  cachedProvider,
  fromAssumeRole,
  makeCredentials,
  type CredentialProvider,
  type Credentials,
} from '../src/index.node';

const temp = (n: number, expiresAt: number) =>
  makeCredentials({ secretId: `AKIDTMP${n}`, secretKey: `key-${n}-xxxxxxxx`, token: `token-${n}-xxxx`, expiresAt });
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('cachedProvider refreshes in the background while the credentials are valid', () => {
  it('a slow STS inside the refresh margin costs the caller nothing: the current keys come back at once', async () => {
    let now = 0;
    let calls = 0;
    const provider: CredentialProvider = () =>
      ++calls === 1 ? Promise.resolve(temp(1, 600_000)) : new Promise<Credentials>(() => undefined);
    const cached = cachedProvider(provider, { now: () => now });
    await cached();
    now = 400_000; // inside the 5-minute margin, 200 s before expiry
    // A hanging refresh would hold these calls: they resolve with the current keys instead.
    const results = await Promise.all(Array.from({ length: 10 }, () => cached()));
    expect(results.every((c) => c.secretId === 'AKIDTMP1')).toBe(true);
    expect(calls).toBe(2); // one background refresh for all of them
  });

  it('a failing STS is retried in the background with backoff, not on every call', async () => {
    let now = 0;
    let calls = 0;
    const provider: CredentialProvider = () =>
      ++calls === 1 ? Promise.resolve(temp(1, 600_000)) : Promise.reject(new Error(`refresh ${calls} failed`));
    const cached = cachedProvider(provider, { now: () => now });
    await cached();
    now = 400_000;
    expect((await cached()).secretId).toBe('AKIDTMP1');
    await tick();
    expect(calls).toBe(2);
    for (let i = 0; i < 5; i++) expect((await cached()).secretId).toBe('AKIDTMP1');
    await tick();
    expect(calls).toBe(2); // within the first backoff (1 s): no new try
    now += 1_000;
    await cached();
    await tick();
    expect(calls).toBe(3);
    now += 1_000; // the second backoff is 2 s
    await cached();
    await tick();
    expect(calls).toBe(3);
    now += 1_000;
    await cached();
    await tick();
    expect(calls).toBe(4);
  });

  it('picks up the background result, and fails in the foreground once the keys expired', async () => {
    let now = 0;
    let calls = 0;
    let fail = false;
    const provider: CredentialProvider = () => {
      calls++;
      return fail ? Promise.reject(new Error('sts down')) : Promise.resolve(temp(calls, now + 600_000));
    };
    const cached = cachedProvider(provider, { now: () => now });
    await cached();
    now = 400_000;
    expect((await cached()).secretId).toBe('AKIDTMP1');
    await tick();
    expect((await cached()).secretId).toBe('AKIDTMP2');
    fail = true;
    now = 1_000_000 + 1; // AKIDTMP2 expired
    await expect(cached()).rejects.toThrow(/sts down/);
  });
});

describe('the signal of a credentials request', () => {
  it("stops the caller's wait, not the shared refresh", async () => {
    let resolve: (c: Credentials) => void = () => undefined;
    const cached = cachedProvider(() => new Promise<Credentials>((r) => (resolve = r)));
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    const first = cached({ signal: controller.signal });
    const second = cached();
    controller.abort(reason);
    await expect(first).rejects.toBe(reason);
    resolve(temp(1, Date.now() + 3_600_000));
    expect((await second).secretId).toBe('AKIDTMP1');
  });
});

describe('fromAssumeRole inside a call deadline', () => {
  let sts: Server;
  let url: string;
  beforeAll(async () => {
    sts = createServer(() => undefined); // takes the request, never answers
    await new Promise<void>((r) => sts.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(sts.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    sts.closeAllConnections();
    await new Promise((r) => sts.close(r));
  });

  it('a call with a 300 ms attempt / 500 ms total timeout ends with a TimeoutError while STS hangs', async () => {
    const credentials = fromAssumeRole({
      roleArn: 'qcs::cam::uin/1:roleName/r',
      source: { secretId: 'AKIDSOURCE', secretKey: 'source-key' },
      endpoint: url,
    });
    const cvm = createTransport({
      service: 'cvm',
      version: '2017-03-12',
      endpoint: url,
      credentials,
      timeoutMs: 300,
      totalTimeoutMs: 500,
    });
    const err = await cvm.call('DescribeInstances').catch((e: unknown) => e);
    expect(isTimeoutError(err)).toBe(true);
    expect(err).toMatchObject({ waitingFor: 'credentials', action: 'DescribeInstances' });
    cvm.close();
  });

  it("a user's provider that rejects with a plain Error is a CredentialsError naming it", async () => {
    const cvm = createTransport({
      service: 'cvm',
      version: '2017-03-12',
      endpoint: url,
      credentials: async function fromVault(): Promise<Credentials> {
        throw new Error('sealed');
      },
    });
    const err = await cvm.call('DescribeInstances').catch((e: unknown) => e);
    expect(isCredentialsError(err) && err.tried[0]?.provider).toBe('fromVault');
  });
});
