// The per-name and per-value caches of the HTTP/1.1 parsers (kept for CPU per call) never let a
// name or value through that the uncached checks refuse, whatever was seen before and however
// many names a server or a caller invents.
import fc from 'fast-check';
import { fuzzRuns } from '@x/test-support';
import { UsageError } from '@x/errors';
import { describe, expect, it } from 'vitest';
import { keepsAlive, parseResponseHead, ProtocolError, serverKeepAliveMs } from '../src/http1/head';
import { requestHead } from '../src/http1/request';

const head = (lines: string[]) => parseResponseHead(['HTTP/1.1 200 OK', ...lines].join('\r\n'));

describe('response header names, checked once per name', () => {
  it('a name refused stays refused after valid names were cached, and before the cache is full or after', () => {
    expect(head(['Content-Type: a']).headers.get('content-type')).toBe('a');
    expect(() => head(['Content-Type : a'])).toThrow(ProtocolError);
    // 600 invented names fill the cache past its bound: later ones are still checked.
    for (let i = 0; i < 600; i++) expect(head([`X-Invented-${i}: v`]).headers.get(`x-invented-${i}`)).toBe('v');
    expect(() => head(['X-Invented-700\u00a0: v'])).toThrow(ProtocolError);
    expect(() => head(['Bad Name: v'])).toThrow(ProtocolError);
    expect(head(['X-Invented-900: w']).headers.get('x-invented-900')).toBe('w');
  });

  it('a cached name with a control character in its value is still refused', () => {
    expect(head(['X-A: 1']).headers.get('x-a')).toBe('1');
    expect(() => head(['X-A: 1\u0000'])).toThrow(ProtocolError);
    expect(() => head(['X-A: \r1'])).toThrow(ProtocolError);
  });

  it('fuzz: the outcome for a name never depends on the names seen before', () => {
    const name = fc.string({
      minLength: 1,
      maxLength: 6,
      unit: fc.constantFrom('A', 'a', '-', ' ', '\t', '\u00a0', '\u0000', '@', '(', 'x'),
    });
    fc.assert(
      fc.property(fc.array(name, { maxLength: 5 }), name, (before, probe) => {
        const outcome = () => {
          try {
            return head([`${probe}: v`]).headers.get(probe.toLowerCase()) ?? 'missing';
          } catch (err) {
            return err instanceof ProtocolError ? 'refused' : `other ${String(err)}`;
          }
        };
        const fresh = outcome();
        for (const seen of before) {
          try {
            head([`${seen}: v`]);
          } catch {
            // refused names are not cached
          }
        }
        expect(outcome()).toBe(fresh);
        expect(fresh === 'refused' || fresh === 'v').toBe(true);
      }),
      { numRuns: fuzzRuns(10_000) },
    );
  }, 60_000);
});

describe('Connection and Keep-Alive values, parsed once per value', () => {
  it('alternating values give each its own answer', () => {
    for (let i = 0; i < 3; i++) {
      expect(keepsAlive(head(['Connection: close']))).toBe(false);
      expect(keepsAlive(head(['Connection: keep-alive']))).toBe(true);
      expect(keepsAlive(parseResponseHead('HTTP/1.0 200 OK\r\nConnection: keep-alive'))).toBe(true);
      expect(keepsAlive(parseResponseHead('HTTP/1.0 200 OK\r\nConnection: close'))).toBe(false);
      expect(keepsAlive(head([]))).toBe(true);
      expect(serverKeepAliveMs(head(['Keep-Alive: timeout=5']))).toBe(5000);
      expect(serverKeepAliveMs(head(['Keep-Alive: max=5']))).toBeUndefined();
      expect(serverKeepAliveMs(head(['Keep-Alive: timeout=60']))).toBe(60_000);
      expect(serverKeepAliveMs(head([]))).toBeUndefined();
    }
  });
});

describe('request header names, checked once per name', () => {
  it('a framing header or a bad name is refused whatever was sent before, past the cache bound too', () => {
    for (let i = 0; i < 600; i++)
      expect(requestHead('POST', '/', 'h', { [`X-Name-${i}`]: 'v' }, '')).toContain(`X-Name-${i}: v\r\n`);
    for (const name of ['Transfer-Encoding', 'content-length', 'Bad Name', 'X-Name-1\u0000']) {
      expect(() => requestHead('POST', '/', 'h', { [name]: 'v' }, '')).toThrow(UsageError);
    }
    expect(() => requestHead('POST', '/', 'h', { 'X-Name-1': 'a\r\nInjected: 1' }, '')).toThrow(UsageError);
  });
});
