import { afterAll, afterEach, beforeAll } from 'vitest';
import { createTransport, nodeSender, type Transport, type TransportOptions } from '../src/index.node';
import { SECRET_ID, SECRET_KEY, startServer, success, type TestServer } from './server';

/** The test server's own key pair, as plain credentials. */
export const credentials = { secretId: SECRET_ID, secretKey: SECRET_KEY };

export interface ServerHarness {
  /** The file's loopback API 3.0 server (started in beforeAll). */
  readonly server: TestServer;
  /** One Node sender for the file, closed with the server. */
  readonly sender: ReturnType<typeof nodeSender>;
  /** A cvm transport pointed at the server that never sleeps between attempts; `extra` wins. */
  transport(extra?: Partial<TransportOptions>): Transport;
}

/**
 * One server and one Node sender for a test file: started before its tests, closed after them,
 * and after each test the server answers `success` again with its request log emptied.
 * `defaults` change the transports every test of the file makes.
 */
export function useServer(defaults: Partial<TransportOptions> = {}): ServerHarness {
  let live: TestServer | undefined;
  const sender = nodeSender();
  const server = (): TestServer => {
    if (!live) throw new Error('the test server starts in beforeAll: use it inside a test');
    return live;
  };
  beforeAll(async () => {
    live = await startServer();
  });
  afterAll(async () => {
    sender.close();
    await live?.close();
  });
  afterEach(() => {
    server().behave(success);
    server().received.length = 0;
  });
  return {
    get server() {
      return server();
    },
    sender,
    transport: (extra = {}) =>
      createTransport({
        service: 'cvm',
        version: '2017-03-12',
        region: 'ap-guangzhou',
        endpoint: server().url,
        credentials,
        sender,
        sleep: () => Promise.resolve(),
        ...defaults,
        ...extra,
      }),
  };
}
