// TC3 signing's edges (input checks, the date and key caches, header canonicalisation), the two
// hash back ends agreeing byte for byte, and the entries (`@x/transport`, its Node twin, `/sign`)
// wiring the right pieces.
import { createHash, createHmac } from 'node:crypto';
import { UsageError } from '@x/errors';
import { describe, expect, it } from 'vitest';
import { toBase64, toHex, utf8 } from '../src/crypto';
import { nodeCrypto } from '../src/crypto-node';
import { webCrypto } from '../src/crypto-web';
import * as universal from '../src/index';
import * as nodeEntry from '../src/index.node';
import { nodeCrypto as loadNodeCrypto, nodeNet, nodeTls } from '../src/node-builtins';
import * as signWeb from '../src/sign';
import * as signNode from '../src/sign.node';
import { checkedSignTc3, makeSignTc3, makeTc3Signer, utcDate, type Tc3SignInput } from '../src/tc3';

const input: Tc3SignInput = {
  method: 'POST',
  host: 'cvm.tencentcloudapi.com',
  contentType: 'application/json; charset=utf-8',
  payload: '{"Limit":1}',
  service: 'cvm',
  timestamp: 1551113065,
  secretId: 'AKIDexample',
  secretKey: 'secret-key-m-signing',
};

/** TC3 written out from the spec with node:crypto, as the reference. */
function reference(sign: Tc3SignInput, headerLines: string, signedHeaders: string): string {
  const sha = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const canonical = [
    sign.method,
    sign.path ?? '/',
    sign.query ?? '',
    headerLines,
    signedHeaders,
    sign.unsignedPayload ? sha('UNSIGNED-PAYLOAD') : sha(sign.payload),
  ].join('\n');
  const date = new Date(sign.timestamp * 1000).toISOString().slice(0, 10);
  const scope = `${date}/${sign.service}/tc3_request`;
  const toSign = ['TC3-HMAC-SHA256', String(sign.timestamp), scope, sha(canonical)].join('\n');
  const key = hmac(hmac(hmac(`TC3${sign.secretKey}`, date), sign.service), 'tc3_request');
  return createHmac('sha256', key).update(toSign).digest('hex');
}

describe('the cache of derived signing keys', () => {
  // A signature takes 1 hmac with a cached key, 4 when the key (3 hmacs) is derived first.
  function counting() {
    const keyDerivations: string[] = [];
    const primitives = {
      sha256Hex: (data: string | Uint8Array) => nodeCrypto.sha256Hex(data),
      hmac: (algorithm: 'SHA-256' | 'SHA-1', key: string | Uint8Array, data: string) => {
        if (typeof key === 'string') keyDerivations.push(key.slice('TC3'.length));
        return nodeCrypto.hmac(algorithm, key, data);
      },
    };
    return { sign: makeTc3Signer(primitives), keyDerivations };
  }

  it('derives a key once per secret, service and day', async () => {
    const { sign, keyDerivations } = counting();
    await sign(input);
    await sign({ ...input, timestamp: input.timestamp + 60 });
    expect(keyDerivations).toEqual([input.secretKey]);
    await sign({ ...input, service: 'cbs' });
    await sign({ ...input, timestamp: input.timestamp + 86_400 });
    expect(keyDerivations).toHaveLength(3);
  });

  it('keeps 64 keys: a key is kept while fewer are cached, the oldest goes when a 65th comes', async () => {
    const { sign, keyDerivations } = counting();
    await sign({ ...input, secretKey: 'A' });
    await sign({ ...input, secretKey: 'B' });
    await sign({ ...input, secretKey: 'A' });
    expect(keyDerivations).toEqual(['A', 'B']);
    for (let i = 0; i < 62; i++) await sign({ ...input, secretKey: `k-${i}` });
    await sign({ ...input, secretKey: 'A' }); // 64 cached: A still there
    expect(keyDerivations.filter((key) => key === 'A')).toHaveLength(1);
    await sign({ ...input, secretKey: 'k-last' }); // the 65th: A, the oldest, goes
    await sign({ ...input, secretKey: 'A' });
    expect(keyDerivations.filter((key) => key === 'A')).toHaveLength(2);
  });
});

describe.each([
  ['WebCrypto', webCrypto],
  ['node:crypto', nodeCrypto],
])('signTc3 on %s', (_name, primitives) => {
  const signTc3 = makeSignTc3(primitives);

  it('canonicalises extra headers: names and values trimmed and lowercased, sorted', async () => {
    const result = await signTc3({
      ...input,
      host: ' CVM.TencentCloudAPI.com ',
      contentType: ' Application/JSON; charset=utf-8 ',
      headers: { ' X-TC-Action ': ' DescribeInstances ', 'X-TC-Region': 'AP-Guangzhou' },
    });
    const lines =
      'content-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\nx-tc-action:describeinstances\nx-tc-region:ap-guangzhou\n';
    expect(result.signedHeaders).toBe('content-type;host;x-tc-action;x-tc-region');
    expect(result.canonicalRequest).toBe(
      [
        'POST',
        '/',
        '',
        lines,
        'content-type;host;x-tc-action;x-tc-region',
        createHash('sha256').update(input.payload).digest('hex'),
      ].join('\n'),
    );
    expect(result.signature).toBe(reference({ ...input }, lines, 'content-type;host;x-tc-action;x-tc-region'));
  });

  it('a GET signs its path and query', async () => {
    const get = { ...input, method: 'GET' as const, path: '/', query: 'Limit=1&Offset=0', payload: '' };
    const result = await signTc3(get);
    expect(result.canonicalRequest.split('\n').slice(0, 3)).toEqual(['GET', '/', 'Limit=1&Offset=0']);
    const lines = 'content-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n';
    expect(result.signature).toBe(reference(get, lines, 'content-type;host'));
  });

  it('signs each day with its own date and each secret with its own key (the caches never mix them)', async () => {
    const lines = 'content-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n';
    const cases: Tc3SignInput[] = [
      input,
      { ...input, timestamp: input.timestamp + 86_400 },
      input,
      { ...input, secretKey: 'another-secret' },
      { ...input, service: 'cbs' },
      { ...input, timestamp: 0 },
    ];
    for (const one of cases) {
      const result = await signTc3(one);
      expect(result.signature).toBe(reference(one, lines, 'content-type;host'));
      expect(result.credentialScope).toBe(
        `${new Date(one.timestamp * 1000).toISOString().slice(0, 10)}/${one.service}/tc3_request`,
      );
      expect(result.authorization).toBe(
        `TC3-HMAC-SHA256 Credential=AKIDexample/${result.credentialScope}, SignedHeaders=content-type;host, Signature=${result.signature}`,
      );
    }
  });

  it('keeps signing right past its key cache (64 secrets), the first again included', async () => {
    const lines = 'content-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n';
    for (let i = 0; i < 66; i++) await signTc3({ ...input, secretKey: `k-${i}` });
    const again = { ...input, secretKey: 'k-0' };
    expect((await signTc3(again)).signature).toBe(reference(again, lines, 'content-type;host'));
  });

  it.each([
    [{ timestamp: -1 }, 'timestamp', 'timestamp: must be whole unix seconds, got -1'],
    [{ timestamp: 1.5 }, 'timestamp', 'timestamp: must be whole unix seconds, got 1.5'],
    [{ timestamp: Number.NaN }, 'timestamp', 'timestamp: must be whole unix seconds, got NaN'],
    [{ timestamp: 253_402_300_800 }, 'timestamp', 'timestamp: must be whole unix seconds, got 253402300800'],
    [{ host: '' }, 'host', 'host: must be a non-empty string'],
    [{ service: 7 }, 'service', 'service: must be a non-empty string'],
    [{ secretId: '' }, 'secretId', 'secretId: must be a non-empty string'],
    [{ secretKey: undefined }, 'secretKey', 'secretKey: must be a non-empty string'],
    [{ contentType: '' }, 'contentType', 'contentType: must be a non-empty string'],
  ])('refuses %o', async (patch, argument, message) => {
    const err = await signTc3({ ...input, ...(patch as object) } as Tc3SignInput).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err).toMatchObject({ argument, message });
  });

  it("the transport's unchecked signer signs the same; the check wraps it without changing a byte", async () => {
    const unchecked = makeTc3Signer(primitives);
    const checked = checkedSignTc3(unchecked);
    const given = { ...input, headers: { 'X-TC-Action': 'DescribeInstances' } };
    const expected = await signTc3(given);
    expect(await unchecked(given)).toEqual(expected);
    expect(await checked(given)).toEqual(expected);
    // The wrapper refuses before the signer runs; the signer alone does not check.
    const calls: Tc3SignInput[] = [];
    const spy = checkedSignTc3(async (signed) => (calls.push(signed), unchecked(signed)));
    await expect(spy({ ...input, host: '' })).rejects.toBeInstanceOf(UsageError);
    expect(calls).toHaveLength(0);
    await expect(unchecked({ ...input, host: '' })).resolves.toMatchObject({ signedHeaders: 'content-type;host' });
  });

  it('hmac SHA-1 and SHA-256 of the same key bytes each give their own digest (the key cache is per hash)', async () => {
    const key = new Uint8Array([1, 2, 3, 4]);
    const keyText = 'text key';
    for (let round = 0; round < 2; round++) {
      expect(toHex(await primitives.hmac('SHA-256', key, 'data'))).toBe(
        createHmac('sha256', Buffer.from(key)).update('data').digest('hex'),
      );
      expect(toHex(await primitives.hmac('SHA-1', key, 'data'))).toBe(
        createHmac('sha1', Buffer.from(key)).update('data').digest('hex'),
      );
      expect(toHex(await primitives.hmac('SHA-1', keyText, 'dätä'))).toBe(
        createHmac('sha1', keyText).update('dätä', 'utf8').digest('hex'),
      );
    }
    expect(await primitives.sha256Hex(new Uint8Array([0, 255]))).toBe(
      createHash('sha256')
        .update(Buffer.from([0, 255]))
        .digest('hex'),
    );
    expect(await primitives.sha256Hex('ü')).toBe(createHash('sha256').update('ü', 'utf8').digest('hex'));
  });
});

describe('encoding helpers', () => {
  it('toHex, toBase64 and utf8 over every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(toHex(all)).toBe(Buffer.from(all).toString('hex'));
    expect(toBase64(all)).toBe(Buffer.from(all).toString('base64'));
    expect(toHex(new Uint8Array())).toBe('');
    expect([...utf8('é€')]).toEqual([...Buffer.from('é€', 'utf8')]);
  });

  it('utcDate is the UTC day of a timestamp, across day changes in both directions', () => {
    expect(utcDate(1551113065)).toBe('2019-02-25');
    expect(utcDate(1551139200)).toBe('2019-02-26');
    expect(utcDate(1551139199)).toBe('2019-02-25');
    expect(utcDate(0)).toBe('1970-01-01');
  });
});

describe('entries', () => {
  it('`/sign` on both back ends signs alike and exposes the same names', async () => {
    for (const name of ['primitives', 'signTc3', 'signV1', 'sha256Hex', 'hmacSha256'] as const) {
      expect(typeof signWeb[name], name).not.toBe('undefined');
      expect(typeof signNode[name], name).not.toBe('undefined');
    }
    const a = await signWeb.signTc3(input);
    const b = await signNode.signTc3(input);
    expect(a).toEqual(b);
    expect(await signWeb.sha256Hex('x')).toBe(await signNode.sha256Hex('x'));
  });

  it('node-builtins load the modules once, on first use', () => {
    expect(typeof loadNodeCrypto().createHash).toBe('function');
    expect(loadNodeCrypto()).toBe(loadNodeCrypto());
    expect(typeof nodeNet().connect).toBe('function');
    expect(typeof nodeTls().connect).toBe('function');
  });

  it('the universal entry sends through fetch (the user’s, or the global one)', async () => {
    const urls: string[] = [];
    const fetch = (async (url: string) => {
      urls.push(url);
      return new Response('{"Response":{"RequestId":"u-1"}}', { headers: { 'content-type': 'application/json' } });
    }) as unknown as typeof globalThis.fetch;
    const options = {
      service: 'cvm',
      version: '2017-03-12',
      region: 'ap-guangzhou',
      endpoint: 'http://127.0.0.1:9',
      credentials: { secretId: 'AKIDexample', secretKey: 'k' },
      fetch,
    };
    expect((await universal.createTransport(options).call('DescribeZones')).requestId).toBe('u-1');
    expect((await nodeEntry.createTransport(options).call('DescribeZones')).requestId).toBe('u-1');
    expect(urls).toEqual(['http://127.0.0.1:9/', 'http://127.0.0.1:9/']);
  });

  it('both entries’ signRequest sign alike', async () => {
    const built = nodeEntry.buildRequest({
      endpoint: nodeEntry.resolveEndpoint({ service: 'cvm' }),
      action: 'DescribeZones',
      version: '2017-03-12',
      timestamp: 1551113065,
      traceId: 't',
    });
    const creds = { secretId: 'AKIDexample', secretKey: 'k', token: 'tok' };
    const a = await universal.signRequest(built, creds);
    const b = await nodeEntry.signRequest(built, creds);
    expect(a.headers['Authorization']).toBe(b.headers['Authorization']);
    expect(a.headers['Authorization']).toMatch(/^TC3-HMAC-SHA256 Credential=AKIDexample\//);
    expect(a.headers['X-TC-Token']).toBe('tok');
  });
});
