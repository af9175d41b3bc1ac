// How a connection's answer ends, from a raw server: a head at the size limit exactly, a head
// that never ends, a body cut short by a clean close or by a reset, a reader that stops early,
// and idle connections the sweeper must keep.
import type { Socket } from 'node:net';
import { readBody } from '@x/envelope';
import { isNetworkError, isTimeoutError } from '@x/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_HEAD_BYTES } from '../src/http1/head';
import type { ClosableSender } from '../src/node-sender';
import { caught, cleanups, never, runCleanups, setup, text } from './raw-server';

afterEach(runCleanups);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A GET of `url` that nothing cancels. */
const get = (sender: ClosableSender, url: string) => sender({ method: 'GET', url, headers: {}, signal: never() });

/** A head of exactly `bytes` bytes, CRLF CRLF included, announcing an empty body. */
function headOf(bytes: number): string {
  const start = 'HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Pad: ';
  return `${start}${'a'.repeat(bytes - start.length - 4)}\r\n\r\n`;
}

describe('the head size limit', () => {
  it(`a head of ${MAX_HEAD_BYTES} bytes is read; one byte more is refused`, async () => {
    expect(headOf(MAX_HEAD_BYTES)).toHaveLength(MAX_HEAD_BYTES);
    const { url, sender } = await setup((socket, request) =>
      socket.write(headOf(request.onConnection === 1 ? MAX_HEAD_BYTES : MAX_HEAD_BYTES + 1)),
    );
    expect((await text(sender, url)).status).toBe(200);
    await expect(text(sender, url)).rejects.toThrow(`the response head is larger than ${MAX_HEAD_BYTES} bytes`);
  });

  it('a head that never ends is refused once past the limit, without waiting for its end', async () => {
    // 1 KiB pieces with no blank line: the client must stop at 64 KiB, not keep it all.
    let written = 0;
    const { url, sender } = await setup((socket) => {
      socket.write('HTTP/1.1 200 OK\r\n');
      const timer = setInterval(() => {
        if (socket.destroyed || written > 4 * MAX_HEAD_BYTES) return clearInterval(timer);
        socket.write(`X-Pad: ${'b'.repeat(1016)}\r\n`);
        written += 1024;
      }, 1);
      cleanups.push(() => clearInterval(timer));
    });
    await expect(text(sender, url)).rejects.toThrow(`the response head is larger than ${MAX_HEAD_BYTES} bytes`);
    expect(written).toBeLessThan(4 * MAX_HEAD_BYTES);
  });
});

describe('a body that ends early', () => {
  it('a Content-Length body cut short by a clean close fails the read: no truncated body passes as whole', async () => {
    const { url, sender } = await setup((socket) =>
      socket.end('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{"a"'),
    );
    const response = await get(sender, url);
    const error = await caught(readBody(response));
    expect(isNetworkError(error), String(error)).toBe(true);
  });

  it('a body read to the close that ends with a reset fails the read', async () => {
    const { url, sender } = await setup((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"a":');
      setTimeout(() => (socket as Socket & { resetAndDestroy(): void }).resetAndDestroy(), 30);
    });
    const response = await get(sender, url);
    const error = await caught(readBody(response));
    expect(isNetworkError(error), String(error)).toBe(true);
  });

  it('a body read to the close that ends cleanly is whole', async () => {
    const { url, sender } = await setup((socket) => {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"a":');
      setTimeout(() => socket.end('1}'), 30);
    });
    const response = await get(sender, url);
    expect(new TextDecoder().decode(await readBody(response))).toBe('{"a":1}');
  });

  it('a body read to the close that goes quiet fails with the idle TimeoutError, not as a whole body', async () => {
    const { url, sender } = await setup(
      (socket) => socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"a":'),
      { idleTimeoutMs: 100 },
    );
    const response = await get(sender, url);
    const error = await caught(readBody(response));
    expect(isTimeoutError(error), String(error)).toBe(true);
    expect(error).toMatchObject({ scope: 'attempt', timeoutMs: 100 });
  });

  it('a reader that stops early closes the connection (the rest of the body would be read by the next request)', async () => {
    const closed: boolean[] = [];
    const { url, sender, connections } = await setup((socket) => {
      socket.on('close', () => closed.push(true));
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n');
    });
    const response = await get(sender, url);
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      expect(new TextDecoder().decode(chunk)).toBe('first');
      break;
    }
    for (let i = 0; i < 100 && closed.length === 0; i++) await sleep(10);
    expect(closed).toEqual([true]);
    expect(connections()).toBe(1);
  });
});

describe('the sweeper', () => {
  it('keeps an idle connection younger than keepAliveMs: a sweep passes, the next request reuses it', async () => {
    // keepAliveMs 2000: the sweeper runs every second and must not drop a connection idle for ~1.2 s.
    const { url, sender, connections } = await setup(
      (socket) => socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}`),
      {
        keepAliveMs: 2000,
      },
    );
    await text(sender, url);
    await sleep(1200);
    await text(sender, url);
    expect(connections()).toBe(1);
  });
});
