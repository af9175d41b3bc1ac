// One attempt's deadline and abort (deadline.ts), one attempt's steps (attempt.ts: credentials,
// signing, sending) and a stream's release of the caller's signal (stream.ts), at unit level.
import { TimeoutError, type CallContext } from '@x/errors';
import type { ResponseLike } from '@x/envelope';
import { afterEach, describe, expect, it } from 'vitest';
import { sendAttempt, type AttemptDeps } from '../src/attempt';
import { Attempt, timeoutMs, type AttemptLimits } from '../src/deadline';
import { resolveEndpoint } from '../src/endpoint';
import { createTransport, type Sender, type SendRequest } from '../src/index.node';
import type { TransportOptions } from '../src/options';
import { resolveCall } from '../src/resolve-call';
import { resolveRetry } from '../src/retry';
import type { SignedRequest } from '../src/sign-request';
import { usage } from './usage';

const context: CallContext = { service: 'cvm', version: '2017-03-12', action: 'RunInstances', region: 'ap-guangzhou' };
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const made: Attempt[] = [];
function attempt(limits: Partial<AttemptLimits> = {}, totalInMs = 60_000): Attempt {
  const a = new Attempt(
    { attemptMs: 60_000, totalMs: 60_000, context, signal: undefined, ...limits },
    Date.now() + totalInMs,
  );
  made.push(a);
  return a;
}
afterEach(() => {
  for (const a of made.splice(0)) a.end();
});

describe('timeoutMs', () => {
  it('the default when none is given, the value when it is a usable number', () => {
    expect(timeoutMs(undefined, 123, 'timeoutMs')).toBe(123);
    expect(timeoutMs(1, 123, 'timeoutMs')).toBe(1);
    expect(timeoutMs(0.5, 123, 'timeoutMs')).toBe(0.5);
    expect(timeoutMs(2 ** 31 - 1, 123, 'timeoutMs')).toBe(2 ** 31 - 1);
  });

  it.each([
    [0, '0'],
    [-5, '-5'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    ['100', '100'],
    [null, 'null'],
  ])('refuses %s, naming the option', (value, shown) => {
    const err = usage(() => timeoutMs(value as number, 1, 'totalTimeoutMs'));
    expect(err.argument).toBe('totalTimeoutMs');
    expect(err.message).toBe(
      `totalTimeoutMs: must be a positive number of milliseconds, got ${shown} (there is no "no timeout")`,
    );
  });

  it('refuses what a timer cannot wait', () => {
    const err = usage(() => timeoutMs(2 ** 31, 1, 'timeoutMs'));
    expect(err.message).toBe('timeoutMs: must be at most 2147483647 ms (about 24.8 days), got 2147483648');
  });
});

describe('Attempt', () => {
  it('times out at its own deadline when that comes first, naming the phase', async () => {
    const a = attempt({ attemptMs: 20 });
    a.phase = 'credentials';
    await wait(80);
    expect(a.aborted).toBe(true);
    expect(a.reason).toBeInstanceOf(TimeoutError);
    expect(a.reason).toMatchObject({
      scope: 'attempt',
      timeoutMs: 20,
      mayHaveReachedServer: false,
      waitingFor: 'credentials',
      ...context,
    });
  });

  it('times out at the call’s deadline when that comes first', async () => {
    const a = attempt({ attemptMs: 60_000, totalMs: 777 }, 20);
    a.phase = 'sending';
    await wait(80);
    expect(a.reason).toMatchObject({
      scope: 'total',
      timeoutMs: 777,
      mayHaveReachedServer: true,
      waitingFor: undefined,
    });
  });

  it('while signing: nothing reached the server and nothing is awaited', async () => {
    const a = attempt({ attemptMs: 20 });
    expect(a.phase).toBe('signing');
    await wait(80);
    expect(a.reason).toMatchObject({ scope: 'attempt', mayHaveReachedServer: false, waitingFor: undefined });
  });

  it('does not fire before its deadline, nor after it ended', async () => {
    const long = attempt({ attemptMs: 5_000 });
    const ended = attempt({ attemptMs: 20 });
    ended.end();
    await wait(80);
    expect(long.aborted).toBe(false);
    expect(ended.aborted).toBe(false);
  });

  it('a call deadline already past fires at once', async () => {
    const a = attempt({ attemptMs: 5_000, totalMs: 1 }, -1_000);
    await wait(30);
    expect(a.reason).toMatchObject({ scope: 'total', timeoutMs: 1 });
  });

  it('forwards the caller’s abort with the caller’s reason, until it ends', () => {
    const controller = new AbortController();
    const a = attempt({ signal: controller.signal });
    const heard: unknown[] = [];
    a.onAbort((reason) => heard.push(reason));
    const reason = new Error('caller');
    controller.abort(reason);
    expect(a).toMatchObject({ aborted: true, reason });
    expect(heard).toEqual([reason]);

    const later = new AbortController();
    const b = attempt({ signal: later.signal });
    b.end();
    later.abort(new Error('too late'));
    expect(b.aborted).toBe(false);
  });

  it('keepForwarding keeps the caller’s signal after end(), until release()', () => {
    const controller = new AbortController();
    const a = attempt({ signal: controller.signal });
    a.keepForwarding();
    a.end();
    const reason = new Error('stop the stream');
    controller.abort(reason);
    expect(a.reason).toBe(reason);

    const other = new AbortController();
    const b = attempt({ signal: other.signal });
    b.keepForwarding();
    b.end();
    b.release();
    other.abort(new Error('ignored'));
    expect(b.aborted).toBe(false);
  });

  it('onAbort: one hook at a time, the last registered is called', () => {
    const a = attempt();
    const calls: string[] = [];
    a.onAbort(() => calls.push('credentials'));
    a.onAbort(() => calls.push('sender'));
    a.abort(new Error('x'));
    expect(calls).toEqual(['sender']);
  });
});

describe('sendAttempt', () => {
  const options: TransportOptions = {
    service: 'cvm',
    version: '2017-03-12',
    region: 'ap-guangzhou',
    endpoint: 'http://127.0.0.1:9',
  };
  const settings = {
    options,
    endpoint: resolveEndpoint(options),
    retry: resolveRetry(undefined),
    idempotent: () => false,
  };
  const ok: ResponseLike = { status: 200, headers: { get: () => null }, body: null };

  function deps(over: Partial<AttemptDeps> = {}): AttemptDeps {
    return {
      service: 'cvm',
      version: '2017-03-12',
      credentials: { secretId: 'AKIDexample', secretKey: 'secret-key-attempt' },
      unsignedPayload: undefined,
      signRequest: async (request) =>
        ({ ...request, headers: { ...request.headers, Authorization: 'signed' } }) as SignedRequest,
      sender: async () => ok,
      logger: undefined,
      now: () => 1_700_000_000_999,
      clockOffsetMs: 0,
      ...over,
    };
  }

  it('stamps the request with the clock plus the learnt offset, in whole seconds', async () => {
    const sent: SendRequest[] = [];
    const sender: Sender = async (request) => (sent.push(request), ok);
    const a = attempt();
    const call = resolveCall(settings, { kind: 'call', action: 'RunInstances', params: {}, options: {} }, context);
    await sendAttempt(deps({ sender, clockOffsetMs: 2_500 }), call, a, 1, []);
    expect(sent[0]!.headers['X-TC-Timestamp']).toBe('1700000003');
    expect(sent[0]!.headers['Authorization']).toBe('signed');
    expect(a.phase).toBe('sending');
  });

  it('a signer that outlives the attempt: a TimeoutError that never reached the server', async () => {
    const a = attempt({ attemptMs: 20 });
    const call = resolveCall(settings, { kind: 'call', action: 'RunInstances', params: {}, options: {} }, context);
    const slowSigner: AttemptDeps['signRequest'] = async (request) => {
      await wait(80);
      return request as SignedRequest;
    };
    const done = sendAttempt(deps({ signRequest: slowSigner }), call, a, 1, []);
    await done.catch(() => undefined);
    expect(a.reason).toMatchObject({ scope: 'attempt', mayHaveReachedServer: false, waitingFor: undefined });
  });

  it('collects the keys used for the log lines only when there is a debug logger', async () => {
    const secrets: (string | undefined)[] = [];
    const call = resolveCall(settings, { kind: 'call', action: 'RunInstances', params: {}, options: {} }, context);
    await sendAttempt(deps(), call, attempt(), 1, secrets);
    expect(secrets).toEqual([]);
    const lines: string[] = [];
    const creds = { secretId: 'AKIDexample', secretKey: 'k-1', token: 't-1' };
    await sendAttempt(
      deps({ credentials: creds, logger: { debug: (l) => lines.push(l) } }),
      call,
      attempt(),
      2,
      secrets,
    );
    expect(secrets).toEqual(['k-1', 't-1']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^→ POST http:\/\/127\.0\.0\.1:9 cvm:RunInstances attempt 2 \{.*"Authorization":"\[REDACTED\]"/,
    );
    await sendAttempt(deps({ logger: { warn: () => {} } }), call, attempt(), 3, secrets);
    expect(secrets).toHaveLength(2);
  });
});

describe('a stream releases the caller’s signal', () => {
  it('when its events end, and rethrows a mid-stream error as it is', async () => {
    const added: unknown[] = [];
    const removed: unknown[] = [];
    const controller = new AbortController();
    const add = controller.signal.addEventListener.bind(controller.signal);
    const remove = controller.signal.removeEventListener.bind(controller.signal);
    controller.signal.addEventListener = ((type: string, listener: EventListenerOrEventListenerObject, o?: unknown) => {
      if (type === 'abort') added.push(listener);
      add(type, listener, o as AddEventListenerOptions);
    }) as AbortSignal['addEventListener'];
    controller.signal.removeEventListener = ((type: string, listener: EventListenerOrEventListenerObject) => {
      if (type === 'abort') removed.push(listener);
      remove(type, listener);
    }) as AbortSignal['removeEventListener'];
    const text =
      'data: {"n":1}\n\nevent: error\ndata: {"Response":{"Error":{"Code":"InternalError","Message":"x"},"RequestId":"s"}}\n\n';
    const sender: Sender = async () => ({
      status: 200,
      headers: { get: (n) => (n.toLowerCase() === 'content-type' ? 'text/event-stream' : null) },
      body: [new TextEncoder().encode(text)],
    });
    const t = createTransport({
      service: 'hunyuan',
      version: '2023-09-01',
      region: 'ap-guangzhou',
      endpoint: 'http://127.0.0.1:9',
      credentials: { secretId: 'AKIDexample', secretKey: 'k' },
      sender,
    });
    const result = await t.stream('ChatCompletions', {}, { signal: controller.signal });
    expect(removed).toEqual([]);
    // The attempt listens from the start; the wait for the stream parser's code listens while it loads.
    const attemptListener = added[0];
    const first = await result.events.next();
    expect(first.value).toMatchObject({ data: { n: 1 } });
    expect(removed).not.toContain(attemptListener);
    await expect(result.events.next()).rejects.toMatchObject({ code: 'InternalError' });
    expect(removed).toContain(attemptListener);
    expect(new Set(removed)).toEqual(new Set(added));
  });
});
