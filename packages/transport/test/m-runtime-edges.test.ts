// Three edges the round-4 mutation run of the attempt files left open: an unsigned call logged at
// debug level, an attempt whose own deadline is the call's to the millisecond, and the Node
// built-ins loaded on a Node without process.getBuiltinModule (before 20.16).
import type { CallContext } from '@x/errors';
import type { ResponseLike } from '@x/envelope';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Attempt } from '../src/deadline';
import { createTransport, type Sender, type SendRequest } from '../src/index.node';

const context: CallContext = {
  service: 'sts',
  version: '2018-08-13',
  action: 'AssumeRoleWithWebIdentity',
  region: 'ap-guangzhou',
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('an unsigned call at debug level', () => {
  it('logs its request and answer with no credentials asked', async () => {
    const lines: string[] = [];
    const sent: SendRequest[] = [];
    const sender: Sender = async (request) => {
      sent.push(request);
      const answer: ResponseLike = {
        status: 200,
        headers: { get: (n) => (n.toLowerCase() === 'content-type' ? 'application/json' : null) },
        body: [new TextEncoder().encode('{"Response":{"RequestId":"u-1"}}')],
      };
      return answer;
    };
    const t = createTransport({
      service: 'sts',
      version: '2018-08-13',
      region: 'ap-guangzhou',
      endpoint: 'http://127.0.0.1:9',
      sender,
      logger: { debug: (line) => lines.push(line) },
    });
    const result = await t.call('AssumeRoleWithWebIdentity', {}, { auth: 'skip' });
    expect(result.requestId).toBe('u-1');
    expect(sent[0]!.headers['Authorization']).toBe('SKIP');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^→ POST http:\/\/127\.0\.0\.1:9 sts:AssumeRoleWithWebIdentity attempt 1 /);
  });
});

describe('an attempt deadline equal to the call’s', () => {
  it('is reported as the call’s total timeout', async () => {
    vi.spyOn(Date, 'now').mockReturnValue(1_000_000);
    const attempt = new Attempt({ attemptMs: 40, totalMs: 900, context, signal: undefined }, 1_000_040);
    vi.restoreAllMocks();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(attempt.reason).toMatchObject({ scope: 'total', timeoutMs: 900 });
    attempt.end();
  });
});

describe('Node built-ins without process.getBuiltinModule', () => {
  it('are loaded through a require made for the module', async () => {
    const proc = process as { getBuiltinModule?: unknown };
    const original = proc.getBuiltinModule;
    delete proc.getBuiltinModule;
    try {
      vi.resetModules();
      const fresh = await import('../src/node-builtins');
      expect(fresh.nodeCrypto().createHash('sha256').update('x').digest('hex')).toBe(
        '2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881',
      );
      expect(typeof fresh.nodeNet().connect).toBe('function');
    } finally {
      proc.getBuiltinModule = original;
      vi.resetModules();
    }
  });
});
