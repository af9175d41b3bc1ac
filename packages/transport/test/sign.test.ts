import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isUsageError } from '@x/errors';
import { nodeCrypto } from '../src/crypto-node';
import { webCrypto } from '../src/crypto-web';
import { makeSigning, toHex, toBase64, v1StringToSign, type Tc3SignInput } from '../src/signing';

interface Vectors {
  tc3: {
    name: string;
    input: Tc3SignInput;
    payloadHash?: string;
    canonicalRequestHash?: string;
    signature: string;
    authorization?: string;
    derivedKeys?: Record<string, string>;
  }[];
  v1: { name: string; secretKey: string; stringToSign: string; signature: string; encoded?: string }[];
  hmac: { key: string; data: string; sha1: string; sha256: string };
}
const vectors = JSON.parse(readFileSync(new URL('./fixtures/vectors.json', import.meta.url), 'utf8')) as Vectors;

/** Parses the v1 string to sign back into its parts, so signV1 is tested end to end. */
function v1Input(stringToSign: string) {
  const match = /^(GET|POST)([^/]+)(\/)\?(.*)$/.exec(stringToSign)!;
  const params = Object.fromEntries(match[4]!.split('&').map((kv) => kv.split('=') as [string, string]));
  return { method: match[1] as 'GET' | 'POST', host: match[2]!, path: match[3]!, params };
}

describe.each([
  ['WebCrypto', webCrypto],
  ['node:crypto', nodeCrypto],
])('signing on %s', (_name, primitives) => {
  const signing = makeSigning(primitives);

  it.each(vectors.tc3)('TC3 $name', async (vector) => {
    const result = await signing.signTc3(vector.input);
    expect(result.signature).toBe(vector.signature);
    if (vector.authorization) expect(result.authorization).toBe(vector.authorization);
    if (vector.payloadHash) expect(result.canonicalRequest.split('\n').at(-1)).toBe(vector.payloadHash);
    if (vector.canonicalRequestHash)
      expect(await signing.sha256Hex(result.canonicalRequest)).toBe(vector.canonicalRequestHash);
    // Signing again hits the derived-key cache and must agree.
    expect((await signing.signTc3(vector.input)).signature).toBe(vector.signature);
  });

  it('vector 2: canonical header line and derived keys', async () => {
    const vector = vectors.tc3[1]!;
    const result = await signing.signTc3(vector.input);
    expect(result.canonicalRequest).toContain('x-tc-action:describeinstances\n');
    expect(result.signedHeaders).toBe('content-type;host;x-tc-action');
    const date = toHex(await signing.hmacSha256(`TC3${vector.input.secretKey}`, '2019-02-25'));
    expect(date).toBe(vector.derivedKeys!['secretDate']);
  });

  it('credential scope uses the UTC date (1551113065 is already the 26th in UTC+8)', async () => {
    const result = await signing.signTc3(vectors.tc3[0]!.input);
    expect(result.credentialScope).toBe('2019-02-25/cvm/tc3_request');
    expect(result.stringToSign.split('\n').slice(0, 3)).toEqual([
      'TC3-HMAC-SHA256',
      '1551113065',
      '2019-02-25/cvm/tc3_request',
    ]);
  });

  it('unsigned payload hashes the literal UNSIGNED-PAYLOAD', async () => {
    const result = await signing.signTc3({ ...vectors.tc3[3]!.input, unsignedPayload: true });
    expect(result.canonicalRequest.split('\n').at(-1)).toBe(await signing.sha256Hex('UNSIGNED-PAYLOAD'));
  });

  it.each(vectors.v1)('v1 $name', async (vector) => {
    const input = v1Input(vector.stringToSign);
    expect(v1StringToSign(input)).toBe(vector.stringToSign);
    const signature = await signing.signV1({ ...input, secretKey: vector.secretKey });
    expect(signature).toBe(vector.signature);
    if (vector.encoded) expect(encodeURIComponent(signature)).toBe(vector.encoded);
  });

  it('v1 HmacSHA256 follows SignatureMethod; a Signature param is ignored', async () => {
    const input = v1Input(vectors.v1[0]!.stringToSign);
    const sha1 = await signing.signV1({
      ...input,
      params: { ...input.params, Signature: 'old' },
      secretKey: vectors.v1[0]!.secretKey,
    });
    expect(sha1).toBe(vectors.v1[0]!.signature);
    const sha256 = await signing.signV1({
      ...input,
      params: { ...input.params, SignatureMethod: 'HmacSHA256' },
      secretKey: 'k',
    });
    expect(Buffer.from(sha256, 'base64')).toHaveLength(32);
  });

  it('vector 7: the HMAC primitives', async () => {
    expect(toBase64(await primitives.hmac('SHA-1', vectors.hmac.key, vectors.hmac.data))).toBe(vectors.hmac.sha1);
    expect(toBase64(await signing.hmacSha256(vectors.hmac.key, vectors.hmac.data))).toBe(vectors.hmac.sha256);
  });

  it('refuses bad input with a UsageError naming it', async () => {
    const base = vectors.tc3[3]!.input;
    for (const [patch, argument] of [
      [{ timestamp: 1.5 }, 'timestamp'],
      [{ secretKey: '' }, 'secretKey'],
      [{ service: '' }, 'service'],
    ] as const) {
      const err = await signing.signTc3({ ...base, ...patch }).catch((e: unknown) => e);
      expect(isUsageError(err) && err.argument).toBe(argument);
    }
    const err = await signing
      .signV1({ method: 'GET', host: 'h', params: {}, secretKey: 'k', algorithm: 'MD5' as 'HmacSHA1' })
      .catch((e: unknown) => e);
    expect(isUsageError(err)).toBe(true);
  });
});
