// The edges of each credential source, through the package's entry points: every answer of the
// instance metadata service that is not a clean set of keys, INI details of the profile file, the
// default chain's links, what a chain reports, and the shape of a credentials object.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CredentialsError, isUsageError } from '@x/errors';
import {
  chain,
  configuredRegion,
  defaultCredentials,
  DEFAULT_METADATA_URL,
  fromEnv,
  fromInstanceMetadata,
  fromProfile,
  makeCredentials,
  parseIni,
  profileFiles,
  regionFromEnv,
} from '../src/index.node';
import * as universal from '../src/index';
import { failure } from './provider-failure';

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

function homeWith(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'x-cred-edges-'));
  mkdirSync(join(dir, '.tencentcloud'));
  writeFileSync(join(dir, '.tencentcloud', 'credentials'), content);
  return dir;
}

const key = { TmpSecretId: 'AKIDTMP', TmpSecretKey: 'tmp-key', Token: 'tmp-token', ExpiredTime: 2_000_000_000 };

describe('fromInstanceMetadata: the answers', () => {
  let server: Server;
  let base: string;
  let hits: string[] = [];
  /** path below the base → [status, body] */
  let routes: Record<string, [number, string]> = {};

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = (req.url ?? '').replace(/^\/md\//, '');
      hits.push(path);
      const [status, body] = routes[path] ?? [404, 'not found'];
      res.writeHead(status).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/md`;
  });
  afterEach(() => {
    hits = [];
    routes = {};
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const answering = (body: unknown, role = 'Role') => {
    routes = {
      'cam/security-credentials/': [200, `${role}\n`],
      [`cam/security-credentials/${encodeURIComponent(role)}`]: [
        200,
        typeof body === 'string' ? body : JSON.stringify(body),
      ],
    };
  };

  it('adds the slash a base URL lacks, takes the first role listed (trimmed), and URL-encodes it', async () => {
    routes = {
      'cam/security-credentials/': [200, '  My Role  \nOther\n'],
      'cam/security-credentials/My%20Role': [200, JSON.stringify({ ...key, Code: 'Success' })],
    };
    const creds = await fromInstanceMetadata({ baseUrl: base })();
    expect(creds).toMatchObject({ secretId: 'AKIDTMP', expiresAt: 2_000_000_000_000 });
    expect(hits).toEqual(['cam/security-credentials/', 'cam/security-credentials/My%20Role']);
    hits = [];
    await fromInstanceMetadata({ baseUrl: `${base}/` })();
    expect(hits[0]).toBe('cam/security-credentials/');
  });

  it('asks the real service by default', async () => {
    expect(DEFAULT_METADATA_URL).toBe('http://metadata.tencentyun.com/latest/meta-data/');
    const urls: string[] = [];
    const fetch = (url: string | URL | Request) => {
      urls.push(String(url));
      return Promise.reject(new Error('offline'));
    };
    const err = await failure(fromInstanceMetadata({ fetch: fetch as typeof globalThis.fetch }));
    expect(urls).toEqual(['http://metadata.tencentyun.com/latest/meta-data/cam/security-credentials/']);
    expect(err.message).toContain('http://metadata.tencentyun.com/latest/meta-data/ is unreachable (offline)');
  });

  it('fails when the service names no role', async () => {
    routes = { 'cam/security-credentials/': [200, '\n'] };
    const err = await failure(fromInstanceMetadata({ baseUrl: base }));
    expect(err.message).toContain(
      'No credentials from the instance metadata service: the metadata service named no CAM role',
    );
    expect(err.tried).toEqual([{ provider: 'instance-metadata', reason: 'the metadata service named no CAM role' }]);
  });

  it('names the URL and status of an HTTP failure, and a 404 as no role bound', async () => {
    routes = { 'cam/security-credentials/': [500, 'oops'] };
    const err = await failure(fromInstanceMetadata({ baseUrl: base }));
    expect(err.message).toContain(`${base}/cam/security-credentials/ answered HTTP 500`);
    const missing = await failure(fromInstanceMetadata({ baseUrl: base, roleName: 'Gone' }));
    expect(missing.message).toContain(
      'no CAM role is bound to this instance (cam/security-credentials/Gone answered 404)',
    );
  });

  it.each([
    ['null', 'null', 'the credentials of role Role are not an object'],
    ['an array', '[1,2]', 'the credentials of role Role are not an object'],
    ['a string', '"text"', 'the credentials of role Role are not an object'],
    ['not JSON', 'Role: x', 'the credentials of role Role are not JSON (the answer starts: "Role: x")'],
  ])('refuses an answer that is %s', async (_label, body, reason) => {
    answering(body);
    const err = await failure(fromInstanceMetadata({ baseUrl: base }));
    expect(err.message).toContain(reason);
  });

  it.each([
    ['no TmpSecretId', { ...key, TmpSecretId: undefined }],
    ['no TmpSecretKey', { ...key, TmpSecretKey: undefined }],
    ['no Token', { ...key, Token: undefined }],
    ['a text ExpiredTime', { ...key, ExpiredTime: '2000000000' }],
  ])('refuses an answer with %s', async (_label, body) => {
    answering(body);
    const err = await failure(fromInstanceMetadata({ baseUrl: base }));
    expect(err.message).toContain('the credentials of role Role lack TmpSecretId, TmpSecretKey, Token or ExpiredTime');
  });

  it('accepts an answer without Code, and explains invalid values', async () => {
    answering(key);
    expect((await fromInstanceMetadata({ baseUrl: base })()).secretId).toBe('AKIDTMP');
    answering({ ...key, TmpSecretId: ' AKIDTMP' });
    const err = await failure(fromInstanceMetadata({ baseUrl: base }));
    expect(err.message).toContain('the credentials of role Role are invalid: secretId: has white space');
    expect(isUsageError(err.cause)).toBe(true);
  });

  it.each([
    ['Failure', 'Code Failure'],
    ['Err.Some-code_1', 'Code Err.Some-code_1'],
    ['1Failure', 'a Code other than Success'],
    ['Failure!', 'a Code other than Success'],
    ['tmp-key', 'a Code other than Success'],
  ])('names a failure Code only when it looks like one and is no secret (%s)', async (code, said) => {
    answering({ ...key, Code: code });
    const err = await failure(fromInstanceMetadata({ baseUrl: base }));
    expect(err.message).toContain(`the metadata service answered ${said}`);
  });

  it('tells a timeout from an unreachable service, with the cause of a fetch failure', async () => {
    const reject = (err: unknown) => (() => Promise.reject(err)) as unknown as typeof globalThis.fetch;
    const timeout = new DOMException('timed out', 'TimeoutError');
    const timedOut = await failure(fromInstanceMetadata({ baseUrl: base, fetch: reject(timeout), timeoutMs: 250 }));
    expect(timedOut.message).toContain(`${base}/ did not answer within 250 ms`);
    expect(timedOut.cause).toBe(timeout);
    const aborted = await failure(fromInstanceMetadata({ fetch: reject(new DOMException('x', 'AbortError')) }));
    expect(aborted.message).toContain('did not answer within 1000 ms');
    const refused = Object.assign(new TypeError('fetch failed'), { cause: new Error('connect ECONNREFUSED') });
    const down = await failure(fromInstanceMetadata({ baseUrl: base, fetch: reject(refused) }));
    expect(down.message).toContain(`${base}/ is unreachable (fetch failed: connect ECONNREFUSED)`);
    const odd = await failure(fromInstanceMetadata({ baseUrl: base, fetch: reject('no route') }));
    expect(odd.message).toContain('is unreachable (no route)');
  });

  it('names a body that breaks while it is read', async () => {
    const broken = () =>
      Promise.resolve(new Response(new ReadableStream({ start: (c) => c.error(new Error('reset by peer')) })));
    const err = await failure(fromInstanceMetadata({ baseUrl: base, fetch: broken as typeof globalThis.fetch }));
    expect(err.message).toContain(`reading ${base}/cam/security-credentials/ failed (reset by peer)`);
  });
});

describe('the profile file', () => {
  it('parseIni: a BOM only at the start, comments only at a line start, [section] headers only whole', () => {
    const ini = parseIni(
      '\uFEFF[a]\nk = v;\nh = x#\n   ; c = 1\n# d = 2\n[b] trailing\nm = 3\nx[c]\nn = 4\n=5\nb = 1\uFEFF2\n',
    );
    expect([...ini.keys()]).toEqual(['a']);
    expect(Object.fromEntries(ini.get('a')!)).toEqual({ k: 'v;', h: 'x#', m: '3', n: '4', b: '1\uFEFF2' });
    const later = parseIni('[s]\nkey = value = with equals\n \t\n[s]\nk2=v2');
    expect(Object.fromEntries(later.get('s')!)).toEqual({ key: 'value = with equals', k2: 'v2' });
    expect(parseIni('[a]\nb = 1\uFEFF2').get('a')!.get('b')).toBe('1\uFEFF2');
  });

  it('says which profile it looked for when no file exists', async () => {
    const missing = join(tmpdir(), 'x-no-such-dir', 'credentials');
    const err = await failure(fromProfile({ file: missing, profile: 'ci' }));
    expect(err.message).toContain('No credentials from profile ci');
    expect(err.tried).toEqual([{ provider: `profile ci (${missing})`, reason: 'file not found' }]);
  });

  it('in the universal build, fails with a clear error', async () => {
    const err = await failure(universal.fromProfile());
    expect(err.message).toContain(
      'profile reads files and needs Node.js (or Bun/Deno); this runtime has no file system',
    );
    expect(err.tried).toEqual([{ provider: 'profile', reason: 'not available in this runtime' }]);
  });

  it('profileFiles: HOME, else USERPROFILE, then /etc', () => {
    expect(profileFiles({ env: { HOME: '/h' } })).toEqual([
      '/h/.tencentcloud/credentials',
      '/etc/tencentcloud/credentials',
    ]);
    expect(profileFiles({ env: { USERPROFILE: '/u' } })[0]).toBe('/u/.tencentcloud/credentials');
    expect(profileFiles({ file: '/x/creds' })).toEqual(['/x/creds']);
  });

  it('names the profile and file of every failure, and a file that cannot be read', async () => {
    const dir = homeWith('[default]\nsecret_id = AKIDONLY\n[empty]\nsecret_id =\nsecret_key =\n');
    const file = join(dir, '.tencentcloud', 'credentials');
    const half = await failure(fromProfile({ env: { HOME: dir } }));
    expect(half.message).toContain('No credentials from profile default');
    expect(half.tried).toEqual([
      { provider: `profile default (${file})`, reason: '[default] needs both secret_id and secret_key' },
    ]);
    const none = await failure(fromProfile({ env: { HOME: dir }, profile: 'prod' }));
    expect(none.tried).toEqual([{ provider: `profile prod (${file})`, reason: 'the file has no [prod] section' }]);
    const unreadable = await failure(fromProfile({ file: dir }));
    expect(unreadable.tried).toEqual([
      { provider: `profile default (${dir})`, reason: 'cannot read the file (EISDIR)' },
    ]);
    expect((unreadable.cause as NodeJS.ErrnoException).code).toBe('EISDIR');
    const notDir = await failure(fromProfile({ file: join(file, 'below') }));
    expect(notDir.tried).toEqual([{ provider: `profile default (${join(file, 'below')})`, reason: 'file not found' }]);
  });

  it('treats an empty token as none, and keeps any other token as written', async () => {
    const dir = homeWith(
      '[default]\nsecret_id = AKID\nsecret_key = k\ntoken =\n[bad]\nsecret_id = AKID\nsecret_key = k\ntoken = "\n',
    );
    const creds = await fromProfile({ env: { HOME: dir } })();
    expect(creds.token).toBeUndefined();
    const ok = await fromProfile({ env: { HOME: dir }, profile: 'bad' })();
    expect(ok.token).toBe('"');
  });

  it('configuredRegion: a profile region is trimmed and checked, an empty one is none', async () => {
    const dir = homeWith('[default]\nregion =\n[p]\nregion = ap-beijing\n');
    expect(await configuredRegion({ env: { HOME: dir } })).toBeUndefined();
    expect(await configuredRegion({ env: { HOME: dir, TENCENTCLOUD_PROFILE: 'p' } })).toEqual({
      region: 'ap-beijing',
      source: `[p] region (${join(dir, '.tencentcloud', 'credentials')})`,
    });
  });
});

describe('regions', () => {
  it.each([' ap-guangzhou ', 'ap-guangzhou', 'na-siliconvalley', 'ap-shanghai-fsi'])('accepts %j', (value) => {
    expect(regionFromEnv({ TENCENTCLOUD_REGION: value })).toEqual({
      region: value.trim(),
      source: 'TENCENTCLOUD_REGION',
    });
  });

  it.each(['guangzhou', 'ap-', 'Xap-guangzhou', 'ap-guangzhou!', '1ap-x'])(
    'refuses %j naming the variable',
    (value) => {
      const err = thrown(() => regionFromEnv({ TENCENTCLOUD_REGION: value }));
      expect(isUsageError(err)).toBe(true);
      expect(err.message).toContain(
        `must be a region such as "ap-guangzhou", got ${JSON.stringify(value)} from TENCENTCLOUD_REGION`,
      );
      expect((err as unknown as { argument: string }).argument).toBe('region');
    },
  );

  it('reads no region from an environment without the variable', () => {
    expect(regionFromEnv({})).toBeUndefined();
    expect(regionFromEnv(undefined)).toBeUndefined();
  });
});

describe('a runtime without a process environment (browsers, Workers)', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('fromEnv says so, and regionFromEnv reads nothing', async () => {
    vi.stubGlobal('process', undefined);
    const pending = fromEnv()();
    const region = regionFromEnv();
    vi.unstubAllGlobals();
    expect(region).toBeUndefined();
    const err = await failure(() => pending);
    expect(err.message).toContain('No credentials from the environment: this runtime has no process environment');
  });
});

describe('chains', () => {
  it('names a provider without a name by its place, and keeps what a CredentialsError tried', async () => {
    const err = await failure(
      chain(
        () => Promise.reject(new Error('first broke')),
        () => Promise.reject('second broke'),
        () => Promise.reject(new CredentialsError({ detail: 'x', tried: [] })),
        () => Promise.reject(new CredentialsError({ detail: 'y', tried: [{ provider: 'inner', reason: 'why' }] })),
      ),
    );
    expect(err.message).toContain('No Tencent Cloud credentials found. Tried, in order:');
    expect(err.tried).toEqual([
      { provider: 'provider #1', reason: 'first broke' },
      { provider: 'provider #2', reason: 'second broke' },
      { provider: 'provider #3', reason: expect.stringContaining('x') },
      { provider: 'inner', reason: 'why' },
    ]);
  });

  it('stops at an aborted request before asking the next provider', async () => {
    const controller = new AbortController();
    const second = vi.fn(() => Promise.resolve(makeCredentials({ secretId: 'A', secretKey: 'k' })));
    const first = () => {
      controller.abort(new Error('caller gave up'));
      return Promise.reject(new Error('no'));
    };
    await expect(chain(first, second)({ signal: controller.signal })).rejects.toThrow('caller gave up');
    expect(second).not.toHaveBeenCalled();
  });

  it('defaultCredentials: environment, then profile, then the metadata service, unless turned off', async () => {
    const env = { HOME: mkdtempSync(join(tmpdir(), 'x-empty-home-')) };
    const urls: string[] = [];
    const fetch = ((url: string) => {
      urls.push(url);
      return Promise.reject(new Error('offline'));
    }) as unknown as typeof globalThis.fetch;
    const all = await failure(
      defaultCredentials({ env, instanceMetadata: { baseUrl: 'http://127.0.0.1:9/md/', fetch } }),
    );
    expect(all.tried.map((t) => t.provider)).toEqual([
      'env',
      `profile default (${join(env.HOME, '.tencentcloud', 'credentials')})`,
      'profile default (/etc/tencentcloud/credentials)',
      'instance-metadata',
    ]);
    expect(urls).toEqual(['http://127.0.0.1:9/md/cam/security-credentials/']);
    const two = await failure(defaultCredentials({ env, instanceMetadata: false }));
    expect(two.tried.map((t) => t.provider)).not.toContain('instance-metadata');
    const fromFile = homeWith('[prod]\nsecret_id = AKIDPROFILE\nsecret_key = k\n');
    const creds = await defaultCredentials({
      env: { HOME: fromFile },
      profile: { profile: 'prod' },
      instanceMetadata: false,
    })();
    expect(creds.secretId).toBe('AKIDPROFILE');
    const envCreds = await defaultCredentials({
      env: { TENCENTCLOUD_SECRET_ID: 'AKIDENV', TENCENTCLOUD_SECRET_KEY: 'k' },
      instanceMetadata: false,
    })();
    expect(envCreds.secretId).toBe('AKIDENV');
  });
});

describe('credentials objects', () => {
  it('shows secretId and expiresAt, hides the key and token, and says which are set', () => {
    const temp = makeCredentials({ secretId: 'AKID', secretKey: 'k', token: 't', expiresAt: 5 });
    expect(Object.keys(temp)).toEqual(['secretId', 'expiresAt']);
    expect(JSON.parse(JSON.stringify(temp))).toEqual({
      secretId: 'AKID',
      secretKey: '[REDACTED]',
      token: '[REDACTED]',
      expiresAt: 5,
    });
    expect(inspect(temp)).toBe(
      'Credentials {"secretId":"AKID","secretKey":"[REDACTED]","token":"[REDACTED]","expiresAt":5}',
    );
    const plain = makeCredentials({ secretId: 'AKID', secretKey: 'k' });
    expect(Object.keys(plain)).toEqual(['secretId']);
    expect(JSON.parse(JSON.stringify(plain))).toEqual({ secretId: 'AKID', secretKey: '[REDACTED]' });
    expect(Object.isFrozen(plain)).toBe(true);
    expect(Object.getOwnPropertySymbols({ ...temp })).toEqual([]);
  });

  it('refuses what is not an object, a null field and a non-finite expiry, saying which', () => {
    for (const input of [null, 'AKID:key', 3]) {
      const err = thrown(() => makeCredentials(input as never));
      expect(isUsageError(err)).toBe(true);
      expect(err.message).toContain('must be an object { secretId, secretKey, token? } or a provider function');
      expect((err as unknown as { argument: string }).argument).toBe('credentials');
    }
    const nullKey = thrown(() => makeCredentials({ secretId: 'AKID', secretKey: null as never }));
    expect(nullKey.message).toContain('secretKey: must be a string, got null');
    const never = thrown(() => makeCredentials({ secretId: 'AKID', secretKey: 'k', expiresAt: Number.NaN }));
    expect(never.message).toContain('expiresAt: must be a finite number of milliseconds since the epoch');
  });

  it('fromEnv names the variable of an invalid value', async () => {
    const env = { TENCENTCLOUD_SECRET_ID: 'AKID', TENCENTCLOUD_SECRET_KEY: 'k ', TENCENTCLOUD_SESSION_TOKEN: '' };
    const err = await failure(fromEnv({ env }));
    expect(err.message).toContain('No credentials from the environment: TENCENTCLOUD_SECRET_KEY: has white space');
  });
});
