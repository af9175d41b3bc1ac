import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCredentialsError } from '@x/errors';
import { fromProfile, parseIni, profileFiles } from '../src/index.node';
import * as universal from '../src/index';

const secretKey = 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE';

function home(content?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'x-cred-'));
  if (content !== undefined) {
    mkdirSync(join(dir, '.tencentcloud'));
    writeFileSync(join(dir, '.tencentcloud', 'credentials'), content);
  }
  return dir;
}

const ini = `; comment
[default]
secret_id = AKIDDEFAULT
secret_key = ${secretKey}

# another comment
[prod]
secret_id=AKIDPROD
secret_key=${secretKey}
token = prod-token-123456

[broken]
secret_id = AKIDBROKEN
`;

describe('parseIni', () => {
  it('reads sections, trims keys and values, skips comments, handles CRLF and BOM', () => {
    const parsed = parseIni(`\uFEFF[a]\r\nk = v \r\n;x=y\r\n[ b ]\nk2=v=2\nstray\n`);
    expect([...parsed.keys()]).toEqual(['a', 'b']);
    expect(parsed.get('a')?.get('k')).toBe('v');
    expect(parsed.get('b')?.get('k2')).toBe('v=2');
  });
});

describe('fromProfile', () => {
  it('reads [default] from ~/.tencentcloud/credentials', async () => {
    const creds = await fromProfile({ env: { HOME: home(ini) } })();
    expect([creds.secretId, creds.secretKey, creds.token]).toEqual(['AKIDDEFAULT', secretKey, undefined]);
  });

  it('takes the profile from the option or TENCENTCLOUD_PROFILE', async () => {
    const dir = home(ini);
    expect((await fromProfile({ env: { HOME: dir }, profile: 'prod' })()).token).toBe('prod-token-123456');
    expect((await fromProfile({ env: { HOME: dir, TENCENTCLOUD_PROFILE: 'prod' } })()).secretId).toBe('AKIDPROD');
  });

  it('reads an explicit file', async () => {
    const dir = home();
    const file = join(dir, 'creds.ini');
    writeFileSync(file, ini);
    expect(profileFiles({ file })).toEqual([file]);
    expect((await fromProfile({ file, profile: 'prod' })()).secretId).toBe('AKIDPROD');
  });

  it('explains a missing file, profile or key without showing secrets', async () => {
    const missing = await fromProfile({ file: '/nonexistent/x-credentials' })().catch((e: unknown) => e);
    expect(isCredentialsError(missing)).toBe(true);
    expect((missing as Error).message).toContain('profile default (/nonexistent/x-credentials): file not found');

    const dir = home(ini);
    const noSection = await fromProfile({ env: { HOME: dir }, profile: 'nope' })().catch((e: unknown) => e);
    expect((noSection as Error).message).toContain('the file has no [nope] section');

    const broken = await fromProfile({ env: { HOME: dir }, profile: 'broken' })().catch((e: unknown) => e);
    expect((broken as Error).message).toContain('[broken] needs both secret_id and secret_key');
    expect((broken as Error).message).not.toContain(secretKey);
  });

  it('fails with a clear error in the universal build', async () => {
    const err = await universal
      .fromProfile()()
      .catch((e: unknown) => e);
    expect(isCredentialsError(err)).toBe(true);
    expect((err as Error).message).toMatch(/needs Node\.js/);
    expect(universal.profileFiles()).toEqual([]);
  });
});
