import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, UsageError, isNetworkError } from '@x/errors';
import { createClient, type ServiceDescriptor } from '../src/index';
import { regionFiller } from '../src/region-config';

// What createClient wires together, seen from a 127.0.0.1 server: the default credentials when
// none are given, the configured region, the region breaker's backup, close(), isError's service
// check, and the argument checks. (Written from the client's mutation report: each of these could
// be removed without a client test failing.)

interface Seen {
  action: string;
  region: string | undefined;
  authorization: string;
}
function recordingServer() {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      seen.push({
        action: String(req.headers['x-tc-action']),
        region: req.headers['x-tc-region'] as string | undefined,
        authorization: String(req.headers['authorization']),
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Response: { RequestId: `req-${seen.length}` } }));
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return { server, seen, sockets, url: '' };
}
const primary = recordingServer();
const backup = recordingServer();
const listen = async (s: ReturnType<typeof recordingServer>) => {
  await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
  s.url = `http://127.0.0.1:${(s.server.address() as AddressInfo).port}`;
};
beforeAll(async () => {
  await listen(primary);
  await listen(backup);
});
afterAll(async () => {
  for (const s of [primary, backup]) {
    s.server.closeAllConnections();
    await new Promise<void>((resolve) => s.server.close(() => resolve()));
  }
});
const savedEnv = { ...process.env };
afterEach(() => {
  primary.seen.length = 0;
  backup.seen.length = 0;
  for (const name of [
    'TENCENTCLOUD_SECRET_ID',
    'TENCENTCLOUD_SECRET_KEY',
    'TENCENTCLOUD_REGION',
    'TENCENTCLOUD_PROFILE',
  ])
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
});

const credentials = { secretId: 'AKIDwiring', secretKey: 'wiring-secret-key' };
const cvm: ServiceDescriptor = { service: 'cvm', version: '2017-03-12' };

describe('createClient arguments', () => {
  it('refuses a first argument that is no object, naming createClient', () => {
    for (const bad of [null, undefined, 'cvm', 42]) {
      const thrown = catchSync(() => createClient(bad as unknown as ServiceDescriptor));
      expect(thrown).toBeInstanceOf(UsageError);
      expect((thrown as UsageError).message).toContain('must be a service descriptor or an options object');
      expect((thrown as UsageError).argument).toBe('createClient');
    }
  });

  it('refuses options that are no object after a descriptor, naming the options argument', () => {
    for (const bad of [null, 'ap-guangzhou', 7]) {
      const thrown = catchSync(() => createClient(cvm, bad as never));
      expect(thrown).toBeInstanceOf(UsageError);
      expect((thrown as UsageError).message).toContain('must be an options object');
      expect((thrown as UsageError).argument).toBe('createClient(service, options)');
    }
  });
});

describe('createClient without credentials', () => {
  it('signs with the default chain: TENCENTCLOUD_SECRET_ID / _KEY from the environment', async () => {
    process.env['TENCENTCLOUD_SECRET_ID'] = 'AKIDfromenv';
    process.env['TENCENTCLOUD_SECRET_KEY'] = 'env-secret-key';
    const client = createClient(cvm, { region: 'ap-guangzhou', endpoint: primary.url, retry: false });
    try {
      await client.untyped.call('DescribeZones', {});
      expect(primary.seen[0]?.authorization).toContain('Credential=AKIDfromenv/');
    } finally {
      await client.close();
    }
  });
});

describe('the configured region', () => {
  it('a client without region sends TENCENTCLOUD_REGION; a call option or a client region wins', async () => {
    process.env['TENCENTCLOUD_REGION'] = 'ap-shanghai';
    const noRegion = createClient(cvm, { endpoint: primary.url, credentials, retry: false });
    const withRegion = createClient(cvm, { region: 'ap-beijing', endpoint: primary.url, credentials, retry: false });
    try {
      await noRegion.untyped.call('DescribeZones', {});
      await noRegion.untyped.call('DescribeZones', {}, { region: 'ap-chengdu' });
      await withRegion.untyped.call('DescribeZones', {});
      expect(primary.seen.map((s) => s.region)).toEqual(['ap-shanghai', 'ap-chengdu', 'ap-beijing']);
    } finally {
      await Promise.all([noRegion.close(), withRegion.close()]);
    }
  });

  it('regionFiller reads once, keeps what the call or client gave, and reads again after a failed lookup', async () => {
    let reads = 0;
    let fail = true;
    const read = () => {
      reads++;
      if (fail) return Promise.reject(new Error('profile file unreadable'));
      return Promise.resolve({ region: 'ap-nanjing', source: 'env' as const });
    };
    const fill = regionFiller(undefined, read as never);
    await expect(fill({})).rejects.toThrow('profile file unreadable');
    fail = false;
    expect(await fill({ timeoutMs: 5 })).toEqual({ timeoutMs: 5, region: 'ap-nanjing' });
    expect(await fill({})).toEqual({ region: 'ap-nanjing' });
    expect(await fill({ region: 'ap-hongkong' })).toEqual({ region: 'ap-hongkong' });
    expect(reads).toBe(2); // the failure, then one successful read shared by the later calls

    const none = regionFiller(undefined, () => Promise.resolve(undefined));
    const options = { timeoutMs: 9 };
    expect(await none(options)).toBe(options); // nothing configured: the options as they were

    let clientReads = 0;
    const fixed = regionFiller('ap-guangzhou', () => {
      clientReads++;
      return Promise.resolve({ region: 'ap-nanjing', source: 'env' as const });
    });
    expect(await fixed({})).toEqual({}); // the transport adds the client's region itself
    expect(clientReads).toBe(0);
  });
});

describe('regionFailover through createClient', () => {
  it('after 5 failed calls to the region, the next call goes to the backup endpoint', async () => {
    const changes: string[] = [];
    const client = createClient(cvm, {
      region: 'ap-guangzhou',
      endpoint: 'http://127.0.0.1:1', // nothing listens: every attempt is a NetworkError
      credentials,
      retry: false,
      regionFailover: { backupEndpoint: backup.url, onStateChange: (from, to) => changes.push(`${from}→${to}`) },
    });
    try {
      for (let i = 0; i < 5; i++) {
        const err = await client.untyped.call('DescribeZones', {}).catch((e: unknown) => e);
        expect(isNetworkError(err)).toBe(true);
      }
      expect(changes).toEqual(['closed→open']);
      expect(await client.untyped.call('DescribeZones', {})).toEqual({ RequestId: 'req-1' });
      expect(backup.seen.map((s) => s.action)).toEqual(['DescribeZones']);
    } finally {
      await client.close();
    }
  });

  it('bad failover options are a UsageError of the first call; the client keeps its own middleware', async () => {
    const order: string[] = [];
    const client = createClient(cvm, {
      region: 'ap-guangzhou',
      endpoint: primary.url,
      credentials,
      retry: false,
      middleware: [(next) => (call, context) => (order.push(call.action), next(call, context))],
      regionFailover: { backupEndpoint: 'not a domain' },
    });
    try {
      const err = await client.untyped.call('DescribeZones', {}).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).argument).toBe('regionFailover.backupEndpoint');
      const ok = createClient(cvm, {
        region: 'ap-guangzhou',
        endpoint: primary.url,
        credentials,
        retry: false,
        middleware: [(next) => (call, context) => (order.push(`ok:${call.action}`), next(call, context))],
        regionFailover: true,
      });
      expect(await ok.untyped.call('DescribeZones', {})).toEqual({ RequestId: 'req-1' });
      expect(order).toEqual(['DescribeZones', 'ok:DescribeZones']);
      await ok.close();
    } finally {
      await client.close();
    }
  });
});

describe('the client object', () => {
  it('close() closes the keep-alive connections of its transport', async () => {
    const client = createClient(cvm, { region: 'ap-guangzhou', endpoint: primary.url, credentials, retry: false });
    await client.untyped.call('DescribeZones', {});
    expect(primary.sockets.size).toBe(1); // kept alive for the next call
    await client.close();
    const deadline = Date.now() + 2_000;
    while (primary.sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(primary.sockets.size).toBe(0);
  });

  it("isError is true only for an ApiError of this action and this client's service (or none)", () => {
    const client = createClient(cvm, { region: 'ap-guangzhou', endpoint: primary.url, credentials });
    const error = (service: string | undefined, action = 'RunInstances') =>
      new ApiError({ code: 'LimitExceeded', serverMessage: '', requestId: 'r', action, service });
    const isError = client.untyped.isError.bind(client.untyped) as (e: unknown, a: string, c?: string) => boolean;
    expect(isError(error('cvm'), 'RunInstances')).toBe(true);
    expect(isError(error(undefined), 'RunInstances')).toBe(true);
    expect(isError(error('cbs'), 'RunInstances')).toBe(false);
    expect(isError(error('cvm', 'StopInstances'), 'RunInstances')).toBe(false);
    expect(isError(error('cvm'), 'RunInstances', 'LimitExceeded')).toBe(true);
    expect(isError(error('cvm'), 'RunInstances', 'InternalError')).toBe(false);
    expect(isError(new Error('x'), 'RunInstances')).toBe(false);
    return client.close();
  });
});

function catchSync(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}
