import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@x/client';
import { fromAssumeRole, fromWebIdentity } from '@x/credentials';
import { isCredentialsError } from '@x/errors';
import { startEmulator, type Emulator } from '@x/emulator';

let emulator: Emulator;
let now = Date.now();
beforeAll(async () => {
  emulator = await startEmulator({ now: () => now });
});
afterAll(() => emulator.close());

const roleArn = 'qcs::cam::uin/100000000001:roleName/deployer';
const assumeRoleCalls = () => emulator.requests.filter((r) => r.action === 'AssumeRole' && !r.errorCode).length;

describe('fromAssumeRole against the emulator STS', () => {
  it('signs calls with the assumed role, refreshing once for 100 concurrent calls', async () => {
    const before = assumeRoleCalls();
    const credentials = fromAssumeRole({
      roleArn,
      roleSessionName: 'it-run',
      source: emulator.credentials,
      endpoint: emulator.url,
      now: () => now,
    });
    const cvm = createClient({
      service: 'cvm',
      version: '2017-03-12',
      region: 'ap-guangzhou',
      endpoint: emulator.url,
      credentials,
    });
    const results = await Promise.all(Array.from({ length: 100 }, () => cvm.call('DescribeRegions')));
    expect(results).toHaveLength(100);
    expect(assumeRoleCalls() - before).toBe(1);
    const signedWith = new Set(
      emulator.requests
        .filter((r) => r.action === 'DescribeRegions')
        .slice(-100)
        .map((r) => r.secretId),
    );
    expect([...signedWith][0]).toMatch(/^AKIDTMP/);
    expect(signedWith.size).toBe(1);
  });

  it('refreshes before expiry on the injected clock', async () => {
    const credentials = fromAssumeRole({
      roleArn,
      source: emulator.credentials,
      endpoint: emulator.url,
      durationSeconds: 1800,
      now: () => now,
    });
    const first = await credentials();
    now += 1800_000 - 4 * 60_000; // inside the 5-minute margin: the current keys at once, new ones from a background refresh
    expect((await credentials()).secretId).toBe(first.secretId);
    await expect.poll(async () => (await credentials()).secretId).not.toBe(first.secretId);
    const second = await credentials();
    expect(second.expiresAt).toBeGreaterThan(first.expiresAt!);
  });

  it('does not cache a failure: the next call succeeds', async () => {
    const credentials = fromAssumeRole({
      roleArn,
      source: emulator.credentials,
      endpoint: emulator.url,
      now: () => now,
    });
    emulator.faults.add({ action: 'AssumeRole', fault: { kind: 'throttle', code: 'InternalError' }, times: 3 });
    const err = await credentials().catch((e: unknown) => e);
    expect(isCredentialsError(err)).toBe(true);
    expect((err as Error).message).toMatch(
      /^assume-role\(qcs::cam::uin\/100000000001:roleName\/deployer\) failed: InternalError/,
    );
    expect((await credentials()).secretId).toMatch(/^AKIDTMP/);
  });

  it('explains a role the source may not assume (bad RoleArn)', async () => {
    const err = await fromAssumeRole({
      roleArn: 'not-an-arn',
      source: emulator.credentials,
      endpoint: emulator.url,
    })().catch((e: unknown) => e);
    expect(isCredentialsError(err) && err.tried[0]?.provider).toBe('assume-role(not-an-arn)');
  });
});

describe('fromWebIdentity against the emulator STS', () => {
  it('reads the token file named by TKE_* variables and calls AssumeRoleWithWebIdentity unsigned', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'x-oidc-'));
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'header.payload.signature\n');
    const credentials = fromWebIdentity({
      endpoint: emulator.url,
      env: {
        TKE_REGION: 'ap-guangzhou',
        TKE_PROVIDER_ID: 'oidc-provider',
        TKE_WEB_IDENTITY_TOKEN_FILE: tokenFile,
        TKE_ROLE_ARN: roleArn,
      },
      now: () => now,
    });
    const creds = await credentials();
    expect(creds.token).toMatch(/^emulator-token-/);
    expect(emulator.requests.at(-1)).toMatchObject({ action: 'AssumeRoleWithWebIdentity', signatureMethod: 'SKIP' });
    const cvm = createClient({
      service: 'cvm',
      version: '2017-03-12',
      region: 'ap-guangzhou',
      endpoint: emulator.url,
      credentials,
    });
    expect((await cvm.call('DescribeRegions'))['TotalCount']).toBe(20);
  });

  it('says what is missing', async () => {
    const err = await fromWebIdentity({ env: {}, endpoint: emulator.url })().catch((e: unknown) => e);
    expect(isCredentialsError(err) && err.message).toMatch(/TKE_ROLE_ARN is not set/);
  });
});
