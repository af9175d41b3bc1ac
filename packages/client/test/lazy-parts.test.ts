import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isNetworkError } from '@x/errors';
import { failure } from './failure';
import type { Middleware } from '@x/transport';
import type { Client } from '../src/client';
import { loadForCall, withinCall } from '../src/load-part';

// What a client does not always need loads by import() at first use (dryRun, stream, paging, the
// region breaker: separate chunks in browser bundles). A load that fails is a NetworkError naming
// the part, never the loader's TypeError, and the next use loads again. The modules are replaced
// here to make their load fail.

let server: Server;
let url = '';
let sent = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      sent++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Response: { Error: { Code: 'DryRunOperation', Message: 'ok' }, RequestId: 'r-d' } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => {
  for (const part of ['../src/dry-run', '../src/paginate', '../src/stream-call', '../src/region-breaker'])
    vi.doUnmock(part);
  vi.resetModules();
});

/** The options of every client here: the local server, no retries; `extra` adds or overrides. */
const options = (extra: object) => ({
  service: 'cvm',
  version: '2017-03-12',
  region: 'ap-guangzhou',
  endpoint: url,
  credentials: { secretId: 'AKIDtest', secretKey: 'test-secret-key' },
  retry: false as const,
  ...extra,
});

/** createClient from a fresh module graph where `part` fails to load once; `extra` adds client options. */
async function clientFailingOnce(part: string, extra: { readonly regionFailover?: boolean } = {}) {
  vi.resetModules();
  let attempts = 0;
  vi.doMock(part, async (importOriginal) => {
    if (++attempts === 1) throw new TypeError('Failed to fetch dynamically imported module');
    return importOriginal();
  });
  // client.ts, not the index, which re-exports paginate.ts and region-breaker.ts statically.
  const { createClient } = await import('../src/client');
  const client = createClient(options(extra));
  return { client, attempts: () => attempts };
}

describe('parts of the client that load at first use', () => {
  it('dryRun(): a failed load is a NetworkError that names it, nothing is sent; the next dryRun loads again', async () => {
    const { client, attempts } = await clientFailingOnce('../src/dry-run');
    const before = sent;
    const err = await failure(client.dryRun('RunInstances', {}));
    expect(isNetworkError(err)).toBe(true);
    expect(err).toMatchObject({ mayHaveReachedServer: false });
    expect((err as Error).message).toContain('the code of dryRun() could not be loaded');
    expect(sent).toBe(before);
    await expect(client.dryRun('RunInstances', {})).resolves.toEqual({ dryRun: 'would-succeed', requestId: 'r-d' });
    expect(attempts()).toBe(2);
  });

  it('paginate(): the same at its first iteration', async () => {
    const { client, attempts } = await clientFailingOnce('../src/paginate');
    const pages = client.paginate('DescribeInstances', {}, { items: 'InstanceSet' });
    const err = await failure(pages.toArray());
    expect(isNetworkError(err)).toBe(true);
    expect((err as Error).message).toContain('the code of page walking could not be loaded');
    // The server answers DryRunOperation to everything: an ApiError means the page walking ran.
    await expect(pages.toArray()).rejects.toMatchObject({ code: 'DryRunOperation' });
    expect(attempts()).toBe(2);
  });

  it('stream(): the same', async () => {
    const { client, attempts } = await clientFailingOnce('../src/stream-call');
    const err = await failure(client.stream('ChatCompletions' as never, {}));
    expect(isNetworkError(err)).toBe(true);
    expect((err as Error).message).toContain('the code of stream() could not be loaded');
    await expect(client.stream('ChatCompletions' as never, {})).rejects.toMatchObject({ code: 'DryRunOperation' });
    expect(attempts()).toBe(2);
  });

  it('region failover: a failed load fails that call only; the next call loads the breaker', async () => {
    const { client, attempts } = await clientFailingOnce('../src/region-breaker', { regionFailover: true });
    const err = await failure(client.call('DescribeZones'));
    expect((err as Error).message).toContain('the code of region failover could not be loaded');
    // The server answers DryRunOperation to everything: an ApiError means the call went through the breaker.
    await expect(client.call('DescribeZones')).rejects.toMatchObject({ code: 'DryRunOperation' });
    expect(attempts()).toBe(2);
  });
});

/** A middleware that records the total deadline each call goes on with. */
const recordTotals =
  (totals: unknown[]): Middleware =>
  (next) =>
  (call, context) => {
    totals.push(call.options.totalTimeoutMs);
    return next(call, context);
  };

/** createClient from a fresh module graph where `part` loads after `delayMs`, or never (undefined). */
async function clientWithSlowPart(part: string, delayMs: number | undefined, extra: Record<string, unknown> = {}) {
  vi.resetModules();
  vi.doMock(part, async (importOriginal) => {
    await new Promise((resolve) => delayMs !== undefined && setTimeout(resolve, delayMs));
    return importOriginal();
  });
  const { createClient } = await import('../src/client');
  // A middleware that records the deadline each call reaches the transport with.
  const totals: unknown[] = [];
  const client = createClient(options({ middleware: [recordTotals(totals)], ...extra }));
  return { client, totals };
}

// A load over a stalled network can take minutes in a browser: the call's total deadline and
// its signal bound the wait, as they bound the call (whose own deadlines start when it goes out).
describe('a part that does not load is bounded by the deadline and the signal of the call that needs it', () => {
  const parts = [
    ['dryRun()', '../src/dry-run', {}, (c: Client) => c.dryRun('RunInstances', {}, callOptions)],
    ['stream()', '../src/stream-call', {}, (c: Client) => c.stream('ChatCompletions', {}, callOptions)],
    [
      'page walking',
      '../src/paginate',
      {},
      (c: Client) => c.paginate('DescribeInstances', {}, { items: 'InstanceSet', ...callOptions }).toArray(),
    ],
    ['region failover', '../src/region-breaker', { regionFailover: true }, (c: Client) => c.call('A', {}, callOptions)],
  ] as const;
  let callOptions: { totalTimeoutMs?: number; signal?: AbortSignal } = {};

  it.each(parts)(
    '%s: the total deadline ends the wait with a TimeoutError; nothing is sent',
    async (what, part, extra, use) => {
      const { client } = await clientWithSlowPart(part, undefined, extra);
      callOptions = { totalTimeoutMs: 30 };
      const before = sent;
      const err = await failure(use(client.untyped));
      expect(err).toMatchObject({
        kind: 'timeout',
        scope: 'total',
        timeoutMs: 30,
        mayHaveReachedServer: false,
        waitingFor: `the code of ${what}`,
        service: 'cvm',
        region: 'ap-guangzhou',
      });
      expect((err as Error).message).toContain(`timed out after 30 ms waiting for the code of ${what}`);
      expect(sent).toBe(before);
    },
  );

  it.each(parts)("%s: the caller's signal ends the wait with its reason", async (_what, part, extra, use) => {
    const { client } = await clientWithSlowPart(part, undefined, extra);
    const controller = new AbortController();
    const reason = new Error('the user left');
    callOptions = { signal: controller.signal };
    setTimeout(() => controller.abort(reason), 10);
    await expect(use(client.untyped)).rejects.toBe(reason);
    callOptions = { signal: AbortSignal.abort(reason) };
    await expect(use(client.untyped)).rejects.toBe(reason);
  });

  it.each(parts)(
    '%s: a slow load does not change the deadlines the call goes on with',
    async (_what, part, extra, use) => {
      const { client, totals } = await clientWithSlowPart(part, 40, extra);
      callOptions = { totalTimeoutMs: 5_000 };
      // The server answers DryRunOperation to everything: an ApiError means the call went out.
      await use(client.untyped).catch((err: unknown) => expect(err).toMatchObject({ code: 'DryRunOperation' }));
      // (The breaker is the innermost middleware: the recording one sees its call before it loads.)
      expect(totals).toEqual([5_000]);
    },
  );

  it.each(parts)(
    "%s: the client's totalTimeoutMs is the deadline when the call sets none",
    async (_what, part, extra, use) => {
      const { client } = await clientWithSlowPart(part, undefined, { totalTimeoutMs: 25, ...extra });
      callOptions = {};
      await expect(use(client.untyped)).rejects.toMatchObject({ scope: 'total', timeoutMs: 25 });
    },
  );
});

describe('withinCall', () => {
  const context = { service: 'cvm', action: 'RunInstances' };
  const slowPart = () => new Promise<string>((resolve) => setTimeout(() => resolve('part'), 40));

  it.each([0, -1, 2 ** 31, Number.NaN, Number.POSITIVE_INFINITY, '20', true])(
    'a total the transport refuses (%s) sets no deadline here: the part loads, the call refuses it after',
    async (total) => {
      const options = { totalTimeoutMs: total as number };
      await expect(withinCall(slowPart, 'stream()', { options, clientTotalMs: undefined, context })).resolves.toBe(
        'part',
      );
    },
  );

  it('the longest total a timer can wait (2^31 - 1 ms) is a deadline', async () => {
    vi.useFakeTimers();
    try {
      const options = { totalTimeoutMs: 2 ** 31 - 1 };
      const waiting = withinCall(() => new Promise(() => {}), 'stream()', {
        options,
        clientTotalMs: undefined,
        context,
      });
      const failed = waiting.catch((err: unknown) => err);
      await vi.advanceTimersByTimeAsync(2 ** 31 - 1);
      expect(await failed).toMatchObject({ kind: 'timeout', scope: 'total', timeoutMs: 2 ** 31 - 1 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('leaves no timer behind once the part is there', async () => {
    vi.useFakeTimers();
    try {
      const before = vi.getTimerCount();
      const options = { totalTimeoutMs: 60_000 };
      const part = withinCall(() => Promise.resolve('part'), 'stream()', {
        options,
        clientTotalMs: undefined,
        context,
      });
      await expect(part).resolves.toBe('part');
      expect(vi.getTimerCount()).toBe(before);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('a call whose signal aborted already', () => {
  it('loads nothing for it: its reason at once', async () => {
    let loads = 0;
    const reason = new Error('stopped');
    const options = { signal: AbortSignal.abort(reason) };
    const waiting = loadForCall(
      () => {
        loads++;
        return Promise.resolve('part');
      },
      'stream()',
      { options, clientTotalMs: undefined, context: {} },
    );
    await expect(waiting).rejects.toBe(reason);
    expect(loads).toBe(0);
  });

  it('region failover whose breaker then fails to load leaves no unhandled rejection; the next call gets the failure', async () => {
    const unhandled: unknown[] = [];
    const listener = (why: unknown) => unhandled.push(why);
    process.on('unhandledRejection', listener);
    try {
      const { client } = await clientFailingOnce('../src/region-breaker', { regionFailover: true });
      const reason = new Error('stopped');
      await expect(client.call('DescribeZones', {}, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
      await new Promise((resolve) => setTimeout(resolve, 30));
      // The load failed meanwhile: the next call tries again and goes through the breaker.
      await expect(client.call('DescribeZones')).rejects.toMatchObject({ code: 'DryRunOperation' });
    } finally {
      process.off('unhandledRejection', listener);
    }
    expect(unhandled).toEqual([]);
  });
});
