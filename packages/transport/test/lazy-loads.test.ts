import { afterEach, describe, expect, it, vi } from 'vitest';
import { isApiError, isNetworkError } from '@x/errors';
import type { ResponseLike } from '@x/envelope';
import type * as Failure from '../src/failure';
import type * as NodeEntry from '../src/index.node';
import type * as LogLine from '../src/log-line';
import type { Sender, TransportOptions } from '../src/index.node';
import { refused, scriptedCredentials } from './m-scripted';

// What only a failed attempt runs (failure.ts: the retry decision, the clock correction) loads by
// import() at the first failure; the universal entry starts loading it when its first request goes
// out. The module is replaced here to see when it loads and to make its load fail.
afterEach(() => {
  vi.doUnmock('../src/failure');
  vi.resetModules();
});

/** A fresh module graph whose failure.ts fails to load `failures` times first; `loads` counts the attempts. */
async function entryWith(entry: 'index' | 'index.node', failures = 0) {
  vi.resetModules();
  const loads = { attempts: 0 };
  vi.doMock('../src/failure', async (importOriginal) => {
    loads.attempts++;
    if (loads.attempts <= failures) throw new Error('the chunk could not be fetched');
    return importOriginal<typeof Failure>();
  });
  const module = (await (entry === 'index' ? import('../src/index') : import('../src/index.node'))) as typeof NodeEntry;
  return { createTransport: module.createTransport, loads };
}

const utf8 = new TextEncoder();
function answer(body: object, headers: Record<string, string> = {}): ResponseLike {
  const all: Record<string, string> = { 'content-type': 'application/json', ...headers };
  return {
    status: 200,
    headers: { get: (name) => all[name.toLowerCase()] ?? null },
    body: [utf8.encode(JSON.stringify(body))],
  };
}

/** A sender that answers from `script` in turn (an Error is thrown), counting requests. */
function scripted(...script: (() => ResponseLike | Error)[]) {
  let sent = 0;
  const sender: Sender = () => {
    const step = script[Math.min(sent++, script.length - 1)]!();
    return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
  };
  return { sender, sent: () => sent };
}

const options = (sender: Sender, extra: Partial<TransportOptions> = {}): TransportOptions => ({
  service: 'cvm',
  version: '2017-03-12',
  region: 'ap-guangzhou',
  endpoint: 'http://127.0.0.1:9',
  credentials: scriptedCredentials,
  sender,
  sleep: () => Promise.resolve(),
  ...extra,
});
const ok = () => answer({ Response: { RequestId: 'r-ok' } });

describe('the failure path loads at the first failure', () => {
  it('Node entry: not for calls that succeed; at the first failure, once, and the call is retried', async () => {
    const { createTransport, loads } = await entryWith('index.node');
    const { sender, sent } = scripted(ok, refused, ok);
    const transport = createTransport(options(sender));
    await transport.call('DescribeRegions');
    expect(loads.attempts).toBe(0);
    const retried = await transport.call('DescribeRegions');
    expect(retried.attempts).toBe(2);
    expect(sent()).toBe(3);
    await transport.call('DescribeRegions');
    expect(loads.attempts).toBe(1);
  });

  it('universal entry: it starts loading when the first request goes out, before any failure', async () => {
    const { createTransport, loads } = await entryWith('index');
    const { sender } = scripted(ok);
    const transport = createTransport(options(sender));
    expect(loads.attempts).toBe(0);
    await transport.call('DescribeRegions');
    await vi.waitFor(() => expect(loads.attempts).toBe(1));
    await transport.call('DescribeRegions');
    expect(loads.attempts).toBe(1);
  });

  it('a failed load ends the call with its own error, stamped and not retried; the next failure loads again', async () => {
    const { createTransport, loads } = await entryWith('index.node', 1);
    const { sender, sent } = scripted(refused);
    const transport = createTransport(options(sender));
    const err = await transport.call('DescribeRegions').catch((e: unknown) => e);
    expect(isNetworkError(err)).toBe(true);
    expect(err).toMatchObject({ detail: 'connection refused', attempts: 1, action: 'DescribeRegions', service: 'cvm' });
    expect(sent()).toBe(1);
    const again = await transport.call('DescribeRegions').catch((e: unknown) => e);
    expect(again).toMatchObject({ attempts: 3 });
    expect(sent()).toBe(4);
    expect(loads.attempts).toBe(2);
  });

  it('an ApiError answer without the failure path: no clock correction, the ApiError ends the call', async () => {
    const { createTransport } = await entryWith('index.node', 1);
    const expired = () =>
      answer(
        { Response: { Error: { Code: 'AuthFailure.SignatureExpire', Message: 'expired' }, RequestId: 'r-x' } },
        { date: new Date(Date.now() + 3_600_000).toUTCString() },
      );
    const { sender, sent } = scripted(expired, ok);
    const transport = createTransport(options(sender));
    const err = await transport.call('DescribeRegions').catch((e: unknown) => e);
    expect(isApiError(err, 'AuthFailure.SignatureExpire')).toBe(true);
    expect(err).toMatchObject({ requestId: 'r-x', attempts: 1 });
    expect(transport.clockOffsetMs).toBe(0);
    expect(sent()).toBe(1);
    // Loaded now: the same answer corrects the clock and the call signs again.
    const { sender: second, sent: sentAgain } = scripted(expired, ok);
    const corrected = createTransport(options(second));
    await expect(corrected.call('DescribeRegions')).resolves.toMatchObject({ attempts: 2 });
    expect(corrected.clockOffsetMs).toBeGreaterThan(3_500_000);
    expect(sentAgain()).toBe(2);
  });
});

// The redaction of debug lines (log-line.ts, with the redaction code of @x/errors) loads with the
// first debug line: a transport without a debug logger never loads it.
describe('debug lines load their redaction with the first line', () => {
  afterEach(() => {
    vi.doUnmock('../src/log-line');
  });

  async function transportWith(failures: number) {
    vi.resetModules();
    const loads = { attempts: 0 };
    vi.doMock('../src/log-line', async (importOriginal) => {
      loads.attempts++;
      if (loads.attempts <= failures) throw new Error('the chunk could not be fetched');
      return importOriginal<typeof LogLine>();
    });
    const { createTransport } = await import('../src/index.node');
    return { createTransport, loads };
  }

  it('not without a debug logger (a warn-only logger included); with one, once', async () => {
    const { createTransport, loads } = await transportWith(0);
    const warnings: string[] = [];
    await createTransport(options(scripted(ok).sender, { logger: { warn: (l) => warnings.push(l) } })).call('A');
    expect(loads.attempts).toBe(0);
    const lines: string[] = [];
    const logged = createTransport(options(scripted(ok).sender, { logger: { debug: (l) => lines.push(l) } }));
    await logged.call('DescribeRegions');
    await logged.call('DescribeRegions');
    expect(loads.attempts).toBe(1);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^→ POST http:\/\/127\.0\.0\.1:9 cvm:DescribeRegions attempt 1 \{.*"Authorization":"\[REDACTED\]"/,
    );
    expect(lines[1]).toMatch(/^← 200 ok RequestId r-ok in \d+ ms$/);
  });

  it('a load that fails drops the lines (never written unredacted); the call goes on; the next line loads again', async () => {
    const { createTransport, loads } = await transportWith(2);
    const lines: string[] = [];
    const transport = createTransport(options(scripted(ok).sender, { logger: { debug: (l) => lines.push(l) } }));
    await expect(transport.call('DescribeRegions')).resolves.toMatchObject({ requestId: 'r-ok' });
    expect(lines).toEqual([]);
    await transport.call('DescribeRegions');
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toContain(scriptedCredentials.secretKey);
    expect(loads.attempts).toBe(3);
  });
});
