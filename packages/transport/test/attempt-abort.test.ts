// The attempt's abort without an AbortSignal per call (issue 17: ~7 µs each on Node 20): the
// signal is made only when something reads it, the Node sender and the credentials lookup hear
// of an abort through the attempt's hook, and every abort still ends the call at once.
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isCredentialsError, isTimeoutError, isUsageError } from '@x/errors';
import { BodyQueue } from '../src/http1/body';
import { Attempt } from '../src/deadline';
import {
  type CallHandler,
  type CredentialsRequest,
  type Sender,
  type SendRequest,
  type TransportOptions,
} from '../src/index.node';
import { caught } from './server';
import { credentials, useServer } from './harness';

const harness = useServer();
const { sender, transport } = harness;

/** How many AbortControllers `run` makes (the global is swapped for a counting subclass meanwhile). */
async function controllersMadeBy(run: () => Promise<unknown>): Promise<number> {
  const original = globalThis.AbortController;
  let made = 0;
  globalThis.AbortController = class extends original {
    constructor() {
      super();
      made++;
    }
  };
  try {
    await run();
  } finally {
    globalThis.AbortController = original;
  }
  return made;
}

const limits = (attemptMs = 60_000) => ({
  attemptMs,
  totalMs: 60_000,
  context: { service: 'cvm', version: '2017-03-12', action: 'DescribeInstances', region: 'ap-guangzhou' },
  signal: undefined,
});

describe('Attempt: the signal is made on first read', () => {
  it('an aborted attempt hands out an aborted signal, with the first reason; later aborts change nothing', () => {
    const attempt = new Attempt(limits(), Date.now() + 60_000);
    const first = new Error('first');
    attempt.abort(first);
    attempt.abort(new Error('second'));
    expect(attempt).toMatchObject({ aborted: true, reason: first });
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.signal.reason).toBe(first);
    attempt.end();
  });

  it('a signal read before the abort aborts with it, and the hook hears it too', () => {
    const attempt = new Attempt(limits(), Date.now() + 60_000);
    const { signal } = attempt;
    const heard: unknown[] = [];
    attempt.onAbort((reason) => heard.push(reason));
    const reason = new Error('gone');
    attempt.abort(reason);
    expect(signal.reason).toBe(reason);
    expect(heard).toEqual([reason]);
    attempt.end();
  });

  it('a hook registered after the abort is called at once (a sender called late still stops)', () => {
    const attempt = new Attempt(limits(), Date.now() + 60_000);
    const reason = new Error('late');
    attempt.abort(reason);
    const heard: unknown[] = [];
    attempt.onAbort((r) => heard.push(r));
    expect(heard).toEqual([reason]);
    attempt.end();
  });

  it('the timer aborts with a TimeoutError whether or not the signal was ever read', async () => {
    const attempt = new Attempt(limits(20), Date.now() + 60_000);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(attempt.aborted).toBe(true);
    expect(isTimeoutError(attempt.reason)).toBe(true);
    expect(attempt.signal.reason).toBe(attempt.reason);
    attempt.end();
  });
});

describe('a call through the Node sender makes no AbortSignal', () => {
  it('a successful call makes no AbortController', async () => {
    const t = transport();
    await t.call('DescribeInstances'); // warm: connection open
    expect(await controllersMadeBy(() => t.call('DescribeInstances'))).toBe(0);
  });

  it('a sender without usesOnAbort still gets a signal: one controller, as before', async () => {
    const plain: Sender = (request) => sender({ ...request, onAbort: undefined });
    const t = transport({ sender: plain });
    expect(await controllersMadeBy(() => t.call('DescribeInstances'))).toBe(1);
  });

  it('the Node sender still stops a body that stalls at the attempt timeout (no listener in the reader)', async () => {
    harness.server.behave((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"Response":{');
    });
    const started = Date.now();
    const err = await caught(transport({ timeoutMs: 200, retry: false }).call('RunInstances'));
    expect(isTimeoutError(err) && err.scope).toBe('attempt');
    expect(err).toMatchObject({ mayHaveReachedServer: true, action: 'RunInstances' });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("the caller's abort mid-body rethrows the caller's reason", async () => {
    const controller = new AbortController();
    const reason = new Error('user gave up');
    harness.server.behave((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"Response":{', () => setTimeout(() => controller.abort(reason), 20));
    });
    expect(await caught(transport().call('DescribeInstances', {}, { signal: controller.signal }))).toBe(reason);
  });
});

describe('senders are handed a signal that works', () => {
  it('a sender with usesOnAbort that reads signal gets one that aborts at the attempt timeout', async () => {
    let seen: AbortSignal | undefined;
    const reading: Sender = Object.assign(
      (request: SendRequest) => {
        seen = request.signal;
        return new Promise<never>((_resolve, reject) => request.onAbort?.(reject));
      },
      { usesOnAbort: true },
    );
    const err = await caught(transport({ sender: reading, timeoutMs: 50, retry: false }).call('DescribeInstances'));
    expect(isTimeoutError(err)).toBe(true);
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBe(err);
  });

  it('any other sender gets a plain object: a wrapper that spreads it keeps the signal', async () => {
    let spread: SendRequest | undefined;
    const wrapper: Sender = (request) => {
      spread = { ...request };
      return new Promise<never>((_resolve, reject) =>
        spread!.signal.addEventListener('abort', () => reject(spread!.signal.reason)),
      );
    };
    const err = await caught(transport({ sender: wrapper, timeoutMs: 50, retry: false }).call('DescribeInstances'));
    expect(isTimeoutError(err)).toBe(true);
    expect(spread?.signal).toBeInstanceOf(AbortSignal);
  });

  it('the Node sender told through onAbort before it sends fails at once and sends nothing', async () => {
    const before = harness.server.received.length;
    const reason = new Error('already over');
    const err = await caught(
      sender({
        method: 'POST',
        url: `${harness.server.url}/`,
        headers: {},
        body: '{}',
        signal: new AbortController().signal,
        onAbort: (cancel) => cancel(reason),
      }),
    );
    expect(err).toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(harness.server.received.length).toBe(before);
  });
});

describe('credential providers', () => {
  it('a provider reading request.signal gets the attempt signal (read lazily), aborted at the timeout', async () => {
    let seen: AbortSignal | undefined;
    const provider = ({ signal }: CredentialsRequest = {}) => {
      seen = signal;
      return new Promise<never>(() => undefined);
    };
    await caught(transport({ credentials: provider, timeoutMs: 50, retry: false }).call('DescribeInstances'));
    expect(seen?.aborted).toBe(true);
    expect(isTimeoutError(seen?.reason)).toBe(true);
  });

  it('a provider that throws synchronously gives a CredentialsError naming it', async () => {
    const err = await caught(
      transport({
        credentials: function fromVault(): never {
          throw new Error('vault is sealed');
        },
      }).call('DescribeInstances'),
    );
    expect(isCredentialsError(err)).toBe(true);
    expect(err.message).toMatch(/fromVault.*vault is sealed/);
  });

  it('a provider that returns credentials without a promise still signs', async () => {
    const sync = (() => credentials) as unknown as TransportOptions['credentials'];
    await expect(transport({ credentials: sync }).call('DescribeInstances')).resolves.toMatchObject({
      httpStatus: 200,
    });
  });

  it('a provider that resolves something unusable is a UsageError', async () => {
    const empty = () => Promise.resolve({ secretId: '', secretKey: '' });
    expect(isUsageError(await caught(transport({ credentials: empty }).call('DescribeInstances')))).toBe(true);
  });
});

describe('call() and stream() reject, never throw', () => {
  it('a bad option rejects the promise', async () => {
    let pending: Promise<unknown> | undefined;
    expect(() => (pending = transport().call('DescribeInstances', {}, { timeoutMs: -1 }))).not.toThrow();
    expect(isUsageError(await caught(pending!))).toBe(true);
  });

  it('a middleware that throws synchronously rejects the promise', async () => {
    const broken = (): CallHandler => () => {
      throw new Error('middleware bug');
    };
    let pending: Promise<unknown> | undefined;
    expect(() => (pending = transport({ middleware: [broken] }).stream('ChatCompletions'))).not.toThrow();
    await expect(pending).rejects.toThrow('middleware bug');
  });
});

describe('BodyQueue.fail', () => {
  const socket = { pause() {}, resume() {}, isPaused: () => false } as unknown as Socket;

  it('a broken body hands out what it queued, then the failure', async () => {
    const body = new BodyQueue(socket, () => undefined);
    body.push(new Uint8Array([1]));
    body.fail(new Error('reset'));
    await expect(body.next()).resolves.toMatchObject({ done: false });
    await expect(body.next()).rejects.toThrow('reset');
  });

  it('a cancelled body drops what it queued: the next read fails at once', async () => {
    const body = new BodyQueue(socket, () => undefined);
    body.push(new Uint8Array(1024));
    body.push(new Uint8Array(1024));
    body.fail(new Error('timed out'), true);
    await expect(body.next()).rejects.toThrow('timed out');
  });
});
