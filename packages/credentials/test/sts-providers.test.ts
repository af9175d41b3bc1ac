// fromAssumeRole and fromWebIdentity against a local STS on 127.0.0.1 that records what it is sent:
// the actions, parameters and defaults on the wire, how the call is signed (or not), how an answer
// becomes credentials, and what each failure says.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isApiError } from '@x/errors';
import { fromAssumeRole, fromWebIdentity } from '../src/index.node';
import { fromWebIdentity as universalFromWebIdentity } from '../src/index';
import { failure } from './provider-failure';

interface Seen {
  readonly headers: IncomingHttpHeaders;
  readonly params: Record<string, unknown>;
}

const ROLE = 'qcs::cam::uin/100000000001:roleName/deployer';
const source = { secretId: 'AKIDSOURCE', secretKey: 'source-key' };
const good = {
  Credentials: { TmpSecretId: 'AKIDTMP', TmpSecretKey: 'tmp-key', Token: 'tmp-token' },
  ExpiredTime: 2_000_000_000,
  RequestId: 'req-sts',
};

let server: Server;
let endpoint: string;
let seen: Seen[] = [];
/** What the STS answers next, in order; the last one repeats. `hang` never answers. */
let answers: Array<Record<string, unknown> | 'hang'> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      seen.push({ headers: req.headers, params: JSON.parse(text) as Record<string, unknown> });
      const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
      if (answer === 'hang') return;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Response: answer }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  seen = [];
  answers = [];
  vi.unstubAllEnvs();
  server.closeAllConnections();
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

describe('fromAssumeRole', () => {
  it('sends AssumeRole signed with the source, with the STS defaults, and returns the temporary keys', async () => {
    answers = [good];
    const creds = await fromAssumeRole({ roleArn: ROLE, source, endpoint })();
    expect(creds).toMatchObject({ secretId: 'AKIDTMP', secretKey: 'tmp-key', token: 'tmp-token' });
    expect(creds.expiresAt).toBe(2_000_000_000_000);
    expect(seen).toHaveLength(1);
    const [{ headers, params }] = seen as [Seen];
    expect(headers['x-tc-action']).toBe('AssumeRole');
    expect(headers['x-tc-version']).toBe('2018-08-13');
    expect(headers['x-tc-region']).toBe('ap-guangzhou');
    expect(headers['authorization']).toMatch(
      /^TC3-HMAC-SHA256 Credential=AKIDSOURCE\/\d{4}-\d\d-\d\d\/sts\/tc3_request/,
    );
    expect(params).toEqual({ RoleArn: ROLE, RoleSessionName: 'x-credentials', DurationSeconds: 7200 });
  });

  it('sends the region, session name, duration, policy and external id it is given', async () => {
    answers = [good];
    const options = { roleArn: ROLE, source, endpoint, region: 'ap-shanghai', roleSessionName: 'ci' };
    const policy = '{"version":"2.0","statement":[]}';
    await fromAssumeRole({ ...options, durationSeconds: 900, policy, externalId: 'ext-1' })();
    const [{ headers, params }] = seen as [Seen];
    expect(headers['x-tc-region']).toBe('ap-shanghai');
    expect(params).toEqual({
      RoleArn: ROLE,
      RoleSessionName: 'ci',
      DurationSeconds: 900,
      Policy: policy,
      ExternalId: 'ext-1',
    });
  });

  it('turns an STS error into a CredentialsError naming the role, with the ApiError as cause', async () => {
    answers = [{ Error: { Code: 'InvalidParameter.RoleNotExist', Message: 'role not exist' }, RequestId: 'req-err' }];
    const err = await failure(fromAssumeRole({ roleArn: ROLE, source, endpoint }));
    expect(err.message).toContain(`assume-role(${ROLE}) failed: `);
    expect(err.message).toContain('role not exist');
    expect(err.tried).toEqual([
      { provider: `assume-role(${ROLE})`, reason: expect.stringContaining('role not exist') },
    ]);
    expect(isApiError(err.cause) && err.cause.requestId).toBe('req-err');
    expect(err.tried[0]!.reason).toBe((err.cause as Error).message);
  });

  it.each([
    ['no Credentials', { ExpiredTime: 1 }],
    ['no TmpSecretId', { ...good, Credentials: { TmpSecretKey: 'k', Token: 't' } }],
    ['no TmpSecretKey', { ...good, Credentials: { TmpSecretId: 'AKID', Token: 't' } }],
    ['no Token', { ...good, Credentials: { TmpSecretId: 'AKID', TmpSecretKey: 'k' } }],
    ['an ExpiredTime that is text', { ...good, ExpiredTime: '2000000000' }],
  ])('refuses an answer with %s, saying what was missing', async (_label, answer) => {
    answers = [{ ...answer, RequestId: 'r' }];
    const err = await failure(fromAssumeRole({ roleArn: ROLE, source, endpoint }));
    expect(err.message).toContain(
      `assume-role(${ROLE}): STS answered without Credentials.TmpSecretId/TmpSecretKey/Token and ExpiredTime`,
    );
    expect(err.tried).toEqual([{ provider: `assume-role(${ROLE})`, reason: 'incomplete STS answer' }]);
  });

  it('repeats the call after an attempt timeout (it changes nothing, so it is safe)', async () => {
    answers = ['hang', good];
    const creds = await fromAssumeRole({ roleArn: ROLE, source, endpoint, timeoutMs: 300 })();
    expect(creds.secretId).toBe('AKIDTMP');
    expect(seen.length).toBe(2);
  });
});

describe('fromWebIdentity', () => {
  const tke = { TKE_ROLE_ARN: ROLE, TKE_PROVIDER_ID: 'oidc-1', TKE_REGION: 'ap-beijing' };

  it('sends AssumeRoleWithWebIdentity unsigned, with the TKE_* variables and the defaults', async () => {
    answers = [good];
    const creds = await fromWebIdentity({ env: tke, webIdentityToken: 'oidc-token', endpoint })();
    expect(creds).toMatchObject({ secretId: 'AKIDTMP', token: 'tmp-token', expiresAt: 2_000_000_000_000 });
    const [{ headers, params }] = seen as [Seen];
    expect(headers['x-tc-action']).toBe('AssumeRoleWithWebIdentity');
    expect(headers['x-tc-region']).toBe('ap-beijing');
    expect(headers['authorization'] ?? '').not.toMatch(/TC3-HMAC-SHA256/);
    expect(params).toEqual({
      ProviderId: 'oidc-1',
      WebIdentityToken: 'oidc-token',
      RoleArn: ROLE,
      RoleSessionName: 'x-credentials-web-identity',
      DurationSeconds: 7200,
    });
  });

  it('prefers its options to the variables, and reads a token function', async () => {
    answers = [good];
    const options = { roleArn: 'qcs::cam::uin/1:roleName/other', providerId: 'oidc-2', region: 'ap-chengdu' };
    const provider = fromWebIdentity({
      ...options,
      env: tke,
      roleSessionName: 'pod-a',
      durationSeconds: 1800,
      webIdentityToken: () => Promise.resolve('fresh-token'),
      endpoint,
    });
    await provider();
    const [{ headers, params }] = seen as [Seen];
    expect(headers['x-tc-region']).toBe('ap-chengdu');
    expect(params).toEqual({
      ProviderId: 'oidc-2',
      WebIdentityToken: 'fresh-token',
      RoleArn: 'qcs::cam::uin/1:roleName/other',
      RoleSessionName: 'pod-a',
      DurationSeconds: 1800,
    });
  });

  it('defaults to ap-guangzhou and reads process.env when no env is given', async () => {
    answers = [good];
    vi.stubEnv('TKE_ROLE_ARN', ROLE);
    vi.stubEnv('TKE_PROVIDER_ID', 'oidc-env');
    vi.stubEnv('TKE_REGION', undefined);
    await fromWebIdentity({ webIdentityToken: 't', endpoint })();
    const [{ headers, params }] = seen as [Seen];
    expect(headers['x-tc-region']).toBe('ap-guangzhou');
    expect(params).toMatchObject({ ProviderId: 'oidc-env', RoleArn: ROLE });
  });

  it('reads and trims the token file named by TKE_WEB_IDENTITY_TOKEN_FILE (Node build)', async () => {
    answers = [good];
    const file = join(mkdtempSync(join(tmpdir(), 'x-oidc-')), 'token');
    writeFileSync(file, '  file-token\n');
    await fromWebIdentity({ env: { ...tke, TKE_WEB_IDENTITY_TOKEN_FILE: file }, endpoint })();
    expect(seen[0]!.params['WebIdentityToken']).toBe('file-token');
    seen = [];
    await fromWebIdentity({ env: tke, tokenFile: file, endpoint })();
    expect(seen[0]!.params['WebIdentityToken']).toBe('file-token');
  });

  it.each([
    ['no role', { TKE_PROVIDER_ID: 'p' }, {}, 'TKE_ROLE_ARN is not set and no roleArn was given'],
    ['no provider id', { TKE_ROLE_ARN: ROLE }, {}, 'TKE_PROVIDER_ID is not set and no providerId was given'],
    ['no token', tke, {}, 'TKE_WEB_IDENTITY_TOKEN_FILE is not set and no webIdentityToken was given'],
    ['an empty token', tke, { webIdentityToken: '' }, 'the web identity token is empty'],
    ['an empty token file', tke, { webIdentityToken: () => Promise.resolve('') }, 'the web identity token is empty'],
  ])('fails without calling STS when there is %s, saying so', async (_label, env, extra, reason) => {
    const err = await failure(fromWebIdentity({ env, endpoint, ...extra }));
    expect(err.message).toContain(`No credentials from web identity: ${reason}`);
    expect(err.tried).toEqual([{ provider: 'web-identity', reason }]);
    expect(seen).toHaveLength(0);
  });

  it('names a token file it cannot read, keeping the cause', async () => {
    const missing = join(tmpdir(), 'x-oidc-missing', 'token');
    const err = await failure(fromWebIdentity({ env: tke, tokenFile: missing, endpoint }));
    expect(err.message).toContain(`No credentials from web identity: cannot read ${missing}`);
    expect(err.tried).toEqual([{ provider: 'web-identity', reason: `cannot read ${missing}` }]);
    expect((err.cause as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('in the universal build, asks for the token instead of reading a file', async () => {
    const err = await failure(universalFromWebIdentity({ env: tke, tokenFile: '/var/run/token', endpoint }));
    expect(err.message).toContain('reading the token file needs Node.js; pass webIdentityToken instead');
    answers = [good];
    const creds = await universalFromWebIdentity({ env: tke, webIdentityToken: 'tok', endpoint })();
    expect(creds.secretId).toBe('AKIDTMP');
  });

  it('names itself when STS refuses the token', async () => {
    answers = [{ Error: { Code: 'AuthFailure.TokenFailure', Message: 'token expired' }, RequestId: 'req-w' }];
    const err = await failure(fromWebIdentity({ env: tke, webIdentityToken: 'old', endpoint }));
    expect(err.message).toContain('web-identity failed: ');
    expect(err.message).toContain('token expired');
    expect(isApiError(err.cause) && err.cause.requestId).toBe('req-w');
  });
});
