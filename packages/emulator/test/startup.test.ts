import { request } from 'node:http';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { UsageError } from '@x/errors';
import {
  DEFAULT_SECRET_ID,
  DEFAULT_SECRET_KEY,
  loopbackAgent,
  startEmulator,
  type EmulatorOptions,
} from '../src/index';
import { PrintableCredentials, validateOptions } from '../src/options';
import { createGateway } from '../src/setup';
import { raw } from './helpers';

// Starting an emulator: the options it refuses (argument and message), what createGateway builds
// from them, where it listens, and the loopback agent.

const refusal = (options: unknown): [string | undefined, string] => {
  try {
    validateOptions(options as EmulatorOptions);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return [(err as UsageError).argument, (err as Error).message.replace(/^[\w.-]+: /, '')];
  }
  return [undefined, 'accepted'];
};

describe('validateOptions', () => {
  it('names the bad option and says what it must be', () => {
    expect(refusal(null)).toEqual(['options', 'must be an object']);
    expect(refusal('x')).toEqual(['options', 'must be an object']);
    expect(refusal({ host: '0.0.0.0' })).toEqual([
      'host',
      'must be 127.0.0.1 or localhost (the emulator never listens beyond the loopback), got "0.0.0.0"',
    ]);
    expect(refusal({ host: 'localhost' })).toEqual([undefined, 'accepted']);
    expect(refusal({ host: '127.0.0.1' })).toEqual([undefined, 'accepted']);
    expect(refusal({ port: 65536 })).toEqual(['port', 'must be an integer from 0 to 65535, got 65536']);
    expect(refusal({ port: -1 })).toEqual(['port', 'must be an integer from 0 to 65535, got -1']);
    expect(refusal({ port: 1.5 })[0]).toBe('port');
    expect(refusal({ port: 65535 })).toEqual([undefined, 'accepted']);
    expect(refusal({ port: 0 })).toEqual([undefined, 'accepted']);
    expect(refusal({ now: 5 })).toEqual(['now', 'must be a function returning ms since the epoch']);
    expect(refusal({ services: null })).toEqual([
      'services',
      'must be { [service]: { regions?, regionRequired?, unsignedActions? } }',
    ]);
    expect(refusal({ services: 'x' })[0]).toBe('services');
    expect(refusal({ services: {} })).toEqual([undefined, 'accepted']);
    expect(refusal({ recordLimit: -1 })).toEqual(['recordLimit', 'must be a non-negative integer, got -1']);
    expect(refusal({ recordLimit: 1.5 })[0]).toBe('recordLimit');
    expect(refusal({ recordLimit: 0 })).toEqual([undefined, 'accepted']);
    expect(refusal({ cors: { origin: '' } })).toEqual(['cors', 'must be true, false or { origin: string }']);
    expect(refusal({ cors: null })[0]).toBe('cors');
    expect(refusal({ cors: 'x' })[0]).toBe('cors');
    expect(refusal({ cors: false })).toEqual([undefined, 'accepted']);
    expect(refusal({ cors: { origin: 'https://a' } })).toEqual([undefined, 'accepted']);
  });

  it('switches must be booleans, faults an array, the seed an integer', () => {
    for (const name of ['fixtures', 'validate', 'synthesize']) {
      expect(refusal({ [name]: 'yes' })).toEqual([name, 'must be true or false']);
      expect(refusal({ [name]: false })).toEqual([undefined, 'accepted']);
    }
    expect(refusal({ faults: {} })).toEqual(['faults', 'must be an array of fault rules']);
    expect(refusal({ faults: [] })).toEqual([undefined, 'accepted']);
    expect(refusal({ seed: 1.5 })).toEqual(['seed', 'must be an integer, got 1.5']);
    expect(refusal({ seed: -3 })).toEqual([undefined, 'accepted']);
  });

  it('credentials: at least one, SecretIds that fit a credential scope, non-empty keys and tokens', () => {
    expect(refusal({ credentials: null })).toEqual([
      'credentials',
      'must be an object { [secretId]: secretKey | { secretKey, token? } }',
    ]);
    expect(refusal({ credentials: 'x' })[0]).toBe('credentials');
    expect(refusal({ credentials: {} })).toEqual(['credentials', 'must accept at least one SecretId']);
    expect(refusal({ credentials: { '': 'k' } })).toEqual([
      'credentials',
      'the SecretId "" cannot appear in a credential scope',
    ]);
    expect(refusal({ credentials: { 'AK ID': 'k' } })[1]).toBe(
      'the SecretId "AK ID" cannot appear in a credential scope',
    );
    expect(refusal({ credentials: { 'AK/ID': 'k' } })[0]).toBe('credentials');
    expect(refusal({ credentials: { AKID: '' } })).toEqual(['credentials.AKID', 'needs a non-empty secretKey']);
    expect(refusal({ credentials: { AKID: null } })).toEqual(['credentials.AKID', 'needs a non-empty secretKey']);
    expect(refusal({ credentials: { AKID: { secretKey: 5 } } })[0]).toBe('credentials.AKID');
    expect(refusal({ credentials: { AKID: { secretKey: 'k', token: '' } } })).toEqual([
      'credentials.AKID.token',
      'must be a non-empty string',
    ]);
    expect(refusal({ credentials: { AKID: { secretKey: 'k', token: 't' }, B: 'k' } })).toEqual([undefined, 'accepted']);
  });

  it('handlers: services map versions or actions to functions', () => {
    expect(refusal({ handlers: null })).toEqual([
      'handlers',
      'must be { [service]: { [version]: { [action]: handler } } }',
    ]);
    expect(refusal({ handlers: 'x' })[0]).toBe('handlers');
    expect(refusal({ handlers: { demo: null } })).toEqual([
      'handlers.demo',
      'must map versions (or actions) to handlers',
    ]);
    expect(refusal({ handlers: { demo: 5 } })[0]).toBe('handlers.demo');
    expect(refusal({ handlers: { demo: { v1: null } } })).toEqual([
      'handlers.demo.v1',
      'must be a handler function or { [action]: handler }',
    ]);
    expect(refusal({ handlers: { demo: { v1: 'x' } } })[0]).toBe('handlers.demo.v1');
    expect(refusal({ handlers: { demo: { v1: { Greet: 'hi' } } } })).toEqual([
      'handlers.demo.v1.Greet',
      'must be a function (params, ctx) => result, got string',
    ]);
    expect(refusal({ handlers: { demo: { Greet: () => ({}), v1: { Greet: () => ({}) } } } })).toEqual([
      undefined,
      'accepted',
    ]);
  });
});

describe('createGateway', () => {
  it('defaults: the default credentials, fixtures, validation, a 10 000 record limit, no CORS', () => {
    const { gateway, credentials } = createGateway({});
    expect(credentials).toEqual(new PrintableCredentials(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, undefined));
    expect([...gateway.secrets]).toEqual([[DEFAULT_SECRET_ID, { secretKey: DEFAULT_SECRET_KEY }]]);
    expect(gateway.recordLimit).toBe(10_000);
    expect(gateway.cors).toBeUndefined();
    expect(gateway.validate).toBe(true);
    expect(Object.keys(gateway.settings).sort()).toEqual(['cvm', 'sts']);
    const before = Date.now();
    const now = gateway.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('options: credentials with tokens, the first handed out; cors; validate; settings merged field by field', () => {
    const { gateway, credentials } = createGateway({
      credentials: { AKIDA: { secretKey: 'ka', token: 'ta' }, AKIDB: 'kb' },
      cors: true,
      validate: false,
      recordLimit: 5,
      now: () => 1000,
      faults: [{ fault: { kind: 'clock-offset', ms: 20 } }],
      services: { cvm: { regions: ['ap-1'] }, demo: { unsignedActions: ['X'] } },
    });
    expect(credentials).toMatchObject({ secretId: 'AKIDA', secretKey: 'ka', token: 'ta' });
    expect(gateway.secrets.get('AKIDB')).toEqual({ secretKey: 'kb' });
    expect(gateway.secrets.get('AKIDA')).toEqual({ secretKey: 'ka', token: 'ta' });
    expect(gateway.cors).toEqual({ origin: '*' });
    expect(gateway.validate).toBe(false);
    expect(gateway.recordLimit).toBe(5);
    expect(gateway.now()).toBe(1020);
    expect(gateway.settings['cvm']).toMatchObject({ regions: ['ap-1'], regionRequired: true });
    expect(gateway.settings['demo']).toEqual({ unsignedActions: ['X'] });
    expect(createGateway({ cors: { origin: 'https://o' } }).gateway.cors).toEqual({ origin: 'https://o' });
    expect(createGateway({ cors: false }).gateway.cors).toBeUndefined();
    expect(createGateway({ fixtures: false }).gateway.settings).toEqual({});
  });

  it('issues temporary credentials it then knows, with a token and expiry', () => {
    const { gateway } = createGateway({});
    const issued = gateway.issueCredentials({ expiresAt: 5000, principal: 'role/x' });
    expect(issued.TmpSecretId).toMatch(/^AKIDTMP[0-9a-f]{25}$/);
    expect(issued.TmpSecretKey).toMatch(/^[0-9a-f]{32}$/);
    expect(issued.Token).toMatch(/^emulator-token-[0-9a-f-]{36}$/);
    expect(gateway.secrets.get(issued.TmpSecretId)).toEqual({
      secretKey: issued.TmpSecretKey,
      token: issued.Token,
      expiresAt: 5000,
    });
    expect(gateway.issueCredentials({ expiresAt: 1 }).TmpSecretId).not.toBe(issued.TmpSecretId);
  });

  it('routes to your handlers over the fixtures: per version, for every version, the version one winning', async () => {
    const mine = () => ({ Mine: true });
    const pinned = () => ({ Pinned: true });
    const { gateway } = createGateway({
      handlers: { cvm: { DescribeZones: mine, '2017-03-12': { DescribeRegions: pinned } }, other: { v1: { A: mine } } },
    });
    const handlerOf = async (service: string, version: string, action: string) => {
      const route = await gateway.router.resolve(service, version, action, 'en-US');
      return 'handler' in route ? route.handler : route.code;
    };
    expect(await handlerOf('cvm', '2017-03-12', 'DescribeZones')).toBe(mine);
    expect(await handlerOf('cvm', '2017-03-12', 'DescribeRegions')).toBe(pinned);
    expect(await handlerOf('cvm', '2099-01-01', 'DescribeZones')).toBe(mine);
    expect(await handlerOf('other', 'v1', 'A')).toBe(mine);
    const fixtureless = createGateway({ fixtures: false, synthesize: false });
    const route = await fixtureless.gateway.router.resolve('cvm', '2017-03-12', 'DescribeRegions', 'en-US');
    expect(route).toMatchObject({ code: 'NoSuchProduct' });
  });
});

describe('PrintableCredentials', () => {
  it('reads like a plain object and prints without its secrets', () => {
    const withToken = new PrintableCredentials('AKID', 'the-key', 'the-token');
    expect({ ...withToken }).toEqual({ secretId: 'AKID', secretKey: 'the-key', token: 'the-token' });
    expect(JSON.parse(JSON.stringify(withToken))).toEqual({
      secretId: 'AKID',
      secretKey: '[REDACTED]',
      token: '[REDACTED]',
    });
    expect(inspect(withToken)).toBe(
      "EmulatorCredentials { secretId: 'AKID', secretKey: '[REDACTED]', token: '[REDACTED]' }",
    );
    const plain = new PrintableCredentials('AKID', 'the-key', undefined);
    expect('token' in plain).toBe(false);
    expect(JSON.stringify(plain)).toBe('{"secretId":"AKID","secretKey":"[REDACTED]"}');
  });
});

describe('startEmulator and loopbackAgent', () => {
  it('listens on the host asked for, answers, and stops listening on close', async () => {
    const emulator = await startEmulator({ host: 'localhost' });
    expect(emulator.url).toBe(`http://localhost:${emulator.port}`);
    expect(emulator.port).toBeGreaterThan(0);
    const res = await raw(emulator.url, { method: 'PUT' });
    expect(res.status).toBe(200);
    expect(emulator.requests).toHaveLength(1);
    await emulator.close();
    await expect(raw(emulator.url, { method: 'PUT' })).rejects.toThrow();
  });

  it('the agent sends every request to the emulator, whatever host it names', async () => {
    const emulator = await startEmulator();
    const agent = loopbackAgent(emulator, { maxSockets: 1 });
    try {
      const status = await new Promise<number>((resolve, reject) => {
        const req = request({ host: 'cvm.tencentcloudapi.com', port: 443, path: '/', method: 'PUT', agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        });
        req.on('error', reject);
        req.end();
      });
      expect(status).toBe(200);
      expect(emulator.requests.at(-1)).toMatchObject({ method: 'PUT', errorCode: 'UnsupportedProtocol' });
      expect(emulator.requests.at(-1)!.headers['host']).toBe('cvm.tencentcloudapi.com:443');
      expect((agent as unknown as { keepAlive: boolean }).keepAlive).toBe(true); // set by the constructor, not in the typings
      expect(agent.maxSockets).toBe(1);
    } finally {
      agent.destroy();
      await emulator.close();
    }
  });
});
