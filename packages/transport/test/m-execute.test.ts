// The retry loop of a call, through createTransport with a scripted sender (no network: each
// answer is given byte for byte): attempts and waits counted, log lines, the budget's refunds, the
// clock correction, a late attempt timer, a caller's abort, and how the final error is stamped.
import type { ApiError } from '@x/errors';
import {
  CredentialsError,
  EnvelopeError,
  NetworkError,
  TimeoutError,
  UsageError,
  isApiError,
  isTimeoutError,
} from '@x/errors';
import type { ResponseLike } from '@x/envelope';
import { describe, expect, it, vi } from 'vitest';
import { RetryBudget, type Sender, type SendRequest } from '../src/index.node';
import { caught } from './server';
import { refused, scriptedCredentials, scriptedTransport } from './m-scripted';

const credentials = scriptedCredentials;
const utf8 = new TextEncoder();

function answer(status: number, body: string, headers: Record<string, string> = {}): ResponseLike {
  const all: Record<string, string> = { 'content-type': 'application/json', ...headers };
  return { status, headers: { get: (name) => all[name.toLowerCase()] ?? null }, body: [utf8.encode(body)] };
}
const ok = (id: string, data: Record<string, unknown> = {}) =>
  answer(200, JSON.stringify({ Response: { ...data, RequestId: id } }));
const apiError = (code: string, id: string, headers: Record<string, string> = {}) =>
  answer(200, JSON.stringify({ Response: { Error: { Code: code, Message: 'no' }, RequestId: id } }), headers);

/** A sender answering from a script, one entry per request; it records what it was sent. */
function scripted(script: ((request: SendRequest) => ResponseLike | Error | Promise<ResponseLike | Error>)[]) {
  const sent: SendRequest[] = [];
  const sender: Sender = async (request) => {
    sent.push(request);
    const step = script[Math.min(sent.length, script.length) - 1]!;
    const result = await step(request);
    if (result instanceof Error) throw result;
    return result;
  };
  return { sender, sent };
}

function logger() {
  const lines = { debug: [] as string[], warn: [] as string[] };
  return {
    lines,
    logger: { debug: (line: string) => lines.debug.push(line), warn: (line: string) => lines.warn.push(line) },
  };
}

const transport = scriptedTransport;

describe('attempts and waits', () => {
  it('counts the attempts and the waits of a call that succeeds after two retries', async () => {
    const { sender, sent } = scripted([() => refused(), () => refused(), () => ok('r-3', { Zones: [] })]);
    const waits: number[] = [];
    const t = transport(sender, { sleep: (ms) => (waits.push(ms), Promise.resolve()) });
    const result = await t.call('RunInstances');
    expect(result).toEqual({
      data: { Zones: [], RequestId: 'r-3' },
      requestId: 'r-3',
      httpStatus: 200,
      attempts: 3,
      retryDelayMs: 150,
    });
    expect(waits).toEqual([50, 100]);
    expect(sent).toHaveLength(3);
  });

  it('stamps the final error with the attempts and the time waited', async () => {
    const { sender } = scripted([() => refused()]);
    const err = await caught(transport(sender, { retry: { maxAttempts: 2, baseDelayMs: 40 } }).call('RunInstances'));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ attempts: 2, retryDelayMs: 20, action: 'RunInstances', region: 'ap-guangzhou' });
  });

  it('stamps an error whose class has no recordCall (an older @x/errors) with plain fields', async () => {
    const old = () => {
      const err = refused();
      Object.defineProperty(err, 'recordCall', { value: undefined });
      return err;
    };
    const { sender } = scripted([old]);
    const err = await caught(transport(sender, { retry: { maxAttempts: 2 } }).call('RunInstances'));
    expect(err).toMatchObject({ attempts: 2, retryDelayMs: 50 });
    expect(err.action).toBeUndefined();
  });

  it('counts a credentials error’s attempts without stamping one call’s action on it', async () => {
    const shared = new CredentialsError({ detail: 'no credentials found' });
    const err = await caught(
      transport(scripted([() => ok('x')]).sender, { credentials: () => Promise.reject(shared) }).call('RunInstances'),
    );
    expect(err).toBe(shared);
    expect(err).toMatchObject({ attempts: 1, retryDelayMs: 0 });
    expect(err.action).toBeUndefined();
    expect(err.service).toBeUndefined();
  });

  it('logs each retry as a warning with its reason and wait', async () => {
    const { sender } = scripted([() => refused(), () => ok('r-2')]);
    const { lines, logger: log } = logger();
    await transport(sender, { logger: { warn: log.warn } }).call('RunInstances');
    expect(lines.warn).toEqual([
      'cvm:RunInstances: attempt 1 failed (the request did not reach the server); retrying in 50 ms',
    ]);
  });

  it('a caller’s abort during the wait rejects with the caller’s reason', async () => {
    const controller = new AbortController();
    const reason = new Error('user gave up');
    const { sender, sent } = scripted([() => refused()]);
    const sleep = (_ms: number, signal?: AbortSignal) =>
      new Promise<void>((_resolve, reject) => {
        signal?.addEventListener('abort', () => reject(new Error('sleep interrupted')));
        controller.abort(reason);
      });
    expect(await caught(transport(sender, { sleep }).call('RunInstances', {}, { signal: controller.signal }))).toBe(
      reason,
    );
    expect(sent).toHaveLength(1);
  });

  it('a caller’s abort during the send rejects with the caller’s reason, not the sender’s error', async () => {
    const controller = new AbortController();
    const reason = new Error('stop now');
    const { sender, sent } = scripted([
      () => {
        controller.abort(reason);
        return refused();
      },
    ]);
    expect(await caught(transport(sender).call('DescribeZones', {}, { signal: controller.signal }))).toBe(reason);
    expect(sent).toHaveLength(1);
  });

  it('a signal already aborted sends nothing', async () => {
    const reason = new Error('before');
    const { sender, sent } = scripted([() => ok('x')]);
    expect(await caught(transport(sender).call('DescribeZones', {}, { signal: AbortSignal.abort(reason) }))).toBe(
      reason,
    );
    expect(sent).toHaveLength(0);
  });

  it('an attempt that times out while the sender fails otherwise reports the TimeoutError', async () => {
    const { sender } = scripted([
      (request) =>
        new Promise<Error>((resolve) =>
          request.signal.addEventListener('abort', () => resolve(new Error('socket closed'))),
        ),
    ]);
    const err = await caught(transport(sender, { timeoutMs: 30, retry: false }).call('DescribeZones'));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ scope: 'attempt', timeoutMs: 30, mayHaveReachedServer: true, attempts: 1 });
  });
});

describe('a late attempt timer', () => {
  // The sender hangs until its attempt times out; the injected clock has jumped past the call's
  // deadline by then, as it would on a busy event loop.
  const hanging = () =>
    scripted([
      (request) =>
        new Promise<Error>((resolve) => request.signal.addEventListener('abort', () => resolve(new Error('x')))),
    ]);
  const jumping = () => {
    let calls = 0;
    return () => (calls++ === 0 ? 1_000 : 1_000_000_000);
  };

  it('ends an idempotent call with a total TimeoutError', async () => {
    const err = await caught(
      transport(hanging().sender, { timeoutMs: 20, totalTimeoutMs: 60_000, now: jumping() }).call('DescribeZones'),
    );
    expect(isTimeoutError(err)).toBe(true);
    expect(err).toMatchObject({ scope: 'total', timeoutMs: 60_000, mayHaveReachedServer: true, attempts: 1 });
    expect(isTimeoutError(err.cause) && err.cause.scope).toBe('attempt');
  });

  it('keeps the attempt TimeoutError when no retry was possible anyway', async () => {
    const single = await caught(
      transport(hanging().sender, { timeoutMs: 20, totalTimeoutMs: 60_000, now: jumping(), retry: false }).call(
        'DescribeZones',
      ),
    );
    expect(single).toMatchObject({ scope: 'attempt', timeoutMs: 20 });
    const notIdempotent = await caught(
      transport(hanging().sender, { timeoutMs: 20, totalTimeoutMs: 60_000, now: jumping() }).call('RunInstances'),
    );
    expect(notIdempotent).toMatchObject({ scope: 'attempt', timeoutMs: 20 });
  });

  it('a retryable error that is not a timeout stays itself past the deadline', async () => {
    const { sender } = scripted([() => refused()]);
    const err = await caught(transport(sender, { now: jumping() }).call('DescribeZones'));
    expect(err).toBeInstanceOf(NetworkError);
    expect(err.attempts).toBe(1);
  });
});

describe('log lines and the budget', () => {
  it('a logger with debug only: a retried call logs its lines and no warning, and does not fail for it', async () => {
    const lines: string[] = [];
    const { sender } = scripted([() => refused(), () => ok('r-2')]);
    const t = transport(sender, { logger: { debug: (line: string) => lines.push(line) } });
    await expect(t.call('DescribeZones')).resolves.toMatchObject({ attempts: 2 });
    expect(lines.filter((line) => line.startsWith('→'))).toHaveLength(2);
  });

  it('logs the request and the answer at debug level, with the time taken on the injected clock', async () => {
    const { sender } = scripted([() => apiError('ResourceNotFound', 'e-1'), () => ok('r-2')]);
    const { lines, logger: log } = logger();
    let tick = 0;
    const t = transport(sender, { logger: log, now: () => (tick += 5) });
    await caught(t.call('RunInstances'));
    await t.call('RunInstances');
    expect(lines.debug).toHaveLength(4);
    expect(lines.debug[0]).toMatch(/^→ POST http:\/\/127\.0\.0\.1:9 cvm:RunInstances attempt 1 \{/);
    expect(lines.debug[1]).toMatch(/^← 200 ResourceNotFound RequestId e-1 in \d+ ms$/);
    expect(lines.debug[3]).toMatch(/^← 200 ok RequestId r-2 in \d+ ms$/);
    expect(lines.debug.join('\n')).not.toContain(credentials.secretKey);
  });

  it('a success gives a token back to the budget, a retry takes its cost', async () => {
    const budget = new RetryBudget({ capacity: 100 });
    const { sender } = scripted([() => refused(), () => ok('r-2'), () => ok('r-3')]);
    const t = transport(sender, { budget });
    expect(t.budget).toBe(budget);
    await t.call('RunInstances');
    expect(budget.available).toBe(91);
    await t.call('RunInstances');
    expect(budget.available).toBe(92);
  });

  it('an empty budget stops retries', async () => {
    const { sender, sent } = scripted([() => refused()]);
    const err = await caught(transport(sender, { budget: { capacity: 0 } }).call('RunInstances'));
    expect(err).toBeInstanceOf(NetworkError);
    expect(sent).toHaveLength(1);
  });
});

describe('clock skew', () => {
  const expired = (n: number) =>
    apiError('AuthFailure.SignatureExpire', `e-${n}`, { date: 'Sun, 01 Jan 2040 00:00:00 GMT' });

  it('signs again once with the server’s clock, counting the attempt, and keeps the offset', async () => {
    const { sender, sent } = scripted([() => expired(1), () => ok('r-2')]);
    const { lines, logger: log } = logger();
    const t = transport(sender, { now: () => Date.parse('2030-01-01T00:00:00Z'), logger: { warn: log.warn } });
    const result = await t.call('RunInstances');
    expect(result).toMatchObject({ requestId: 'r-2', attempts: 2, retryDelayMs: 0 });
    const offset = Date.parse('2040-01-01T00:00:00Z') - Date.parse('2030-01-01T00:00:00Z');
    expect(t.clockOffsetMs).toBe(offset);
    expect(sent[1]!.headers['X-TC-Timestamp']).toBe(String(Date.parse('2040-01-01T00:00:00Z') / 1000));
    expect(lines.warn).toEqual([`cvm:RunInstances: signature expired; clock corrected by ${offset} ms`]);
  });

  it('corrects only once per call: a second SignatureExpire is the answer', async () => {
    const { sender, sent } = scripted([(r) => expired(sent.indexOf(r) + 1)]);
    const err = await caught(transport(sender).call('RunInstances'));
    expect(isApiError(err, 'AuthFailure.SignatureExpire')).toBe(true);
    expect(err).toMatchObject({ requestId: 'e-2', attempts: 2 });
    expect(sent).toHaveLength(2);
  });

  it('without retries the clock is corrected for later calls, and this one fails', async () => {
    const { sender, sent } = scripted([() => expired(1), () => ok('r-2')]);
    const t = transport(sender, { retry: false });
    const err = await caught(t.call('RunInstances'));
    expect((err as ApiError).code).toBe('AuthFailure.SignatureExpire');
    expect(sent).toHaveLength(1);
    expect(t.clockOffsetMs).not.toBe(0);
    await expect(t.call('RunInstances')).resolves.toMatchObject({ requestId: 'r-2' });
  });
});

describe('a clock that is not a clock', () => {
  // The signer trusts the timestamp the transport computed (makeTc3Signer): a `now` option that
  // answers NaN, a negative time or Infinity is refused before anything is built or sent, with or
  // without signing, and never as the RangeError of an invalid Date.
  it.each([
    ['NaN', Number.NaN],
    ['a time before 1970', -5_000],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a time past what a Date holds', 1e16],
    ['the year 10000', 253_402_300_800_000],
    ['the largest safe integer', Number.MAX_SAFE_INTEGER],
    ['a bigint', 1_700_000_000_000n as unknown as number],
    ['a string', '1700000000000' as unknown as number],
  ])('refuses %s, naming now, and sends nothing', async (_name, time) => {
    for (const auth of ['tc3', 'skip'] as const) {
      const { sender, sent } = scripted([() => ok('r-1')]);
      const err = await caught(transport(sender, { now: () => time }).call('DescribeZones', {}, { auth }));
      expect(err).toBeInstanceOf(UsageError);
      expect(err).toMatchObject({ argument: 'now', attempts: 1 });
      expect((err as Error).message).toBe(`now: must return milliseconds since the epoch, got ${String(time)}`);
      expect(sent).toHaveLength(0);
    }
  });

  it('takes the epoch itself and the last second of the year 9999', async () => {
    const { sender, sent } = scripted([() => ok('r-1')]);
    await transport(sender, { now: () => 253_402_300_799_999 }).call('DescribeZones');
    expect(sent[0]!.headers['X-TC-Timestamp']).toBe('253402300799');
    expect(sent[0]!.headers['Authorization']).toContain('/9999-12-31/cvm/tc3_request, ');
    await expect(transport(sender, { now: () => 253_402_300_800_000 }).call('DescribeZones')).rejects.toMatchObject({
      argument: 'now',
    });
    await transport(sender, { now: () => 0 }).call('DescribeZones');
    sent.shift();
    expect(sent[0]!.headers['X-TC-Timestamp']).toBe('0');
    expect(sent[0]!.headers['Authorization']).toMatch(
      /^TC3-HMAC-SHA256 Credential=AKIDexample\/1970-01-01\/cvm\/tc3_request, /,
    );
  });
});

describe('streams', () => {
  const stream = (text: string, headers: Record<string, string> = {}) =>
    answer(200, text, { 'content-type': 'text/event-stream', ...headers });

  it('an event stream: its RequestId header, attempts, a debug line and a budget refund', async () => {
    const budget = new RetryBudget({ capacity: 100 });
    const { sender } = scripted([() => refused(), () => stream('data: {"a":1}\n\n', { 'x-tc-requestid': 's-1' })]);
    const { lines, logger: log } = logger();
    const result = await transport(sender, { budget, logger: log }).stream('ChatCompletions');
    expect(result).toMatchObject({
      requestId: 's-1',
      attempts: 2,
      retryDelayMs: 50,
      isEventStream: true,
      httpStatus: 200,
    });
    expect(budget.available).toBe(91);
    const events: unknown[] = [];
    for await (const event of result.events) events.push(event.data);
    expect(events).toEqual([{ a: 1 }]);
    expect(lines.debug.filter((l) => l.startsWith('←'))).toEqual([
      expect.stringMatching(/^← 200 event stream RequestId s-1 in \d+ ms$/),
    ]);
  });

  it('an event stream without a RequestId header has an empty one', async () => {
    const { sender } = scripted([() => stream('data: 1\n\n')]);
    const result = await transport(sender).stream('ChatCompletions');
    expect(result.requestId).toBe('');
    await result.events.return?.(undefined);
  });

  it('call() reads an event-stream answer as an envelope (and fails on it)', async () => {
    const { sender } = scripted([() => stream('data: {"a":1}\n\n')]);
    const err = await caught(transport(sender, { retry: false }).call('ChatCompletions'));
    expect(err).toBeInstanceOf(EnvelopeError);
    expect((err as EnvelopeError).reason).toBe('unexpected-content-type');
  });

  it('the caller’s signal still reaches a stream being read, with the caller’s reason', async () => {
    const controller = new AbortController();
    const reason = new Error('enough');
    const sender: Sender = async (request) => {
      const body = new ReadableStream<Uint8Array>({
        start(c) {
          c.enqueue(utf8.encode('data: {"a":1}\n\n'));
          request.signal.addEventListener('abort', () => c.error(request.signal.reason));
        },
      });
      return {
        status: 200,
        headers: { get: (n) => (n.toLowerCase() === 'content-type' ? 'text/event-stream' : null) },
        body,
      };
    };
    const result = await transport(sender).stream('ChatCompletions', {}, { signal: controller.signal });
    const first = await result.events.next();
    expect(first.value).toMatchObject({ data: { a: 1 } });
    controller.abort(reason);
    await expect(result.events.next()).rejects.toBe(reason);
  });
});

describe('what the sender is handed', () => {
  it('a sender with usesOnAbort gets the request fields and a hook; the body is read without a signal', async () => {
    let seen: SendRequest | undefined;
    const hooked: Sender = Object.assign(
      async (request: SendRequest) => {
        seen = request;
        return ok('r-1');
      },
      { usesOnAbort: true },
    );
    await transport(hooked).call('RunInstances', { Limit: 1 });
    expect(seen).toMatchObject({ method: 'POST', url: 'http://127.0.0.1:9/', body: '{"Limit":1}' });
    expect(seen?.headers['X-TC-Action']).toBe('RunInstances');
    expect(typeof seen?.onAbort).toBe('function');
    expect(seen?.signal).toBeInstanceOf(AbortSignal);
  });

  it('a plain sender’s body is read under the attempt’s signal: one that ignores it still times out', async () => {
    // A body that trickles forever and never looks at the signal: only the reader can stop it.
    let stopped = false;
    const trickle: ResponseLike = {
      status: 200,
      headers: { get: (name) => (name.toLowerCase() === 'content-type' ? 'application/json' : null) },
      body: (async function* () {
        try {
          for (;;) {
            await new Promise((resolve) => setTimeout(resolve, 5));
            yield utf8.encode(' ');
          }
        } finally {
          stopped = true;
        }
      })(),
    };
    const sender: Sender = () => Promise.resolve(trickle);
    const err = await caught(transport(sender, { timeoutMs: 60, retry: false }).call('DescribeZones'));
    expect(isTimeoutError(err)).toBe(true);
    expect(err).toMatchObject({ scope: 'attempt', timeoutMs: 60 });
    await vi.waitFor(() => expect(stopped).toBe(true));
  });

  it('a plain sender gets an object with the same fields and its signal', async () => {
    const { sender, sent } = scripted([() => ok('r-1')]);
    await transport(sender, { method: 'GET' }).call('DescribeZones', { Limit: 2 });
    const request = sent[0]!;
    expect({ ...request, signal: undefined, onAbort: undefined, headers: undefined }).toEqual({
      method: 'GET',
      url: 'http://127.0.0.1:9/?Limit=2',
      body: '',
      headers: undefined,
      signal: undefined,
      onAbort: undefined,
    });
    expect(request.signal).toBeInstanceOf(AbortSignal);
    expect(typeof request.onAbort).toBe('function');
  });

  it('auth: "skip" sends Authorization SKIP and asks no credentials', async () => {
    const { sender, sent } = scripted([() => ok('r-1')]);
    let asked = 0;
    const credentialsAsked = () => (asked++, Promise.resolve(credentials));
    await transport(sender, { credentials: credentialsAsked }).call('AssumeRoleWithWebIdentity', {}, { auth: 'skip' });
    expect(sent[0]!.headers['Authorization']).toBe('SKIP');
    expect(asked).toBe(0);
  });

  it('a temporary key adds its token and never logs it', async () => {
    const { sender, sent } = scripted([() => ok('r-1')]);
    const { lines, logger: log } = logger();
    await transport(sender, { credentials: { ...credentials, token: 'session-token-xyz' }, logger: log }).call(
      'RunInstances',
    );
    expect(sent[0]!.headers['X-TC-Token']).toBe('session-token-xyz');
    expect(lines.debug.join('\n')).not.toContain('session-token-xyz');
  });
});

describe('a late credentials timeout', () => {
  it('a provider that outlives the attempt: a retryable TimeoutError naming credentials, then success', async () => {
    let n = 0;
    const slowOnce = () => (n++ === 0 ? new Promise<never>(() => {}) : Promise.resolve(credentials));
    const { sender, sent } = scripted([() => ok('r-1')]);
    const result = await transport(sender, { credentials: slowOnce, timeoutMs: 20 }).call('RunInstances');
    expect(result.attempts).toBe(2);
    expect(sent).toHaveLength(1);
    const err = await caught(
      transport(sender, { credentials: () => new Promise<never>(() => {}), timeoutMs: 20, retry: false }).call(
        'RunInstances',
      ),
    );
    expect(err).toMatchObject({ scope: 'attempt', waitingFor: 'credentials', mayHaveReachedServer: false });
  });
});
