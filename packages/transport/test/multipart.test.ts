import { createHash, createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fuzzRuns } from '@x/test-support';
import { readBody } from '@x/envelope';
import { usage } from './usage';
import { buildRequest, encodeMultipart, fetchSender, MAX_POST_BYTES, resolveEndpoint } from '../src/index.node';
import { bytesOf, encodeMultipartDrawing } from '../src/multipart';
import { json, runCleanups, setup } from './raw-server';
import { nodeCrypto } from '../src/crypto-node';
import { webCrypto } from '../src/crypto-web';
import { makeSigning } from '../src/signing';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const endpoint = resolveEndpoint({ service: 'cii' });
const base = {
  endpoint,
  action: 'UploadMedicalFile',
  version: '2021-04-08',
  timestamp: 1700000000,
  traceId: 't',
} as const;

describe('encodeMultipart', () => {
  it('writes the exact bytes the official SDK sends and hashes, for every kind of value', () => {
    const file = new Uint8Array([0, 1, 2, 0xff, 13, 10, 45, 45]);
    const { body, boundary, contentType } = encodeMultipart(
      {
        Name: 'héllo\r\n--x',
        Count: 3,
        Ratio: 0.5,
        Flag: false,
        Big: 18446744073709551615n,
        Skipped: null,
        Missing: undefined,
        File: file,
        Buffer: file.buffer,
        View: new DataView(file.buffer, 1, 2),
      },
      { boundary: 'b0und4ry' },
    );
    expect(boundary).toBe('b0und4ry');
    expect(contentType).toBe('multipart/form-data; boundary=b0und4ry');
    const field = (name: string, value: string) =>
      `--b0und4ry\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const binary = (name: string, value: string) =>
      `--b0und4ry\r\nContent-Disposition: form-data; name="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n${value}\r\n`;
    const raw = '\x00\x01\x02\xff\r\n--';
    expect(text(body)).toBe(
      field('Name', Buffer.from('héllo\r\n--x', 'utf8').toString('latin1')) +
        field('Count', '3') +
        field('Ratio', '0.5') +
        field('Flag', 'false') +
        field('Big', '18446744073709551615') +
        binary('File', raw) +
        binary('Buffer', raw) +
        binary('View', '\x01\x02') +
        '--b0und4ry--\r\n',
    );
  });

  it('writes only the closing delimiter for no params', () => {
    expect(text(encodeMultipart({}, { boundary: 'b' }).body)).toBe('--b--\r\n');
    expect(text(encodeMultipart(undefined, { boundary: 'b' }).body)).toBe('--b--\r\n');
  });

  it('draws a random lowercase boundary, and draws again when it occurs in a part', () => {
    const first = encodeMultipart({ A: 'x' });
    expect(first.boundary).toMatch(/^x-transport-[0-9a-f]{32}$/);
    expect(encodeMultipart({ A: 'x' }).boundary).not.toBe(first.boundary);
    const draws = ['in-text', 'in-bytes', 'fresh'];
    const drawn: string[] = [];
    const result = encodeMultipartDrawing(
      { A: 'text with in-text inside', B: new TextEncoder().encode('bytes with in-bytes inside') },
      {},
      () => {
        const next = draws.shift()!;
        drawn.push(next);
        return next;
      },
    );
    expect(drawn).toEqual(['in-text', 'in-bytes', 'fresh']);
    expect(result.boundary).toBe('fresh');
    expect(usage(() => encodeMultipartDrawing({ A: 'aaa' }, {}, () => 'a')).argument).toBe('params');
  });

  it('refuses what cannot be a part, naming the param', () => {
    expect(usage(() => encodeMultipart({ Filters: [{ Name: 'zone' }] })).argument).toBe('params.Filters');
    expect(usage(() => encodeMultipart({ Nested: { A: 1 } })).message).toContain('is an object');
    expect(usage(() => encodeMultipart({ Ids: ['a'] })).message).toContain('is an array');
    expect(usage(() => encodeMultipart({ When: new Date(0) })).argument).toBe('params.When');
    expect(usage(() => encodeMultipart({ File: new Blob(['x']) })).message).toContain('blob.arrayBuffer()');
    expect(usage(() => encodeMultipart({ F: () => 1 })).argument).toBe('params.F');
    expect(usage(() => encodeMultipart({ S: Symbol('s') })).argument).toBe('params.S');
    expect(usage(() => encodeMultipart({ N: Number.NaN })).argument).toBe('params.N');
    expect(usage(() => encodeMultipart({ I: Infinity })).argument).toBe('params.I');
    expect(usage(() => encodeMultipart({ T: 'lone \ud800 surrogate' })).argument).toBe('params.T');
    expect(usage(() => encodeMultipart({ 'a"b': 'x' })).argument).toBe('params."a\\"b"');
    expect(usage(() => encodeMultipart({ 'a\r\nX-Injected: 1': 'x' })).argument).toContain('params.');
    expect(usage(() => encodeMultipart({ 'has space': 'x' })).argument).toContain('params.');
    expect(usage(() => encodeMultipart({ 'naïve': 'x' })).argument).toContain('params.');
    expect(usage(() => encodeMultipart([1, 2])).argument).toBe('params');
    expect(usage(() => encodeMultipart(new Uint8Array(1))).argument).toBe('params');
  });

  it('refuses a chosen boundary that is not lowercase token text or occurs in a part', () => {
    for (const boundary of ['', 'UPPER', 'with space', 'semi;colon', 'x'.repeat(71), 'quote"']) {
      expect(usage(() => encodeMultipart({}, { boundary })).argument).toBe('boundary');
    }
    expect(usage(() => encodeMultipart({ A: 'the b0und is here' }, { boundary: 'b0und' })).message).toContain(
      'occurs inside a part',
    );
    expect(
      usage(() => encodeMultipart({ A: new TextEncoder().encode('xb0und') }, { boundary: 'b0und' })).argument,
    ).toBe('boundary');
  });

  it('copies a SharedArrayBuffer view (fetch refuses those) and keeps an offset view to its own bytes', () => {
    const shared = new Uint8Array(new SharedArrayBuffer(3));
    shared.set([7, 8, 9]);
    const pooled = Buffer.from('..abc..').subarray(2, 5);
    const { body } = encodeMultipart({ S: shared, P: pooled }, { boundary: 'zz' });
    expect(text(body)).toContain('\r\n\r\n\x07\x08\x09\r\n');
    expect(text(body)).toContain('\r\n\r\nabc\r\n--zz--\r\n');
    const copy = bytesOf(shared)!;
    expect(copy.buffer).toBeInstanceOf(ArrayBuffer);
    expect([...copy]).toEqual([7, 8, 9]);
    expect(bytesOf(pooled)).toBe(pooled);
    expect(bytesOf('text')).toBeUndefined();
  });

  it(
    'is read back by an independent parser (undici, Response#formData) for random params',
    { timeout: 60_000 },
    async () => {
      const value = fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.constantFrom('', '\r\n', '--', '\r\n--x-transport-', 'a\rb\nc'),
        fc.integer(),
        fc.boolean(),
        fc.bigInt(),
        fc.uint8Array({ maxLength: 64 }),
      );
      const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,15}$/);
      await fc.assert(
        fc.asyncProperty(fc.dictionary(name, value, { maxKeys: 6 }), async (params) => {
          const { body, contentType } = encodeMultipart(params);
          const form = await new Response(body as BodyInit, { headers: { 'content-type': contentType } }).formData();
          // No filename: undici (like browsers) reads every part as UTF-8 text.
          const expected = Object.entries(params).map(([k, v]) => [
            k,
            v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v),
          ]);
          expect([...form.entries()]).toEqual(expected);
        }),
        { numRuns: fuzzRuns(300) },
      );
    },
  );
});

describe('buildRequest with multipart and raw bodies', () => {
  it('sends multipart as POST bytes with the multipart Content-Type', () => {
    const built = buildRequest({
      ...base,
      params: { FileURL: 'https://example.com/x.pdf', File: new Uint8Array([1, 2]) },
      multipart: true,
      boundary: 'b',
    });
    expect(built.method).toBe('POST');
    expect(built.body).toBeInstanceOf(Uint8Array);
    expect(built.contentType).toBe('multipart/form-data; boundary=b');
    expect(built.headers['Content-Type']).toBe('multipart/form-data; boundary=b');
    expect(text(built.body as Uint8Array)).toBe(encodeMultipartText());
  });

  it('sends a raw body as application/octet-stream, the bytes untouched', () => {
    const bytes = Buffer.from('..\x00\xffdata..', 'latin1').subarray(2, 8);
    const built = buildRequest({ ...base, body: bytes });
    expect(built.contentType).toBe('application/octet-stream');
    expect(built.headers['Content-Type']).toBe('application/octet-stream');
    expect(built.body).toBe(bytes);
    expect(buildRequest({ ...base, body: bytes, params: {} }).body).toBe(bytes);
    expect(buildRequest({ ...base, body: bytes, params: { Unset: undefined } }).body).toBe(bytes);
  });

  it('refuses combinations that cannot be sent, naming the option', () => {
    expect(usage(() => buildRequest({ ...base, multipart: true, method: 'GET' })).argument).toBe('method');
    expect(usage(() => buildRequest({ ...base, body: new Uint8Array(1), method: 'GET' })).argument).toBe('method');
    expect(usage(() => buildRequest({ ...base, body: new Uint8Array(1), multipart: true })).argument).toBe('body');
    expect(usage(() => buildRequest({ ...base, body: new Uint8Array(1), params: { Limit: 1 } })).argument).toBe(
      'params',
    );
    expect(usage(() => buildRequest({ ...base, body: 'text' as unknown as Uint8Array })).argument).toBe('body');
    expect(usage(() => buildRequest({ ...base, boundary: 'b' })).argument).toBe('boundary');
    expect(usage(() => buildRequest({ ...base, multipart: 'yes' as unknown as boolean })).argument).toBe('multipart');
  });

  it('holds multipart and raw bodies to the 10 MB POST limit', () => {
    const big = new Uint8Array(MAX_POST_BYTES + 1);
    expect(usage(() => buildRequest({ ...base, body: big })).message).toContain(`${MAX_POST_BYTES + 1} bytes`);
    const justUnder = new Uint8Array(MAX_POST_BYTES - 200);
    expect(() => buildRequest({ ...base, multipart: true, params: { File: justUnder } })).not.toThrow();
    const err = usage(() =>
      buildRequest({ ...base, multipart: true, params: { File: new Uint8Array(MAX_POST_BYTES - 50) } }),
    );
    expect(err.argument).toBe('params');
    expect(err.message).toContain('the multipart body is');
  });
});

function encodeMultipartText(): string {
  return (
    '--b\r\nContent-Disposition: form-data; name="FileURL"\r\n\r\nhttps://example.com/x.pdf\r\n' +
    '--b\r\nContent-Disposition: form-data; name="File"\r\nContent-Type: application/octet-stream\r\n\r\n\x01\x02\r\n' +
    '--b--\r\n'
  );
}

/**
 * TC3 for a multipart request, computed here with node:crypto alone, the way the official SDK's
 * sign.js does it: the payload hash is fed piece by piece, never from our encoder's bytes.
 */
function independentTc3(
  params: Record<string, string | Uint8Array>,
  boundary: string,
  timestamp: number,
  secretKey: string,
) {
  const payload = createHash('sha256');
  payload.update(`--${boundary}`);
  for (const [key, content] of Object.entries(params)) {
    if (typeof content === 'string')
      payload.update(`\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${content}\r\n`);
    else {
      payload.update(
        `\r\nContent-Disposition: form-data; name="${key}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      );
      payload.update(content);
      payload.update('\r\n');
    }
    payload.update(`--${boundary}`);
  }
  payload.update('--\r\n');
  const payloadHash = payload.digest('hex');
  const canonical = [
    'POST',
    '/',
    '',
    `content-type:multipart/form-data; boundary=${boundary}\nhost:cii.tencentcloudapi.com\nx-tc-action:uploadmedicalfile\n`,
    'content-type;host;x-tc-action',
    payloadHash,
  ].join('\n');
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const toSign = [
    'TC3-HMAC-SHA256',
    String(timestamp),
    `${date}/cii/tc3_request`,
    createHash('sha256').update(canonical).digest('hex'),
  ].join('\n');
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const key = hmac(hmac(hmac(`TC3${secretKey}`, date), 'cii'), 'tc3_request');
  return { payloadHash, signature: createHmac('sha256', key).update(toSign).digest('hex') };
}

describe.each([
  ['node:crypto', nodeCrypto],
  ['WebCrypto', webCrypto],
])('signing a multipart body on %s', (_name, primitives) => {
  const { signTc3 } = makeSigning(primitives);
  it('matches a vector computed independently', async () => {
    const params = {
      FileURL: 'https://example.com/病历.pdf',
      File: new Uint8Array([0, 0xff, 13, 10, 0x2d, 0x2d, 0x80]),
    };
    const boundary = 'x-transport-0123456789abcdef0123456789abcdef';
    const built = buildRequest({ ...base, params, multipart: true, boundary });
    const signed = await signTc3({
      method: 'POST',
      host: built.host,
      query: built.query,
      contentType: built.contentType,
      payload: built.body,
      headers: { 'X-TC-Action': 'UploadMedicalFile' },
      service: 'cii',
      timestamp: base.timestamp,
      secretId: 'AKIDEXAMPLE',
      secretKey: 'example-key',
    });
    const expected = independentTc3(params, boundary, base.timestamp, 'example-key');
    expect(signed.canonicalRequest.split('\n').at(-1)).toBe(expected.payloadHash);
    expect(signed.canonicalRequest).toContain(`content-type:multipart/form-data; boundary=${boundary}\n`);
    expect(signed.signature).toBe(expected.signature);
    // Fixed, so a change in both implementations at once is caught too.
    expect(expected.payloadHash).toBe(PAYLOAD_HASH);
    const official = await signTc3({
      method: 'POST',
      host: built.host,
      contentType: built.contentType,
      payload: built.body,
      service: 'cii',
      timestamp: base.timestamp,
      secretId: 'AKIDEXAMPLE',
      secretKey: 'example-key',
    });
    expect(official.signature).toBe(OFFICIAL_SIGNATURE);
  });

  it('hashes a raw body as its bytes, an offset view included', async () => {
    const bytes = Buffer.from('....raw bytes\x00\xff....', 'latin1').subarray(4, 15);
    const signed = await signTc3({
      method: 'POST',
      host: 'cii.tencentcloudapi.com',
      contentType: 'application/octet-stream',
      payload: bytes,
      service: 'cii',
      timestamp: 0,
      secretId: 'i',
      secretKey: 'k',
    });
    expect(signed.canonicalRequest.split('\n').at(-1)).toBe(
      createHash('sha256').update(Buffer.from('raw bytes\x00\xff', 'latin1')).digest('hex'),
    );
  });
});

// Recorded once from the official SDK (tencentcloud-sdk-nodejs 4.1.x common/sign.js, Sign.sign3 with
// multipart: true, the same params, boundary, timestamp and key): its payload hash and, for the
// headers it signs (content-type;host only), its signature.
const PAYLOAD_HASH = 'd8012fac4e1604e861edb7b04876c337106a54e41c927a3b1f8ef3c12469d872';
const OFFICIAL_SIGNATURE = '0836ab85ff703c08f64167e71a9b5f65725a2a6097b89920f23e46296be77331';

describe.each(['Node sender', 'fetch sender'])('byte bodies on the wire with the %s', (name) => {
  afterEach(runCleanups);
  it('sends the bytes of an offset view with their byte length, so the next request on the connection frames right', async () => {
    const server = await setup((socket, request) =>
      socket.write(json(`{"Length":${Buffer.byteLength(request.body)}}`)),
    );
    const sender = name === 'Node sender' ? server.sender : fetchSender();
    // Bytes that are not UTF-8, from the middle of a larger buffer: a sender that turned them into
    // text would send more bytes than it announced, and the next request would be misframed.
    const bytes = new Uint8Array([1, 2, 0xff, 0x00, 0x80, 3]).subarray(2, 5);
    const send = (body: string | Uint8Array) =>
      sender({
        method: 'POST',
        url: `${server.url}/`,
        headers: { 'Content-Type': 'application/octet-stream' },
        body,
        signal: new AbortController().signal,
      }).then(async (r) => new TextDecoder().decode(await readBody(r)));
    expect(await send(bytes)).toBe('{"Length":7}'); // the server decodes the 3 bytes as UTF-8: U+FFFD U+0000 U+FFFD
    expect(await send('{}')).toBe('{"Length":2}');
    expect(server.requests.map((r) => r.body)).toEqual(['\ufffd\x00\ufffd', '{}']);
    expect(server.requests[0]!.head).toMatch(/\r\ncontent-length: 3(\r\n|$)/i);
    if (name === 'Node sender') expect(server.requests.map((r) => r.connection)).toEqual([1, 1]);
  });
});
