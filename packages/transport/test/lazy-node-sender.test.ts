import { afterEach, describe, expect, it, vi } from 'vitest';
import { isNetworkError, isUsageError } from '@x/errors';
import type * as Http1Sender from '../src/http1/sender';
import { json, rawServer, runCleanups, cleanups } from './raw-server';

// nodeSender loads its HTTP/1.1 client (http1/sender.ts) by import() at the first request, so an
// import of the package does not compile it. The module is replaced here to see when it loads.
afterEach(() => {
  runCleanups();
  vi.doUnmock('../src/http1/sender');
  vi.resetModules();
});

/** nodeSender from a fresh module graph whose http1/sender fails to load `failures` times first. */
async function senderModule(failures: number) {
  vi.resetModules();
  const loads = { attempts: 0, opened: 0 };
  vi.doMock('../src/http1/sender', async (importOriginal) => {
    loads.attempts++;
    if (loads.attempts <= failures) throw new Error('the chunk could not be read');
    const real = await importOriginal<typeof Http1Sender>();
    return {
      ...real,
      openSender: (...args: Parameters<typeof real.openSender>) => {
        loads.opened++;
        return real.openSender(...args);
      },
    };
  });
  const { nodeSender } = await import('../src/node-sender');
  return { nodeSender, loads };
}

async function answering() {
  const server = await rawServer((socket) => socket.write(json('{"Response":{"RequestId":"r"}}')));
  cleanups.push(() => {
    server.server.close();
    for (const socket of server.sockets) socket.destroy();
  });
  return server.url;
}

/** A sender made from a fresh module graph (see senderModule), closed after the test, and a server answering it. */
async function started(failures = 0) {
  const { nodeSender, loads } = await senderModule(failures);
  const sender = nodeSender({ env: {} });
  cleanups.push(() => sender.close());
  return { sender, loads, url: await answering() };
}

const post = (url: string) => ({
  method: 'POST' as const,
  url: `${url}/`,
  headers: { 'Content-Type': 'application/json' },
  body: '{}',
  signal: new AbortController().signal,
});

describe('the Node sender loads its HTTP/1.1 client at its first request', () => {
  it('not when it is made (options are still checked at once), then once for every request', async () => {
    const { nodeSender, loads } = await senderModule(0);
    expect(() => nodeSender({ env: {}, maxSockets: 0 })).toThrow(/maxSockets/);
    const sender = nodeSender({ env: {} });
    cleanups.push(() => sender.close());
    expect(loads).toEqual({ attempts: 0, opened: 0 });
    const url = await answering();
    const answers = await Promise.all([sender(post(url)), sender(post(url))]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect((await sender(post(url))).status).toBe(200);
    expect(loads).toEqual({ attempts: 1, opened: 1 });
  });

  it('a load that fails fails the requests waiting for it; the next request loads it again', async () => {
    const { sender, loads, url } = await started(1);
    // vitest wraps a mock factory's error in its own; a real failed import rejects the same way.
    await expect(sender(post(url))).rejects.toBeInstanceOf(Error);
    expect((await sender(post(url))).status).toBe(200);
    expect(loads).toEqual({ attempts: 2, opened: 1 });
  });

  it('close() before the first request closes nothing and later requests still work', async () => {
    const { sender, loads, url } = await started();
    sender.close();
    expect(loads.attempts).toBe(0);
    expect((await sender(post(url))).status).toBe(200);
  });

  it('close() while the first request waits for the load fails that request, as a pool fails its waiting ones', async () => {
    const { sender, url } = await started();
    const waiting = sender(post(url)).catch((err: unknown) => err);
    const notUrl = sender({ ...post(url), url: 'not a URL' }).catch((err: unknown) => err);
    sender.close();
    const error = await waiting;
    expect(isNetworkError(error)).toBe(true);
    expect(error).toMatchObject({ endpoint: url, mayHaveReachedServer: false });
    expect((error as Error).message).toContain('the sender was closed');
    // Closed first: a URL that is not one is named as it is (sending it would have been a UsageError).
    expect(await notUrl).toMatchObject({ endpoint: 'not a URL', mayHaveReachedServer: false });
    expect((await sender(post(url))).status).toBe(200);
  });

  it('a bad endpoint is a UsageError of the request, after the load', async () => {
    const { sender } = await started();
    const error: unknown = await sender(post('ftp://example.com')).catch((err: unknown) => err);
    expect(isUsageError(error)).toBe(true);
  });
});
