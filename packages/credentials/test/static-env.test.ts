import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isCredentialsError, isUsageError } from '@x/errors';
import { fromEnv, makeCredentials, staticCredentials, toProvider } from '../src/index.node';

const secretKey = 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE';
const token = 'tmp-session-token-0123456789';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('staticCredentials and makeCredentials', () => {
  it('returns the credentials given', async () => {
    const creds = await staticCredentials({ secretId: 'AKIDEXAMPLE', secretKey, token })();
    expect(creds.secretId).toBe('AKIDEXAMPLE');
    expect(creds.secretKey).toBe(secretKey);
    expect(creds.token).toBe(token);
  });

  it('refuses empty, space-padded and non-string values, naming the field', () => {
    const cases: [Parameters<typeof staticCredentials>[0], RegExp][] = [
      [{ secretId: '', secretKey }, /^secretId: is empty/],
      [{ secretId: '   ', secretKey }, /^secretId: is empty/],
      [{ secretId: ' AKIDEXAMPLE', secretKey }, /^secretId: has white space/],
      [{ secretId: 'AKIDEXAMPLE', secretKey: `${secretKey}\n` }, /^secretKey: has white space/],
      [{ secretId: 'AKIDEXAMPLE', secretKey, token: '' }, /^token: is empty/],
      [
        { secretId: 'AKIDEXAMPLE', secretKey: undefined as unknown as string },
        /^secretKey: must be a string, got undefined/,
      ],
    ];
    for (const [input, message] of cases) {
      const err = thrown(() => staticCredentials(input));
      expect(isUsageError(err)).toBe(true);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain(secretKey);
    }
    expect(isUsageError(thrown(() => toProvider(null as unknown as never)))).toBe(true);
  });

  it('never shows the SecretKey or token in JSON, inspect, spread or String', () => {
    const creds = makeCredentials({ secretId: 'AKIDEXAMPLE', secretKey, token, expiresAt: 1700000000000 });
    const outputs = [
      JSON.stringify(creds),
      inspect(creds),
      inspect(creds, { showHidden: true, depth: 5 }),
      JSON.stringify({ ...creds }),
      String(Object.keys(creds)),
    ];
    for (const text of outputs) {
      expect(text).not.toContain(secretKey);
      expect(text).not.toContain(token);
    }
    expect(JSON.parse(JSON.stringify(creds))).toEqual({
      secretId: 'AKIDEXAMPLE',
      secretKey: '[REDACTED]',
      token: '[REDACTED]',
      expiresAt: 1700000000000,
    });
    expect(Object.isFrozen(creds)).toBe(true);
  });

  it('toProvider accepts a plain object or a provider', async () => {
    expect((await toProvider({ secretId: 'A1', secretKey: 'K1' })()).secretId).toBe('A1');
    const provider = () => Promise.resolve(makeCredentials({ secretId: 'A2', secretKey: 'K2' }));
    expect(toProvider(provider)).toBe(provider);
  });
});

describe('fromEnv', () => {
  it('reads id, key and token', async () => {
    const creds = await fromEnv({
      env: { TENCENTCLOUD_SECRET_ID: 'AKIDENV', TENCENTCLOUD_SECRET_KEY: secretKey, TENCENTCLOUD_SESSION_TOKEN: token },
    })();
    expect([creds.secretId, creds.secretKey, creds.token]).toEqual(['AKIDENV', secretKey, token]);
  });

  it('treats an empty session token as none', async () => {
    const creds = await fromEnv({
      env: { TENCENTCLOUD_SECRET_ID: 'AKIDENV', TENCENTCLOUD_SECRET_KEY: secretKey, TENCENTCLOUD_SESSION_TOKEN: '' },
    })();
    expect(creds.token).toBeUndefined();
  });

  it.each([
    [{}, 'TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY are not set'],
    [{ TENCENTCLOUD_SECRET_ID: 'AKIDENV' }, 'TENCENTCLOUD_SECRET_ID is set but TENCENTCLOUD_SECRET_KEY is not'],
    [{ TENCENTCLOUD_SECRET_KEY: secretKey }, 'TENCENTCLOUD_SECRET_KEY is set but TENCENTCLOUD_SECRET_ID is not'],
    [{ TENCENTCLOUD_SECRET_ID: '', TENCENTCLOUD_SECRET_KEY: secretKey }, 'TENCENTCLOUD_SECRET_ID: is empty'],
    [
      { TENCENTCLOUD_SECRET_ID: 'AKIDENV ', TENCENTCLOUD_SECRET_KEY: secretKey },
      'TENCENTCLOUD_SECRET_ID: has white space',
    ],
  ])('fails clearly for %j', async (env, reason) => {
    const err = await rejection(fromEnv({ env })());
    expect(isCredentialsError(err)).toBe(true);
    expect((err as Error).message).toContain(reason);
    expect((err as Error).message).not.toContain(secretKey);
  });

  it('reads process.env by default, at call time', async () => {
    const provider = fromEnv();
    const saved = { ...process.env };
    try {
      process.env['TENCENTCLOUD_SECRET_ID'] = 'AKIDLATE';
      process.env['TENCENTCLOUD_SECRET_KEY'] = secretKey;
      expect((await provider()).secretId).toBe('AKIDLATE');
    } finally {
      process.env = saved;
    }
  });
});
