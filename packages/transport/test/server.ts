// A test-only API 3.0 server on 127.0.0.1 (transport cannot depend on @x/emulator, which sits
// above it). It verifies TC3 signatures with this package's signer and answers as each test says.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TencentCloudError } from '@x/errors';
import { signTc3 } from '../src/sign.node';

export const SECRET_ID = 'AKIDTESTTRANSPORT0000000000000000';
export const SECRET_KEY = 'test-transport-secret-key-000000';

export interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  readonly signatureValid: boolean;
}

export type Behaviour = (req: Received, res: ServerResponse, n: number) => void | Promise<void>;

export interface TestServer {
  readonly url: string;
  readonly received: Received[];
  /** How to answer the next requests; the default answers a success envelope. */
  behave(behaviour: Behaviour): void;
  connections(): number;
  close(): Promise<void>;
}

export const envelope = (
  res: ServerResponse,
  response: Record<string, unknown>,
  headers: Record<string, string> = {},
) => {
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ Response: response }));
};

export const success: Behaviour = (req, res, n) =>
  envelope(res, { Echo: req.headers['x-tc-action'], N: n, RequestId: `req-${n}` });

async function verify(req: IncomingMessage, body: string): Promise<boolean> {
  const auth = req.headers.authorization ?? '';
  const m =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d{2}-\d{2})\/([^/]+)\/tc3_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m || m[1] !== SECRET_ID) return false;
  const signed = m[4]!.split(';');
  const extra: Record<string, string> = {};
  for (const name of signed)
    if (name !== 'content-type' && name !== 'host') extra[name] = String(req.headers[name] ?? '');
  const url = new URL(req.url ?? '/', 'http://x');
  const result = await signTc3({
    method: req.method as 'GET' | 'POST',
    host: req.headers.host ?? '',
    query: url.search.slice(1),
    contentType: req.headers['content-type'] ?? '',
    payload: body,
    headers: extra,
    service: m[3]!,
    timestamp: Number(req.headers['x-tc-timestamp']),
    secretId: SECRET_ID,
    secretKey: SECRET_KEY,
    unsignedPayload: req.headers['x-tc-content-sha256'] === 'UNSIGNED-PAYLOAD',
  });
  return result.signature === m[5];
}

export async function startServer(): Promise<TestServer> {
  const received: Received[] = [];
  let behaviour: Behaviour = success;
  let connections = 0;
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const entry = {
      method: req.method ?? '',
      url: req.url ?? '',
      headers: req.headers,
      body,
      signatureValid: await verify(req, body),
    };
    received.push(entry);
    try {
      await behaviour(entry, res, received.length);
    } catch {
      res.destroy();
    }
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    behave(next) {
      behaviour = next;
    },
    connections: () => connections,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** The error a promise rejects with (typed as an @x error); fails the test when it resolves. */
export async function caught(promise: Promise<unknown>): Promise<TencentCloudError> {
  try {
    await promise;
  } catch (err) {
    return err as TencentCloudError;
  }
  throw new Error('expected an error');
}
