import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCredentialsError } from '@x/errors';
import { fromInstanceMetadata } from '../src/index.node';

/** A stand-in for the CVM metadata service, on 127.0.0.1. */
let server: Server;
let base: string;
let hits: string[] = [];
let mode: 'ok' | 'no-role' | 'bad-json' | 'failure-code' | 'hang' = 'ok';
let issued = 0;
let nowSeconds = 1_700_000_000;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (mode === 'hang') return; // never answers
    if (req.url === '/latest/meta-data/cam/security-credentials/') {
      if (mode === 'no-role') {
        res.writeHead(404).end('Not Found');
        return;
      }
      res.end('CVM_QcsRole\n');
      return;
    }
    if (req.url === '/latest/meta-data/cam/security-credentials/CVM_QcsRole') {
      if (mode === 'bad-json') return void res.end('<html>oops</html>');
      if (mode === 'failure-code') return void res.end(JSON.stringify({ Code: 'Failure' }));
      issued++;
      res.end(
        JSON.stringify({
          TmpSecretId: `AKIDTMP${issued}`,
          TmpSecretKey: `tmp-secret-key-${issued}`,
          Token: `tmp-token-${issued}`,
          ExpiredTime: nowSeconds + 7200,
          Expiration: new Date((nowSeconds + 7200) * 1000).toISOString(),
          Code: 'Success',
        }),
      );
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/latest/meta-data/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('fromInstanceMetadata', () => {
  it('asks the role name, then its credentials, and caches them until the refresh margin', async () => {
    mode = 'ok';
    hits = [];
    let now = nowSeconds * 1000;
    const provider = fromInstanceMetadata({ baseUrl: base, now: () => now });
    const creds = await provider();
    expect(creds).toMatchObject({ secretId: 'AKIDTMP1', expiresAt: (nowSeconds + 7200) * 1000 });
    expect(creds.secretKey).toBe('tmp-secret-key-1');
    expect(creds.token).toBe('tmp-token-1');
    await provider();
    expect(hits).toEqual([
      '/latest/meta-data/cam/security-credentials/',
      '/latest/meta-data/cam/security-credentials/CVM_QcsRole',
    ]);
    now += 7200_000 - 60_000; // inside the 5-minute margin: still valid, refreshed in the background
    nowSeconds += 7200;
    expect((await provider()).secretId).toBe('AKIDTMP1');
    await expect.poll(async () => (await provider()).secretId).toBe('AKIDTMP2');
  });

  it('uses a given role name without asking', async () => {
    mode = 'ok';
    hits = [];
    await fromInstanceMetadata({ baseUrl: base, roleName: 'CVM_QcsRole' })();
    expect(hits).toEqual(['/latest/meta-data/cam/security-credentials/CVM_QcsRole']);
  });

  it.each([
    ['no-role', 'no CAM role is bound to this instance'],
    ['bad-json', 'the credentials of role CVM_QcsRole are not JSON'],
    ['failure-code', 'the metadata service answered Code Failure'],
  ] as const)('explains %s', async (m, reason) => {
    mode = m;
    const err = await fromInstanceMetadata({ baseUrl: base })().catch((e: unknown) => e);
    expect(isCredentialsError(err)).toBe(true);
    expect((err as Error).message).toContain(reason);
  });

  it('gives up after its short timeout', async () => {
    mode = 'hang';
    const err = await fromInstanceMetadata({ baseUrl: base, timeoutMs: 100 })().catch((e: unknown) => e);
    expect(isCredentialsError(err)).toBe(true);
    expect((err as Error).message).toContain('did not answer within 100 ms');
  });

  it('explains an unreachable service', async () => {
    const err = await fromInstanceMetadata({ baseUrl: 'http://127.0.0.1:1/' })().catch((e: unknown) => e);
    expect(isCredentialsError(err)).toBe(true);
    expect((err as Error).message).toMatch(/is unreachable/);
  });
});
