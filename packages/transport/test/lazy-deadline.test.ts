import { afterEach, describe, expect, it, vi } from 'vitest';
import { isTimeoutError } from '@x/errors';
import type { ResponseLike } from '@x/envelope';
import type { Sender } from '../src/index.node';
import { Attempt } from '../src/deadline';
import { scriptedOptions } from './m-scripted';

// Parts of the transport load by import() during an attempt (the encoders of unusual params in
// request-parts.ts, the redaction of debug lines in log-line.ts). In a browser that fetch can
// stall for minutes: the attempt's deadline and the caller's abort must still end the call. A
// part is replaced here by a module whose load never settles. (Vitest hands the real module to a
// second import() while the first one waits on the factory, so each test stalls one attempt's
// load; a browser would stall every attempt on the same fetch.)
afterEach(() => {
  vi.doUnmock('../src/request-parts');
  vi.doUnmock('../src/log-line');
  vi.resetModules();
});

async function transportWithStalled(part: '../src/request-parts' | '../src/log-line') {
  vi.resetModules();
  vi.doMock(part, () => new Promise(() => {}));
  const { createTransport } = await import('../src/index.node');
  return createTransport;
}

const utf8 = new TextEncoder();
/** A sender that answers every request with success, counting them. */
function answering() {
  let sent = 0;
  const sender: Sender = () => {
    sent++;
    const response: ResponseLike = {
      status: 200,
      headers: { get: (name) => (name.toLowerCase() === 'content-type' ? 'application/json' : null) },
      body: [utf8.encode('{"Response":{"RequestId":"r-ok"}}')],
    };
    return Promise.resolve(response);
  };
  return { sender, sent: () => sent };
}

// A bigint is no plain JSON param: its encoder (request-parts.ts) loads at the first such call.
const bigintParams = { InstanceId: 1n } as unknown as Record<string, unknown>;

describe('a part of the code that never loads does not hold a call past its deadline', () => {
  it("the attempt's deadline ends it with a TimeoutError that did not reach the server; nothing is sent", async () => {
    const createTransport = await transportWithStalled('../src/request-parts');
    const { sender, sent } = answering();
    const transport = createTransport(scriptedOptions(sender, { timeoutMs: 30, retry: false }));
    const err = await transport.call('RunInstances', bigintParams).catch((e: unknown) => e);
    expect(isTimeoutError(err)).toBe(true);
    expect(err).toMatchObject({ scope: 'attempt', timeoutMs: 30, mayHaveReachedServer: false, attempts: 1 });
    expect(sent()).toBe(0);
  });

  it('the total deadline ends it when it comes first (scope "total")', async () => {
    const createTransport = await transportWithStalled('../src/request-parts');
    const { sender, sent } = answering();
    const transport = createTransport(scriptedOptions(sender, { timeoutMs: 60_000, totalTimeoutMs: 30 }));
    const err = await transport.call('RunInstances', bigintParams).catch((e: unknown) => e);
    expect(isTimeoutError(err)).toBe(true);
    expect(err).toMatchObject({ scope: 'total', timeoutMs: 30, mayHaveReachedServer: false, attempts: 1 });
    expect(sent()).toBe(0);
  });

  it("the caller's abort ends it with the caller's reason", async () => {
    const createTransport = await transportWithStalled('../src/request-parts');
    const { sender, sent } = answering();
    const transport = createTransport(scriptedOptions(sender, { retry: false }));
    const controller = new AbortController();
    const reason = new Error('the user left the page');
    const pending = transport.call('RunInstances', bigintParams, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 10);
    await expect(pending).rejects.toBe(reason);
    expect(sent()).toBe(0);
  });

  it('the redaction of debug lines that never loads: a TimeoutError, no request sent and no line written', async () => {
    const createTransport = await transportWithStalled('../src/log-line');
    const { sender, sent } = answering();
    const lines: string[] = [];
    const transport = createTransport(
      scriptedOptions(sender, { timeoutMs: 30, retry: false, logger: { debug: (line) => lines.push(line) } }),
    );
    const err = await transport.call('DescribeRegions').catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'timeout', scope: 'attempt', mayHaveReachedServer: false });
    expect(sent()).toBe(0);
    expect(lines).toEqual([]);
  });

  it('a call whose parts load answers as before (the same transport module graph, no part stalled)', async () => {
    vi.resetModules();
    const { createTransport } = await import('../src/index.node');
    const { sender, sent } = answering();
    const transport = createTransport(scriptedOptions(sender, { timeoutMs: 5_000, retry: false }));
    await expect(transport.call('RunInstances', bigintParams)).resolves.toMatchObject({ requestId: 'r-ok' });
    expect(sent()).toBe(1);
  });
});

describe('Attempt.within', () => {
  const limits = { attemptMs: 60_000, totalMs: 60_000, context: {}, signal: undefined };

  it('gives the work its value, or its error, while the attempt runs', async () => {
    const attempt = new Attempt(limits, Date.now() + 60_000);
    await expect(attempt.within(Promise.resolve('answer'))).resolves.toBe('answer');
    const broken = new Error('broke');
    await expect(attempt.within(Promise.reject(broken))).rejects.toBe(broken);
    attempt.end();
  });

  it('rejects with the reason the moment the attempt aborts, and at once when it already has', async () => {
    const attempt = new Attempt(limits, Date.now() + 60_000);
    const reason = new Error('aborted');
    let settle!: (value: string) => void;
    const work = new Promise<string>((resolve) => (settle = resolve));
    const waiting = attempt.within(work);
    attempt.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    // The work settling later changes nothing; nor does later work, whatever its outcome (a
    // failure included: within handles it, nothing is left unhandled).
    settle('too late');
    await expect(attempt.within(Promise.resolve('later'))).rejects.toBe(reason);
    await expect(attempt.within(Promise.reject(new Error('late failure')))).rejects.toBe(reason);
    attempt.end();
  });

  it("rejects with the attempt's TimeoutError when its timer fires", async () => {
    const attempt = new Attempt({ ...limits, attemptMs: 5 }, Date.now() + 60_000);
    const err = await attempt.within(new Promise(() => {})).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'timeout', scope: 'attempt', timeoutMs: 5 });
    attempt.end();
  });
});

describe("stream() hands the caller's signal to the stream parser", () => {
  it('an abort before the first event ends the iteration with its reason (the parser never starts)', async () => {
    vi.resetModules();
    const { createTransport } = await import('../src/index.node');
    // A body already whole in memory: reading it hears no signal, only the wait for the parser does.
    const sender: Sender = () =>
      Promise.resolve({
        status: 200,
        headers: { get: (name) => (name.toLowerCase() === 'content-type' ? 'text/event-stream' : null) },
        body: [utf8.encode('data: {"a":1}\n\n')],
      });
    const transport = createTransport(scriptedOptions(sender, { retry: false }));
    const controller = new AbortController();
    const started = await transport.stream('ChatCompletions', {}, { signal: controller.signal });
    const reason = new Error('the user closed the chat');
    controller.abort(reason);
    await expect(started.events.next()).rejects.toBe(reason);
  });
});

describe('what an attempt that ended leaves behind', () => {
  it('a load that comes after the deadline sends nothing and writes no line', async () => {
    vi.resetModules();
    vi.doMock('../src/log-line', async (importOriginal) => {
      await new Promise((resolve) => setTimeout(resolve, 60));
      return importOriginal();
    });
    const { createTransport } = await import('../src/index.node');
    const { sender, sent } = answering();
    const lines: string[] = [];
    const transport = createTransport(
      scriptedOptions(sender, { timeoutMs: 20, retry: false, logger: { debug: (line) => lines.push(line) } }),
    );
    await expect(transport.call('DescribeRegions')).rejects.toMatchObject({ kind: 'timeout', scope: 'attempt' });
    await new Promise((resolve) => setTimeout(resolve, 100)); // the load has come by now
    expect(sent()).toBe(0);
    expect(lines).toEqual([]);
  });

  it('the next attempt goes on once the part is there: one request, attempts 2', async () => {
    // Vitest gives the second import() the real module (see the top of this file): the retry finds it.
    const createTransport = await transportWithStalled('../src/request-parts');
    const { sender, sent } = answering();
    const transport = createTransport(scriptedOptions(sender, { timeoutMs: 20, retry: { maxAttempts: 3 } }));
    await expect(transport.call('RunInstances', bigintParams)).resolves.toMatchObject({
      requestId: 'r-ok',
      attempts: 2,
    });
    expect(sent()).toBe(1);
  });

  it('untilAborted with a signal aborted already: its reason, and a later failure of the work is not unhandled', async () => {
    const { untilAborted } = await import('../src/signals');
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      const reason = new Error('stopped');
      const work = new Promise((_, reject) => setTimeout(() => reject(new Error('the load failed')), 5));
      await expect(untilAborted(work, AbortSignal.abort(reason))).rejects.toBe(reason);
      await new Promise((resolve) => setTimeout(resolve, 30));
    } finally {
      process.off('unhandledRejection', listener);
    }
    expect(unhandled).toEqual([]);
  });
});
