// Edges of a call that the first mutation run of round 4 showed unpinned: what ends an attempt
// (its timer, the caller's signal) once the call is over, a plain sender's stalled body, the
// exact time in debug lines, calls without a budget, the late-timer rule at its boundary, what
// gets stamped on which error, and the headers a sender is handed.
import { CredentialsError, EnvelopeError, TimeoutError, UsageError, type CallContext } from '@x/errors';
import type { ResponseLike } from '@x/envelope';
import { describe, expect, it } from 'vitest';
import { checkedCredentials } from '../src/credentials-source';
import { resolveEndpoint } from '../src/endpoint';
import type { Sender, SendRequest, TransportOptions } from '../src/index.node';
import { resolveCall } from '../src/resolve-call';
import { resolveRetry, retryDecision } from '../src/retry';
import { caught } from './server';
import { refused, scriptedCredentials, scriptedTransport } from './m-scripted';

const credentials = scriptedCredentials;
const utf8 = new TextEncoder();
const json = { 'content-type': 'application/json' } as Record<string, string>;
const headersOf = (all: Record<string, string>) => ({ get: (name: string) => all[name.toLowerCase()] ?? null });
const ok = (id: string): ResponseLike => ({
  status: 200,
  headers: headersOf(json),
  body: [utf8.encode(JSON.stringify({ Response: { RequestId: id } }))],
});
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const transport = scriptedTransport;

/** A sender that hangs until its attempt aborts, then fails as a socket would. */
const hanging: Sender = (request) =>
  new Promise((_resolve, reject) => request.signal.addEventListener('abort', () => reject(new Error('socket closed'))));

describe('credentials that cannot sign', () => {
  it('undefined credentials, from the check or from a provider, are a UsageError', async () => {
    expect(() => checkedCredentials(undefined)).toThrow(UsageError);
    const err = await caught(
      transport(async () => ok('x'), { credentials: () => Promise.resolve(undefined as never) }).call('RunInstances'),
    );
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).argument).toBe('credentials');
  });
});

describe('retry decisions at their edges', () => {
  it('a status that is not a number is no status; a 500 on a write is named', () => {
    const text = new EnvelopeError({ reason: 'http-status', httpStatus: '503' as unknown as number });
    expect(retryDecision(text, true)).toEqual({ retry: false, reason: 'the response is not an API envelope' });
    const five = new EnvelopeError({ reason: 'http-status', httpStatus: 500 });
    expect(retryDecision(five, false)).toEqual({ retry: false, reason: 'HTTP 500 and the call is not idempotent' });
  });

  it('a call to a region whose endpoint is pinned gets that region’s host', () => {
    const options: TransportOptions = { service: 'cvm', version: '2017-03-12', region: 'ap-guangzhou' };
    const settings = {
      options,
      endpoint: resolveEndpoint(options),
      retry: resolveRetry(undefined),
      idempotent: () => false,
    };
    const context: CallContext = { service: 'cvm', version: '2017-03-12', action: 'A', region: 'ap-shanghai-fsi' };
    const call = resolveCall(settings, { kind: 'call', action: 'A', params: {}, options: {} }, context);
    expect(call.endpoint.host).toBe('cvm.ap-shanghai-fsi.tencentcloudapi.com');
  });
});

describe('the caller’s signal', () => {
  it('rethrows the caller’s reason unchanged, unstamped, even when it is an @x error', async () => {
    const controller = new AbortController();
    const reason = refused();
    let sent = 0;
    const sender: Sender = async () => {
      sent++;
      controller.abort(reason);
      throw new Error('the socket broke');
    };
    const err = await caught(transport(sender).call('DescribeZones', {}, { signal: controller.signal }));
    expect(err).toBe(reason);
    expect(err.attempts).toBe(1);
    expect(err.action).toBeUndefined();
    expect(sent).toBe(1);
  });

  it('neither the attempt timer nor the caller’s signal reach a sender once the call is over', async () => {
    const heard: unknown[] = [];
    const sender: Sender = Object.assign(
      async (request: SendRequest) => {
        request.onAbort?.((reason) => heard.push(reason));
        return ok('r-1');
      },
      { usesOnAbort: true },
    );
    const controller = new AbortController();
    await transport(sender, { timeoutMs: 30 }).call('DescribeZones', {}, { signal: controller.signal });
    await wait(90);
    controller.abort(new Error('later'));
    expect(heard).toEqual([]);
  });
});

describe('a plain sender’s body that stalls', () => {
  it('is stopped at the attempt timeout through the attempt’s signal', async () => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const sender: Sender = async () => ({
      status: 200,
      headers: headersOf(json),
      // Ends by itself after 2 s (bounded): a reader without the signal would see a cut body then.
      body: new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(utf8.encode('{"Response":{'));
          timer = setTimeout(() => controller.close(), 2_000);
        },
        cancel() {
          clearTimeout(timer);
        },
      }),
    });
    const err = await caught(transport(sender, { timeoutMs: 50, retry: false }).call('RunInstances'));
    clearTimeout(timer);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ scope: 'attempt', timeoutMs: 50 });
  });
});

describe('debug lines time the answer on the injected clock', () => {
  it('for an envelope and for an event stream', async () => {
    const lines: string[] = [];
    const stream: ResponseLike = {
      status: 200,
      headers: headersOf({ 'content-type': 'text/event-stream', 'x-tc-requestid': 's-1' }),
      body: [utf8.encode('data: 1\n\n')],
    };
    // Each reading of the clock is 5 ms later: the call's deadline, the answer's start, the
    // request's timestamp, then the answer's end: 10 ms from start to end.
    for (const [answer, expected] of [
      [ok('r-1'), '← 200 ok RequestId r-1 in 10 ms'],
      [stream, '← 200 event stream RequestId s-1 in 10 ms'],
    ] as const) {
      let tick = 0;
      lines.length = 0;
      const t = transport(async () => answer, { now: () => (tick += 5), logger: { debug: (l) => lines.push(l) } });
      await (answer === stream ? t.stream('ChatCompletions') : t.call('DescribeZones'));
      expect(lines[1]).toBe(expected);
    }
  });
});

describe('without a retry budget', () => {
  it('calls and streams succeed and retry', async () => {
    let n = 0;
    const sender: Sender = async () => {
      if (++n % 2 === 1) throw refused();
      return ok(`r-${n}`);
    };
    const t = transport(sender, { budget: false });
    await expect(t.call('RunInstances')).resolves.toMatchObject({ attempts: 2 });
    const streamed = await t.stream('ChatCompletions');
    expect(streamed).toMatchObject({ attempts: 2, isEventStream: false });
    const events = transport(
      async () => ({
        status: 200,
        headers: headersOf({ 'content-type': 'text/event-stream' }),
        body: [utf8.encode('data: 1\n\n')],
      }),
      { budget: false },
    ).stream('ChatCompletions');
    await expect(events).resolves.toMatchObject({ isEventStream: true });
  });
});

describe('a late attempt timer, at the boundary', () => {
  it('a clock exactly at the deadline ends the call with a total TimeoutError', async () => {
    let calls = 0;
    const now = () => (calls++ === 0 ? 1_000 : 1_000 + 60_000);
    const err = await caught(transport(hanging, { timeoutMs: 20, totalTimeoutMs: 60_000, now }).call('DescribeZones'));
    expect(err).toMatchObject({ scope: 'total', timeoutMs: 60_000 });
  });

  it('an empty budget before the deadline keeps the attempt TimeoutError', async () => {
    const err = await caught(transport(hanging, { timeoutMs: 20, budget: { capacity: 0 } }).call('DescribeZones'));
    expect(err).toMatchObject({ scope: 'attempt', timeoutMs: 20, attempts: 1 });
  });
});

describe('what is stamped on the final error', () => {
  it('a credentials error after a retry counts both attempts and the wait', async () => {
    let asked = 0;
    const shared = new CredentialsError({ detail: 'the profile went away' });
    const provider = () => (++asked === 1 ? Promise.resolve(credentials) : Promise.reject(shared));
    const sender: Sender = async () => {
      throw refused();
    };
    const err = await caught(transport(sender, { credentials: provider }).call('RunInstances'));
    expect(err).toBe(shared);
    expect(err).toMatchObject({ attempts: 2, retryDelayMs: 50 });
    expect(err.action).toBeUndefined();
  });

  it('an error that is not an @x error is left as it is', async () => {
    const plain = new Error('a bug in a sender');
    const err = await caught(
      transport(async () => {
        throw plain;
      }).call('RunInstances'),
    );
    expect(err).toBe(plain);
    expect(Object.keys(err)).toEqual([]);
  });
});

describe('the headers a sender is handed', () => {
  it('are a plain object it can forward: Authorization serialises as it is', async () => {
    let seen: SendRequest | undefined;
    await transport(async (request) => ((seen = request), ok('r-1'))).call('DescribeZones');
    expect(Object.getPrototypeOf(seen!.headers)).toBe(Object.prototype);
    const forwarded = JSON.parse(JSON.stringify(seen!.headers)) as Record<string, string>;
    expect(forwarded['Authorization']).toMatch(/^TC3-HMAC-SHA256 Credential=AKIDexample\/.+, Signature=[0-9a-f]{64}$/);
  });
});

describe('a sleep that fails on its own', () => {
  it('fails the call with its own error, not with undefined', async () => {
    const broken = new Error('the timer service is gone');
    const sender: Sender = async () => {
      throw refused();
    };
    const err = await caught(transport(sender, { sleep: () => Promise.reject(broken) }).call('RunInstances'));
    expect(err).toBe(broken);
  });
});
