import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUsageError } from '@x/errors';
import { ENV_REGION, configuredRegion, regionFromEnv } from '../src/index.node';
import * as universal from '../src/index';

function home(content?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'x-region-'));
  if (content !== undefined) {
    mkdirSync(join(dir, '.tencentcloud'));
    writeFileSync(join(dir, '.tencentcloud', 'credentials'), content);
  }
  return dir;
}

const ini = `[default]
secret_id = AKIDDEFAULT
secret_key = some-secret-key
region = ap-shanghai

[prod]
secret_id = AKIDPROD
secret_key = some-secret-key
region = na-siliconvalley

[bad]
region = Shanghai!
`;

describe('configuredRegion (Node): the region a client uses when given none', () => {
  it('reads TENCENTCLOUD_REGION first', async () => {
    expect(ENV_REGION).toBe('TENCENTCLOUD_REGION');
    expect(await configuredRegion({ env: { TENCENTCLOUD_REGION: 'ap-beijing', HOME: home(ini) } })).toEqual({
      region: 'ap-beijing',
      source: 'TENCENTCLOUD_REGION',
    });
  });

  it('then the profile file: [default], or the section TENCENTCLOUD_PROFILE names', async () => {
    const dir = home(ini);
    const file = join(dir, '.tencentcloud', 'credentials');
    expect(await configuredRegion({ env: { HOME: dir } })).toEqual({
      region: 'ap-shanghai',
      source: `[default] region (${file})`,
    });
    expect((await configuredRegion({ env: { HOME: dir, TENCENTCLOUD_PROFILE: 'prod' } }))?.region).toBe(
      'na-siliconvalley',
    );
    expect((await configuredRegion({ env: { HOME: dir }, profile: 'prod' }))?.region).toBe('na-siliconvalley');
    expect((await configuredRegion({ env: {}, file }))?.region).toBe('ap-shanghai');
  });

  it('is undefined when nothing says (no variable, no file, no region key, an empty variable)', async () => {
    expect(await configuredRegion({ env: { HOME: home() }, file: '/nonexistent/credentials' })).toBeUndefined();
    expect(
      await configuredRegion({ env: { HOME: home('[default]\nsecret_id = AKID\n'), TENCENTCLOUD_REGION: ' ' } }),
    ).toBeUndefined();
    expect(await configuredRegion({ env: { HOME: home(ini), TENCENTCLOUD_PROFILE: 'absent' } })).toBeUndefined();
  });

  it('refuses a value that is not a region with a UsageError naming where it came from', async () => {
    const err = await configuredRegion({ env: { HOME: home(ini), TENCENTCLOUD_PROFILE: 'bad' } }).catch(
      (e: unknown) => e,
    );
    expect(isUsageError(err) && err.message).toMatch(/got "Shanghai!" from \[bad\] region \(.*credentials\)/);
    expect(() => regionFromEnv({ TENCENTCLOUD_REGION: 'guangzhou' })).toThrow(/from TENCENTCLOUD_REGION/);
  });

  it('the universal build (browsers, Workers) reads only the variable, never a file', async () => {
    expect(await universal.configuredRegion({ env: { HOME: home(ini) } })).toBeUndefined();
    expect((await universal.configuredRegion({ env: { TENCENTCLOUD_REGION: 'ap-guangzhou' } }))?.region).toBe(
      'ap-guangzhou',
    );
  });
});
