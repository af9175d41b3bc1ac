// A hostile raw-TCP HTTP/1.1 server: it reads requests (Content-Length bodies), answers the
// follow-up request (`/follow`) correctly on any connection, and answers the case request
// (`/case`) with whatever bytes and socket behaviour the case scripts.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export const FOLLOW_BODY = '{"follow":true}';
const FOLLOW_ANSWER = `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${FOLLOW_BODY.length}\r\n\r\n${FOLLOW_BODY}`;

/** What the server does with the case request, or on accepting the first connection. */
export interface Script {
  /** Bytes (Latin-1 text or raw) written as the answer to the case request, or a function that writes them. */
  readonly answer?: string | Buffer | ((socket: Socket) => void);
  /** After the answer: keep the socket open (default), end it (FIN), or reset it (RST). */
  readonly then?: 'keep' | 'end' | 'reset';
  /** Runs when the first connection is accepted (that connection then ignores requests). */
  readonly onAccept?: (socket: Socket) => void;
}

export interface HostileServer {
  readonly origin: string;
  readonly connections: () => number;
  close(): void;
}

/** Writes `total` bytes of `piece` repetitions, honouring backpressure, until done or the socket closes. */
export function pump(socket: Socket, piece: Buffer, total: number, end?: string): void {
  let sent = 0;
  const write = () => {
    while (sent < total && !socket.destroyed) {
      sent += piece.length;
      if (!socket.write(piece)) return void socket.once('drain', write);
    }
    if (end !== undefined && !socket.destroyed) socket.write(end);
  };
  write();
}

export async function hostileServer(script: Script): Promise<HostileServer> {
  let connections = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const connection = ++connections;
    // The accept script answers the case on the first connection: its case request is then ignored.
    const scriptedAccept = connection === 1 && script.onAccept !== undefined;
    if (scriptedAccept) script.onAccept!(socket);
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buffer.toString('latin1', 0, end);
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffer.length < end + 4 + length) return;
        buffer = buffer.subarray(end + 4 + length);
        const path = head.split(' ')[1];
        if (socket.destroyed || socket.writableEnded) return;
        if (path === '/case' && scriptedAccept) continue;
        if (path !== '/case') {
          socket.write(FOLLOW_ANSWER);
          continue;
        }
        const { answer } = script;
        if (typeof answer === 'function') answer(socket);
        else if (answer !== undefined)
          socket.write(typeof answer === 'string' ? Buffer.from(answer, 'latin1') : answer);
        if (script.then === 'end') socket.end();
        else if (script.then === 'reset') socket.resetAndDestroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    close() {
      server.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}
