// A raw TCP server for the HTTP/1.1 client's wire tests: it parses requests (Content-Length
// bodies) and lets each test write exactly the bytes it wants back.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { readBody } from '@x/envelope';
import { nodeSender, type ClosableSender } from '../src/index.node';

export interface RawRequest {
  readonly head: string;
  readonly body: string;
  /** 1-based number of the request on its connection. */
  readonly onConnection: number;
  readonly connection: number;
}

export type Answer = (socket: Socket, request: RawRequest) => void;

/** A TCP server that reads HTTP/1.1 requests (Content-Length bodies) and lets `answer` write raw bytes. */
export async function rawServer(
  answer: Answer,
): Promise<{ url: string; connections: () => number; requests: RawRequest[]; server: Server; sockets: Set<Socket> }> {
  let connections = 0;
  const requests: RawRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const connection = ++connections;
    let onConnection = 0;
    let buffer = Buffer.alloc(0);
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.toString('latin1', 0, end);
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buffer.length < end + 4 + length) return;
        const request = {
          head,
          body: buffer.toString('utf8', end + 4, end + 4 + length),
          onConnection: ++onConnection,
          connection,
        };
        buffer = buffer.subarray(end + 4 + length);
        requests.push(request);
        answer(socket, request);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    requests,
    server,
    sockets,
  };
}

export const json = (text: string, extra = '') =>
  `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n${extra}\r\n${text}`;

/** A signal nobody aborts. */
export const never = (): AbortSignal => new AbortController().signal;

/** The error a promise rejects with, or `{ value }` when it resolves. */
export const caught = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => error,
  );

/** Servers, senders and sockets to close after each test: call `runCleanups` from `afterEach`. */
export const cleanups: Array<() => void> = [];
export function runCleanups(): void {
  for (const cleanup of cleanups.splice(0)) cleanup();
}

export async function setup(answer: Answer, options: Parameters<typeof nodeSender>[0] = {}) {
  const server = await rawServer(answer);
  const sender = nodeSender({ env: {}, ...options });
  cleanups.push(() => {
    sender.close();
    server.server.close();
    for (const socket of server.sockets) socket.destroy();
  });
  return { ...server, sender };
}

export async function text(
  sender: ClosableSender,
  url: string,
  init: { body?: string; signal?: AbortSignal; method?: 'GET' | 'POST'; headers?: Record<string, string> } = {},
) {
  const response = await sender({
    method: init.method ?? 'POST',
    url: `${url}/`,
    headers: init.headers ?? { 'Content-Type': 'application/json' },
    body: init.body ?? '{}',
    signal: init.signal ?? new AbortController().signal,
  });
  return {
    status: response.status,
    headers: response.headers,
    text: new TextDecoder().decode(await readBody(response)),
  };
}

/** Writes `data` one piece at a time with a pause between, so each piece arrives as its own read. */
export async function trickle(socket: Socket, pieces: string[]) {
  for (const piece of pieces) {
    socket.write(piece);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
