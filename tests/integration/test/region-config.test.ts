// A client created without `region` takes TENCENTCLOUD_REGION, else the profile file's region:
// over real HTTP to @x/emulator, which answers MissingParameter when a regional call has none.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, isApiError, type Middleware } from '@x/client';
import { startEmulator, type Emulator } from '@x/emulator';
import { cvm } from '@x/services/cvm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

let emulator: Emulator;
const saved = { ...process.env };
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
afterEach(() => {
  for (const key of ['TENCENTCLOUD_REGION', 'TENCENTCLOUD_PROFILE', 'HOME']) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

/** A client without region that records the region each call went out with. */
function client() {
  const regions: (string | undefined)[] = [];
  const spy: Middleware = (next) => (call, context) => {
    regions.push(context.region);
    return next(call, context);
  };
  return {
    regions,
    cvm: createClient(cvm, { endpoint: emulator.url, credentials: emulator.credentials, middleware: [spy] }),
  };
}

function homeWith(ini: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'x-region-it-'));
  mkdirSync(join(dir, '.tencentcloud'));
  writeFileSync(join(dir, '.tencentcloud', 'credentials'), ini);
  return dir;
}

describe('region from configuration', () => {
  it('without any region a regional call fails with MissingParameter, and the hint says how to set one', async () => {
    process.env['HOME'] = homeWith('[default]\n');
    delete process.env['TENCENTCLOUD_REGION'];
    const err = await client()
      .cvm.call('DescribeInstances', {})
      .catch((e: unknown) => e);
    expect(isApiError(err) && err.code).toBe('MissingParameter');
    expect(isApiError(err) && err.hint).toMatch(/TENCENTCLOUD_REGION/);
  });

  it('uses TENCENTCLOUD_REGION', async () => {
    process.env['TENCENTCLOUD_REGION'] = 'ap-shanghai';
    const { cvm: c, regions } = client();
    expect(typeof (await c.call('DescribeInstances', { Limit: 1 })).TotalCount).toBe('number'); // no MissingParameter
    expect(regions).toEqual(['ap-shanghai']);
  });

  it('else the region of the profile TENCENTCLOUD_PROFILE names in ~/.tencentcloud/credentials; a region given wins', async () => {
    delete process.env['TENCENTCLOUD_REGION'];
    process.env['HOME'] = homeWith('[default]\nregion = ap-beijing\n[prod]\nregion = ap-chengdu\n');
    process.env['TENCENTCLOUD_PROFILE'] = 'prod';
    const { cvm: c, regions } = client();
    await c.call('DescribeInstances', { Limit: 1 });
    await c.call('DescribeInstances', { Limit: 1 }, { region: 'ap-guangzhou' });
    expect(regions).toEqual(['ap-chengdu', 'ap-guangzhou']);
  });
});
