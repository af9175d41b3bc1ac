import { afterEach, describe, expect, it, vi } from 'vitest';
import { isApiError } from '@x/errors';
import type { ResponseLike } from '@x/envelope';
import type * as LogLine from '../src/log-line';
import type { Sender } from '../src/index.node';
import { scriptedCredentials, scriptedOptions } from './m-scripted';

// The redaction of debug lines (log-line.ts, with the redaction code of @x/errors) loads by
// import() before the first request line: a transport without a debug logger never loads it. The
// module is replaced here to see when it loads, to make its load fail and to make it slow.
afterEach(() => {
  vi.doUnmock('../src/log-line');
  vi.resetModules();
});

/** createTransport from a fresh module graph whose log-line.ts fails to load `failures` times first, each load taking `delayMs`. */
async function transportWith(failures: number, delayMs = 0) {
  vi.resetModules();
  const loads = { attempts: 0 };
  vi.doMock('../src/log-line', async (importOriginal) => {
    loads.attempts++;
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (loads.attempts <= failures) throw new Error('the chunk could not be fetched');
    return importOriginal<typeof LogLine>();
  });
  const { createTransport } = await import('../src/index.node');
  return { createTransport, loads };
}

const utf8 = new TextEncoder();
function answer(body: object): ResponseLike {
  const all: Record<string, string> = { 'content-type': 'application/json' };
  return {
    status: 200,
    headers: { get: (name) => all[name.toLowerCase()] ?? null },
    body: [utf8.encode(JSON.stringify(body))],
  };
}

/** A sender that answers `body` to every request, counting them. */
function answering(body: object) {
  let sent = 0;
  const sender: Sender = () => {
    sent++;
    return Promise.resolve(answer(body));
  };
  return { sender, sent: () => sent };
}

const options = scriptedOptions;
const ok = { Response: { RequestId: 'r-ok' } };

describe('debug lines load their redaction before the first request line', () => {
  it('not without a debug logger (a warn-only logger included); with one, once', async () => {
    const { createTransport, loads } = await transportWith(0);
    const warnings: string[] = [];
    await createTransport(options(answering(ok).sender, { logger: { warn: (l) => warnings.push(l) } })).call('A');
    expect(loads.attempts).toBe(0);
    const lines: string[] = [];
    const logged = createTransport(options(answering(ok).sender, { logger: { debug: (l) => lines.push(l) } }));
    await logged.call('DescribeRegions');
    await logged.call('DescribeRegions');
    expect(loads.attempts).toBe(1);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /^→ POST http:\/\/127\.0\.0\.1:9 cvm:DescribeRegions attempt 1 \{.*"Authorization":"\[REDACTED\]"/,
    );
    expect(lines[1]).toMatch(/^← 200 ok RequestId r-ok in \d+ ms$/);
  });

  it('a load that fails drops the lines (never written unredacted); the call goes on; the next request loads again', async () => {
    const { createTransport, loads } = await transportWith(1);
    const lines: string[] = [];
    const transport = createTransport(options(answering(ok).sender, { logger: { debug: (l) => lines.push(l) } }));
    await expect(transport.call('DescribeRegions')).resolves.toMatchObject({ requestId: 'r-ok' });
    expect(lines).toEqual([]);
    await transport.call('DescribeRegions');
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toContain(scriptedCredentials.secretKey);
    expect(loads.attempts).toBe(2);
  });

  it('a slow load never turns a complete answer into a timeout: the error answer comes back as its ApiError', async () => {
    // The load (60 ms) outlasts the attempt (20 ms): the first attempt times out before sending,
    // the next one finds the lines loaded, and its answer is reported as the server gave it.
    const { createTransport } = await transportWith(0, 60);
    const failed = { Response: { Error: { Code: 'InvalidParameter', Message: 'bad' }, RequestId: 'r-bad' } };
    const { sender, sent } = answering(failed);
    const lines: string[] = [];
    const transport = createTransport(
      options(sender, { logger: { debug: (l) => lines.push(l) }, timeoutMs: 20, retry: { maxAttempts: 5 } }),
    );
    const err = await transport.call('RunInstances').catch((e: unknown) => e);
    expect(isApiError(err, 'InvalidParameter')).toBe(true);
    expect(err).toMatchObject({ requestId: 'r-bad' });
    expect(sent()).toBe(1);
    // One request line: the attempt that timed out sent nothing and logged nothing.
    expect(lines.filter((line) => line.startsWith('→'))).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/^← 200 InvalidParameter RequestId r-bad/);
  });
});
