import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequestHandler } from './handle';
import { validateOptions, type Emulator, type EmulatorOptions } from './options';
import { createGateway } from './setup';

export {
  DEFAULT_SECRET_ID,
  DEFAULT_SECRET_KEY,
  type Emulator,
  type EmulatorCredentials,
  type EmulatorOptions,
} from './options';

/**
 * Starts a local Tencent Cloud API 3.0 endpoint on the loopback interface. It verifies TC3 and v1
 * signatures like the real gateway, answers the real envelope format (HTTP 200 for API errors),
 * validates params against each action's schema, serves built-in fixtures for cvm, sts and
 * hunyuan and a synthesized answer for every other action of @x/services, records requests and
 * injects faults.
 *
 * @example
 * const emulator = await startEmulator();
 * // createClient({ service: 'cvm', version: '2017-03-12', region: 'ap-guangzhou',
 * //   endpoint: emulator.url, credentials: emulator.credentials })
 * await emulator.close();
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  validateOptions(options);
  const host = options.host ?? '127.0.0.1';
  const { gateway, credentials } = createGateway(options);
  const handle = createRequestHandler(gateway);
  // Node's default header limit (16 KB) would cut a long GET before the gateway's 32 KB rule could answer it.
  const server: Server = createServer({ maxHeaderSize: 64 * 1024 }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    port,
    credentials,
    requests: gateway.requests,
    faults: gateway.faults,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
