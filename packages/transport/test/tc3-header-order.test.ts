import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as nodeSign from '@x/transport/sign';
import * as webSign from '../src/sign';

const hex = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** TC3-HMAC-SHA256 written out from the spec with node:crypto, headers sorted by lower-case name. */
function reference(headers: Record<string, string>, timestamp: number, secretKey: string) {
  const lines = new Map<string, string>([
    ['content-type', 'application/json; charset=utf-8'],
    ['host', 'cvm.tencentcloudapi.com'],
  ]);
  for (const [name, value] of Object.entries(headers)) lines.set(name.toLowerCase(), value.toLowerCase());
  const names = [...lines.keys()].sort();
  const signedHeaders = names.join(';');
  const canonical = [
    'POST',
    '/',
    '',
    names.map((n) => `${n}:${lines.get(n)}\n`).join(''),
    signedHeaders,
    hex('{}'),
  ].join('\n');
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const stringToSign = ['TC3-HMAC-SHA256', String(timestamp), `${date}/cvm/tc3_request`, hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(`TC3${secretKey}`, date), 'cvm'), 'tc3_request');
  return { signedHeaders, signature: createHmac('sha256', key).update(stringToSign).digest('hex') };
}

const base = {
  method: 'POST' as const,
  host: 'cvm.tencentcloudapi.com',
  contentType: 'application/json; charset=utf-8',
  payload: '{}',
  service: 'cvm',
  timestamp: 1_700_000_000,
  secretId: 'AKIDexample',
  secretKey: 'example-secret-key',
};

describe.each([
  ['@x/transport/sign (node:crypto)', nodeSign.signTc3],
  ['the universal build (WebCrypto)', webSign.signTc3],
])('signTc3 of %s signs header names in sorted order', (_name, signTc3) => {
  it('whatever order the extra headers are given in', async () => {
    // X-TC-Timestamp before X-TC-Action: unsorted, the names would read ...;x-tc-timestamp;x-tc-action.
    const headers = { 'X-TC-Timestamp': '1700000000', 'X-TC-Action': 'DescribeInstances' };
    const result = await signTc3({ ...base, headers });
    const expected = reference(headers, base.timestamp, base.secretKey);
    expect(result.signedHeaders).toBe('content-type;host;x-tc-action;x-tc-timestamp');
    expect(result.signedHeaders).toBe(expected.signedHeaders);
    expect(result.signature).toBe(expected.signature);
    expect(result.authorization).toContain('SignedHeaders=content-type;host;x-tc-action;x-tc-timestamp,');
    expect(result.canonicalRequest.indexOf('x-tc-action:')).toBeLessThan(
      result.canonicalRequest.indexOf('x-tc-timestamp:'),
    );
  });

  it('gives the same signature for every order of the same headers', async () => {
    const entries: [string, string][] = [
      ['X-TC-Version', '2017-03-12'],
      ['X-TC-Action', 'DescribeInstances'],
      ['X-TC-Region', 'ap-guangzhou'],
      ['A-First', 'x'],
    ];
    const signatures = new Set<string>();
    for (let i = 0; i < entries.length; i++) {
      const rotated = [...entries.slice(i), ...entries.slice(0, i)];
      signatures.add((await signTc3({ ...base, headers: Object.fromEntries(rotated) })).signature);
      signatures.add((await signTc3({ ...base, headers: Object.fromEntries(rotated.reverse()) })).signature);
    }
    expect([...signatures]).toEqual([reference(Object.fromEntries(entries), base.timestamp, base.secretKey).signature]);
  });
});
