import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isApiError } from '@x/errors';
import { createClient } from '../src/index';

// A 127.0.0.1 stand-in for the API that answers each request with the envelope the test queued.
let server: Server;
let url = '';
const seen: { action: string; body: Record<string, unknown> }[] = [];
let answer: Record<string, unknown> = {};

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void bodyOf(req).then((body) => {
      seen.push({ action: String(req.headers['x-tc-action']), body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Response: answer }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = () =>
  createClient({
    service: 'cvm',
    version: '2017-03-12',
    region: 'ap-guangzhou',
    endpoint: url,
    credentials: { secretId: 'AKIDtest', secretKey: 'test-secret-key' },
    retry: false,
  });

describe('client.dryRun', () => {
  it('resolves would-succeed with the RequestId when the server answers DryRunOperation, after sending DryRun: true', async () => {
    answer = {
      Error: { Code: 'DryRunOperation', Message: 'Request would have succeeded, but DryRun flag is set.' },
      RequestId: 'req-dry',
    };
    seen.length = 0;
    const result = await client().dryRun('RunInstances', { InstanceCount: 2 });
    expect(result).toEqual({ dryRun: 'would-succeed', requestId: 'req-dry' });
    expect(seen).toEqual([{ action: 'RunInstances', body: { InstanceCount: 2, DryRun: true } }]);
  });

  it('resolves not-supported with the data when the action ignores DryRun and simply succeeds', async () => {
    answer = { InstanceIdSet: ['ins-1'], RequestId: 'req-ok' };
    const result = await client().dryRun('RunInstances');
    expect(result).toEqual({
      dryRun: 'not-supported',
      requestId: 'req-ok',
      data: { InstanceIdSet: ['ins-1'], RequestId: 'req-ok' },
    });
  });

  it('throws any other ApiError, with its RequestId', async () => {
    answer = { Error: { Code: 'UnauthorizedOperation', Message: 'no permission' }, RequestId: 'req-denied' };
    const err = await client()
      .dryRun('RunInstances')
      .catch((e: unknown) => e);
    expect(isApiError(err, 'UnauthorizedOperation')).toBe(true);
    expect(err).toMatchObject({ code: 'UnauthorizedOperation', requestId: 'req-denied' });
  });
});
