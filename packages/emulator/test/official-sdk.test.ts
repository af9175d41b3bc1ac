import { createRequire } from 'node:module';
import { Agent } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../src/index';

// The official Node SDK (tencentcloud-sdk-nodejs-common) against the emulator: proof that the
// emulator speaks the real protocol, not just ours. The SDK derives the signing service from the
// endpoint's host, so it is given the real host name, and an agent whose sockets all go to the
// emulator on 127.0.0.1 (no DNS, no network).
const require = createRequire(import.meta.url);
const { CommonClient } = require('tencentcloud-sdk-nodejs-common') as {
  CommonClient: new (endpoint: string, version: string, config: Record<string, unknown>) => {
    request(action: string, params: Record<string, unknown>): Promise<Record<string, unknown>>;
  };
};

let emulator: Emulator;
let agent: Agent;
beforeAll(async () => {
  emulator = await startEmulator();
  agent = new Agent({ keepAlive: true });
  (agent as unknown as { createConnection: () => unknown }).createConnection = () => connect(emulator.port, '127.0.0.1');
});
afterAll(async () => {
  agent.destroy();
  await emulator.close();
});

const officialClient = (secretKey: string) =>
  new CommonClient('cvm.tencentcloudapi.com', '2017-03-12', {
    credential: { secretId: emulator.credentials.secretId, secretKey },
    region: 'ap-guangzhou',
    profile: { httpProfile: { protocol: 'http://', agent, reqTimeout: 10 } },
  });

describe('the official Node SDK', () => {
  it('calls the emulator and gets the fixture data', async () => {
    const result = await officialClient(emulator.credentials.secretKey).request('DescribeInstances', { Limit: 3, Filters: [{ Name: 'zone', Values: ['ap-guangzhou-3'] }] });
    expect(result['TotalCount']).toBe(17);
    expect(result['InstanceSet']).toHaveLength(3);
    expect(emulator.requests.at(-1)).toMatchObject({ signatureMethod: 'TC3-HMAC-SHA256', service: 'cvm', action: 'DescribeInstances' });
  });

  it('gets AuthFailure.SignatureFailure with a wrong key', async () => {
    const err = (await officialClient('not-the-right-key').request('DescribeInstances', {}).catch((e: unknown) => e)) as { code?: string; requestId?: string };
    expect(err.code).toBe('AuthFailure.SignatureFailure');
    expect(err.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
