import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/index';
import { cvm } from './helpers';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ validate: false });
});
afterAll(() => emulator.close());

// emulator.requests is what a test prints when it fails: a secret passed as a param must not be in it.
describe('recorded params', () => {
  it.each(['Token', 'token', 'SecretKey', 'TmpSecretKey', 'SessionToken', 'Signature'])(
    'redacts a param named %s, nested too',
    async (name) => {
      const secret = `sekrit-${name}-value`;
      await cvm(emulator)
        .call('DescribeRegions', { [name]: secret, Filters: [{ [name]: secret, Name: 'zone' }] })
        .catch(() => undefined);
      const recorded = emulator.requests.at(-1)?.params;
      expect(recorded).toMatchObject({ [name]: '[REDACTED]', Filters: [{ [name]: '[REDACTED]', Name: 'zone' }] });
      expect(JSON.stringify(emulator.requests)).not.toContain(secret);
    },
  );

  it('keeps names that only identify a key', async () => {
    await cvm(emulator)
      .call('DescribeRegions', { SecretId: 'AKIDvisible', TokenName: 'visible-too' })
      .catch(() => undefined);
    expect(emulator.requests.at(-1)?.params).toMatchObject({ SecretId: 'AKIDvisible', TokenName: 'visible-too' });
  });
});
